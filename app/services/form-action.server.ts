import { data } from "@remix-run/node";
import type { z } from "zod";
import type { User } from "~/models/user.server";
import { type FieldErrors, formValues, parseForm } from "~/validation/form";
import { ensurePermission, type Permission } from "./permission.server";
import { getUser, requireUser } from "./session.server";

// One way to answer a form. A route lists its intents; each names the permission it
// needs (checked before anything else runs) and the zod schema its fields must pass.
// A refusal comes back as a FormReply: the intent it answers (so a page with several
// forms shows the messages next to the right one), a message per field keyed by the
// schema's own field names, and what the user typed.

export type FormReply<I extends string = string, F extends string = string> = {
  intent: I;
  errors: FieldErrors<F>;
  values: Record<string, string>;
};

// What a handler returns instead of a Response when it says no.
export type Refusal<F extends string> = { refusal: true; errors: FieldErrors<F>; init: ResponseInit };

export function refuse<F extends string>(errors: FieldErrors<F>, init: number | ResponseInit = 400): Refusal<F> {
  return { refusal: true, errors, init: typeof init === "number" ? { status: init } : init };
}

type Schema = z.ZodType<unknown, Record<string, unknown>>;
type FieldsOf<S> = S extends z.ZodType<unknown, infer In> ? Extract<keyof In, string> : never;

// "anyone": the form is for signed-out people too (sign in, sign up).
type Access = Permission | "anyone";
type UserFor<A extends Access> = A extends "anyone" ? User | undefined : User;

export type IntentArgs<C, A extends Access, S> = C & {
  user: UserFor<A>;
  form: FormData;
  input: S extends Schema ? z.output<S> : undefined;
  request: Request;
};

export type Intent<C, A extends Access = Access, S extends Schema | undefined = Schema | undefined> = {
  permission: A;
  schema?: S;
  run: (args: IntentArgs<C, A, S>) => Response | Refusal<FieldsOf<S>> | Promise<Response | Refusal<FieldsOf<S>>>;
};

// Ties an intent's schema to its handler's input and refusals; C is what the route's
// action adds to every handler (the ask the form is about, say).
export function intentsFor<C>() {
  return <A extends Access, S extends Schema | undefined = undefined>(intent: Intent<C, A, S>) => intent;
}

// biome-ignore lint/suspicious/noExplicitAny: any intent of the table, whatever its schema
type AnyIntent = Intent<any, Access, any>;

export type ReplyOf<T extends Record<string, AnyIntent>> = {
  [K in Extract<keyof T, string>]: FormReply<K, T[K] extends Intent<unknown, Access, infer S> ? FieldsOf<S> : never>;
}[Extract<keyof T, string>];

type Options<C> = {
  // Loads what every handler needs; it may throw a 404 before the intent is read.
  context?: (user: User | undefined) => C | Promise<C>;
  // The intent of a form that sends none (a page with one form).
  defaultIntent?: string;
};

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
  const { password: _password, ...values } = formValues(form);
  return data({ intent: name, errors: result.errors, values } as ReplyOf<T>, result.init);
}
