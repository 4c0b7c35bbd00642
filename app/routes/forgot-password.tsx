import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { InputField } from "~/components/form-fields";
import { sendPasswordReset } from "~/services/account-mail.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { countPasswordReset, retryAfterHeaders } from "~/services/rate-limit.server";
import { forgotPasswordSchema } from "~/validation/account";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Asklog" }];

export const headers = retryAfterHeaders;

type Context = { clientAddress: string };
const intent = intentsFor<Context>();

const intents = () => ({
  "send-reset": intent({
    permission: "anyone",
    schema: forgotPasswordSchema,
    run: ({ input, clientAddress }) => {
      const limit = countPasswordReset(input.email, clientAddress);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      sendPasswordReset(input.email);
      // Word for word the same whether or not the address has an account.
      return redirectWithNotice(
        "/forgot-password",
        `If ${input.email} belongs to an Asklog account, a link to choose a new password is on its way. It works for one hour.`,
      );
    },
  }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    defaultIntent: "send-reset",
    context: () => ({ clientAddress: context.clientAddress }),
  });
}

export default function ForgotPassword() {
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="auth-form">
      <h1>Forgot your password?</h1>
      <p>Type the address you sign in with, and we will mail you a link to choose a new password.</p>
      {reply?.errors.form ? (
        <p className="form-error" role="alert">
          {reply.errors.form}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <InputField
          id="email"
          name="email"
          label="Email"
          error={reply?.errors.email}
          type="email"
          autoComplete="email"
          required
          defaultValue={reply?.values.email}
        />
        <button type="submit" disabled={navigation.state === "submitting"}>
          Send the link
        </button>
      </Form>
      <p>
        Remembered it? <Link to="/signin">Sign in</Link>.
      </p>
    </div>
  );
}
