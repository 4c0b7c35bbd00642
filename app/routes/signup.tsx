import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/field";
import { createUser, EmailTakenError } from "~/models/user.server";
import { countSignUp, retryAfterHeaders } from "~/services/rate-limit.server";
import { getUser, safeRedirect, startUserSession } from "~/services/session.server";
import { passwordMin, signUpSchema } from "~/validation/account";
import { type FieldErrors, formValues, parseForm } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Sign up · Asklog" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

type ActionReply = { errors?: FieldErrors; formError?: string; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const parsed = parseForm(signUpSchema, form);
  if (!parsed.ok) return data<ActionReply>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { password: _password, ...values } = formValues(form);
  const limit = countSignUp(context.clientAddress);
  if (!limit.ok) return data<ActionReply>({ formError: limit.message, values }, limit.init);
  try {
    const user = await createUser(parsed.data);
    return startUserSession(request, user.id, redirectTo);
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    return data<ActionReply>(
      { errors: { email: "An account with this email already exists. Sign in instead." }, values },
      { status: 400 },
    );
  }
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
    hint: "Your company, shown next to your name.",
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
  const reply = useActionData<ActionReply>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = reply?.values.redirectTo ?? params.get("redirectTo") ?? "/";
  return (
    <div className="auth-form">
      <h1>Create your account</h1>
      {reply?.formError || reply?.errors ? (
        <p className="form-error" role="alert">
          {reply.formError ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {fields.map((f) => (
          <Field
            key={f.name}
            id={f.name}
            label={f.label}
            error={reply?.errors?.[f.name]}
            hint={"hint" in f ? f.hint : undefined}
          >
            {(describedBy, invalid) => (
              <input
                id={f.name}
                name={f.name}
                type={f.type}
                autoComplete={f.autoComplete}
                required
                defaultValue={f.name === "password" ? undefined : reply?.values[f.name]}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
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
