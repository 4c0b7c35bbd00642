import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { InputField } from "~/components/form-fields";
import { resetPassword } from "~/models/user.server";
import { peekUserToken, type TokenRefusal } from "~/models/user-token.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { startUserSession } from "~/services/session.server";
import { newPasswordSchema } from "~/validation/account";
import { passwordMin } from "~/validation/account-rules";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Asklog" }];

const refusals: Record<TokenRefusal, string> = {
  invalid:
    "This reset link does not work. A newer link may have replaced it, or part of it was lost when it was copied.",
  expired: "This reset link has expired: links work for one hour.",
  used: "This reset link has already been used.",
};

// Only shows the form: mail scanners open links before people do, and the link works once.
export async function loader({ params }: LoaderFunctionArgs) {
  const found = peekUserToken({ token: params.token ?? "", purpose: "reset-password" });
  if (!found.ok) return data({ problem: refusals[found.reason] }, { status: 400 });
  return { problem: null };
}

const intent = intentsFor<{ token: string }>();

const intents = () => ({
  reset: intent({
    permission: "anyone",
    schema: newPasswordSchema,
    run: async ({ input, token, request }) => {
      const result = await resetPassword({ token, password: input.password });
      if (!result.ok) return refuse({ form: refusals[result.reason] });
      // Every session of the account ended with the change; this device starts a new one.
      const signedIn = await startUserSession(request, result.userId, "/");
      return redirectWithNotice("/", "Your password is changed, and every other device is signed out.", {
        headers: signedIn.headers,
      });
    },
  }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "reset", context: () => ({ token: params.token ?? "" }) });
}

export default function ResetPassword() {
  const { problem } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = reply?.errors.form ?? problem;
  return (
    <div className="auth-form">
      <h1>Choose a new password</h1>
      {failure ? (
        <>
          <p className="form-error" role="alert">
            {failure}
          </p>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>.
          </p>
        </>
      ) : (
        <Form method="post" noValidate>
          <InputField
            id="password"
            name="password"
            label="New password"
            error={reply?.errors.password}
            hint={`At least ${passwordMin} characters. Every other device signed in to your account is signed out.`}
            type="password"
            autoComplete="new-password"
            required
          />
          <button type="submit" disabled={navigation.state === "submitting"}>
            Set the new password
          </button>
        </Form>
      )}
    </div>
  );
}
