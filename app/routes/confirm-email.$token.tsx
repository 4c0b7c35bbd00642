import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { confirmEmail } from "~/models/user.server";
import { peekUserToken, type TokenRefusal } from "~/models/user-token.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Confirm your email address · Asklog" }];

const refusals: Record<TokenRefusal, string> = {
  invalid:
    "This confirmation link does not work. A newer link may have replaced it, or part of it was lost when it was copied.",
  expired: "This confirmation link has expired: links work for 24 hours.",
  used: "This confirmation link has already been used.",
};

// A GET only shows what the link would do: mail scanners open links before people do, so only
// the button (a POST) confirms.
export async function loader({ params }: LoaderFunctionArgs) {
  const found = peekUserToken({ token: params.token ?? "", purpose: "confirm-email" });
  if (!found.ok) return data({ email: null, problem: refusals[found.reason] }, { status: 400 });
  return { email: found.email, problem: null };
}

const intent = intentsFor<{ token: string }>();

const intents = () => ({
  confirm: intent({
    permission: "anyone",
    run: async ({ token, user }) => {
      const result = confirmEmail({ token });
      if (result.ok) {
        const notice = `${result.email} is confirmed. Asklog mails you there from now on.`;
        return redirectWithNotice(user?.id === result.userId ? "/account" : "/signin", notice);
      }
      if (result.reason === "email-taken") {
        return refuse({ form: "Another account now uses this address, so it cannot become yours." }, 409);
      }
      return refuse({ form: refusals[result.reason] });
    },
  }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    defaultIntent: "confirm",
    context: () => ({ token: params.token ?? "" }),
  });
}

export default function ConfirmEmail() {
  const { email, problem } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = reply?.errors.form ?? problem;
  return (
    <div className="auth-form">
      <h1>Confirm your email address</h1>
      {failure ? (
        <>
          <p className="form-error" role="alert">
            {failure}
          </p>
          <p>
            Signed in? <Link to="/confirm-email">Send yourself a new link</Link>.
          </p>
        </>
      ) : (
        <Form method="post">
          <p>Confirm that {email} is your address, and Asklog will send your mail there.</p>
          <button type="submit" disabled={navigation.state === "submitting"}>
            Confirm {email}
          </button>
        </Form>
      )}
    </div>
  );
}
