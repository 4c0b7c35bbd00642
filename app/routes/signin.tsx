import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/field";
import { authenticator, SignInError } from "~/services/auth.server";
import { countSignInAttempt, forgiveSignInAttempt, retryAfterHeaders } from "~/services/rate-limit.server";
import { getUser, safeRedirect, startUserSession } from "~/services/session.server";
import { formValues } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Sign in · Asklog" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // remix-auth reads the body itself, so our own reads go to a clone.
  const form = await request.clone().formData();
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const { password: _password, ...values } = formValues(form);
  const attempt = countSignInAttempt(values.email ?? "", context.clientAddress);
  if (!attempt.ok) return data({ error: attempt.message, values }, attempt.init);
  try {
    const user = await authenticator.authenticate("password", request);
    forgiveSignInAttempt(attempt);
    return startUserSession(request, user.id, redirectTo);
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return data({ error: error.message, values }, { status: 400 });
  }
}

export default function SignIn() {
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = reply?.values.redirectTo ?? params.get("redirectTo") ?? "/";
  return (
    <div className="auth-form">
      <h1>Sign in</h1>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {reply?.error ? (
          <p className="form-error" role="alert" id="signin-error">
            {reply.error}
          </p>
        ) : null}
        <Field id="email" label="Email">
          {() => (
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={reply?.values.email}
              aria-describedby={reply?.error ? "signin-error" : undefined}
            />
          )}
        </Field>
        <Field id="password" label="Password">
          {() => <input id="password" name="password" type="password" autoComplete="current-password" required />}
        </Field>
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
