import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { addressState } from "~/models/user.server";
import { sendEmailConfirmation } from "~/services/account-mail.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { countConfirmationMail, retryAfterHeaders } from "~/services/rate-limit.server";
import { requireUser } from "~/services/session.server";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Confirm your email address · Asklog" }];

export const headers = retryAfterHeaders;

// The address a new link would go to: one waiting to be confirmed, else the account's own
// while it is unconfirmed; none once everything is confirmed.
function addressToConfirm(userId: number): { state: NonNullable<ReturnType<typeof addressState>>; to: string | null } {
  const state = addressState(userId);
  if (!state) throw new Response("Account not found", { status: 404 });
  return { state, to: state.pendingEmail ?? (state.confirmed ? null : state.email) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { state, to } = addressToConfirm(user.id);
  return { email: state.email, confirmed: state.confirmed, to };
}

const intent = intentsFor();

const intents = () => ({
  resend: intent({
    permission: "account:edit",
    run: async ({ user }) => {
      const { to } = addressToConfirm(user.id);
      if (!to) return redirectWithNotice("/confirm-email", "Your address is already confirmed.");
      const limit = countConfirmationMail(user.id);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      sendEmailConfirmation({ userId: user.id, email: to });
      return redirectWithNotice("/confirm-email", `We sent a new link to ${to}. It works for 24 hours.`);
    },
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { defaultIntent: "resend" });
}

export default function ConfirmEmailStatus() {
  const { email, confirmed, to } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="auth-form">
      <h1>Confirm your email address</h1>
      {reply?.errors.form ? (
        <p className="form-error" role="alert">
          {reply.errors.form}
        </p>
      ) : null}
      {to ? (
        <Form method="post">
          <p>
            We sent a link to {to}. Follow it to confirm the address; until then Asklog sends no mail to it
            {confirmed ? `, and keeps mailing ${email}` : ""}. No mail? Look in your spam folder, or ask for another.
          </p>
          <button type="submit" disabled={navigation.state === "submitting"}>
            Send the link again
          </button>
        </Form>
      ) : (
        <p>
          {email} is confirmed. <Link to="/account">Back to your account</Link>.
        </p>
      )}
    </div>
  );
}
