import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { InputField } from "~/components/form-fields";
import { claimedOrganization } from "~/models/organization.server";
import { createUser } from "~/models/user.server";
import { sendEmailConfirmation } from "~/services/account-mail.server";
import { handleIntents } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { countSignUp, retryAfterHeaders } from "~/services/rate-limit.server";
import { requireSignedOut, startUserSession } from "~/services/session.server";
import { signUpSchema } from "~/validation/account";
import { passwordMin } from "~/validation/account-rules";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Sign up · Asklog" }];

export const headers = retryAfterHeaders;

export const loader = ({ request }: LoaderFunctionArgs) => requireSignedOut(request);

type Context = { clientAddress: string };
const intent = intentsFor<Context>();

const intents = () => ({
  "sign-up": intent({
    permission: "anyone",
    schema: signUpSchema,
    run: async ({ input, request, clientAddress }) => {
      const { redirectTo, ...account } = input;
      if (!account.organization && !claimedOrganization(account.email)) {
        return refuse({ organization: "Enter your organization." });
      }
      // Counted once the form is fine: each attempt past this point costs an argon2 hash.
      const limit = countSignUp(clientAddress);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      const result = await createUser(account);
      if (!result.ok) return refuse({ email: "An account with this email already exists. Sign in instead." });
      // The address is unconfirmed until its link is followed: until then it gets this mail only.
      sendEmailConfirmation({ userId: result.user.id, email: result.user.email });
      const signedIn = await startUserSession(request, result.user.id, redirectTo);
      return redirectWithNotice(
        redirectTo,
        `We sent a link to ${result.user.email}. Follow it to confirm your address; until then Asklog mails you nothing.`,
        { headers: signedIn.headers },
      );
    },
  }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  return handleIntents(request, intents(), {
    defaultIntent: "sign-up",
    context: () => ({ clientAddress: context.clientAddress }),
  });
}

const fields = [
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  {
    name: "displayName",
    label: "Display name",
    type: "text",
    autoComplete: "name",
    hint: "Shown next to your asks and comments.",
  },
  {
    name: "organization",
    label: "Organization",
    type: "text",
    autoComplete: "organization",
    hint: "Your company, shown next to your name. People with an address at a known organization's domain join it automatically, whatever is typed here, and may leave this empty.",
  },
  {
    name: "password",
    label: "Password",
    type: "password",
    autoComplete: "new-password",
    hint: `At least ${passwordMin} characters.`,
  },
] as const;

export default function SignUp() {
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = reply?.values.redirectTo ?? params.get("redirectTo") ?? "/";
  return (
    <div className="auth-form">
      <h1>Create your account</h1>
      {reply ? (
        <p className="form-error" role="alert">
          {reply.errors.form ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {fields.map((f) => (
          <InputField
            key={f.name}
            id={f.name}
            name={f.name}
            label={f.label}
            error={reply?.errors[f.name]}
            hint={"hint" in f ? f.hint : undefined}
            type={f.type}
            autoComplete={f.autoComplete}
            required
            defaultValue={f.name === "password" ? undefined : reply?.values[f.name]}
          />
        ))}
        <button type="submit" disabled={navigation.state === "submitting"}>
          Sign up
        </button>
      </Form>
      <p>
        Already have an account? <Link to={`/signin?redirectTo=${encodeURIComponent(redirectTo)}`}>Sign in</Link>.
      </p>
    </div>
  );
}
