import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/field";
import { InputField } from "~/components/form-fields";
import { authenticator, SignInError } from "~/services/auth.server";
import { handleIntents } from "~/services/form-action.server";
import { checkSignIn, countFailedSignIn, retryAfterHeaders } from "~/services/rate-limit.server";
import { requireSignedOut, startUserSession } from "~/services/session.server";
import { signInSchema } from "~/validation/account";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Sign in · Asklog" }];

export const headers = retryAfterHeaders;

export const loader = ({ request }: LoaderFunctionArgs) => requireSignedOut(request);

type Context = { clientAddress: string };
const intent = intentsFor<Context>();

const intents = () => ({
  "sign-in": intent({
    permission: "anyone",
    schema: signInSchema,
    run: async ({ input, request, clientAddress }) => {
      const limit = checkSignIn(input.email, clientAddress);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      try {
        // remix-auth reads the body itself; handleIntents read a copy.
        const user = await authenticator.authenticate("password", request);
        return startUserSession(request, user.id, input.redirectTo);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        countFailedSignIn(input.email, clientAddress);
        return refuse({ form: error.message });
      }
    },
  }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    defaultIntent: "sign-in",
    context: () => ({ clientAddress: context.clientAddress }),
  });
}

export default function SignIn() {
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = reply?.values.redirectTo ?? params.get("redirectTo") ?? "/";
  const formError = reply?.errors.form;
  return (
    <div className="auth-form">
      <h1>Sign in</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {formError ? (
          <p className="form-error" role="alert" id="signin-error">
            {formError}
          </p>
        ) : null}
        <Field id="email" label="Email" error={reply?.errors.email}>
          {(describedBy, invalid) => (
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={reply?.values.email}
              aria-describedby={[formError ? "signin-error" : null, describedBy].filter(Boolean).join(" ") || undefined}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <InputField
          id="password"
          name="password"
          label="Password"
          error={reply?.errors.password}
          type="password"
          autoComplete="current-password"
          required
        />
        <p>
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
        <button type="submit" disabled={navigation.state === "submitting"}>
          Sign in
        </button>
      </Form>
      <p>
        New here? <Link to={`/signup?redirectTo=${encodeURIComponent(redirectTo)}`}>Create an account</Link>.
      </p>
    </div>
  );
}
