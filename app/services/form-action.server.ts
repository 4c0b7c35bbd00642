import { data } from "@remix-run/node";
import type { User } from "~/models/user.server";
import { formValues, parseForm, withoutSecrets } from "~/validation/form";
import type { AnyIntent, ReplyOf } from "~/validation/intent";
import { ensurePermission } from "./permission.server";
import { getUser, requireUser } from "./session.server";

type Options<C> = {
  // Loads what every handler needs; it may throw a 404 before the intent is read.
  context?: (user: User | undefined) => C | Promise<C>;
  // The intent of a form that sends none (a page with one form).
  defaultIntent?: string;
};

// One way to answer a form (docs/decisions/008): the intent table comes from
// ~/validation/intent; this checks the permission, parses the form and runs the handler.
export async function handleIntents<C, T extends Record<string, AnyIntent>>(
  request: Request,
  intents: T,
  options: Options<C> = {},
) {
  const user = await getUser(request);
  const context = (await options.context?.(user)) ?? ({} as C);
  // Read from a copy: a handler may hand the request on to something that reads the body itself (remix-auth).
  const form = await request.clone().formData();
  const name = String(form.get("intent") ?? options.defaultIntent ?? "");
  const intent = Object.hasOwn(intents, name) ? intents[name] : undefined;
  if (!intent) throw data("Unknown action", { status: 400 });
  if (intent.permission !== "anyone") ensurePermission(user ?? (await requireUser(request)), intent.permission);

  let input: unknown;
  if (intent.schema) {
    const parsed = parseForm(intent.schema, form);
    if (!parsed.ok) return data({ intent: name, errors: parsed.errors, values: parsed.values }, { status: 400 });
    input = parsed.data;
  }
  const result = await intent.run({ ...context, user, form, input, request });
  if (result instanceof Response) return result;
  const values = withoutSecrets(formValues(form));
  return data({ intent: name, errors: result.errors, values } as ReplyOf<T>, result.init);
}
