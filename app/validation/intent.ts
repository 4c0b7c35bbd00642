import type { z } from "zod";
import type { User } from "~/models/user.server";
import type { Permission } from "~/services/permission.server";
import type { FieldErrors } from "./form";

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

export type Schema = z.ZodType<unknown, Record<string, unknown>>;
export type FieldsOf<S> = S extends z.ZodType<unknown, infer In> ? Extract<keyof In, string> : never;

// "anyone": the form is for signed-out people too (sign in, sign up).
export type Access = Permission | "anyone";
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
// action adds to every handler (the ask the form is about, say). Routes call it at the top
// of the module, which the browser bundle runs too, so it lives outside *.server modules.
// The table itself is a function the action calls (`const intents = () => ({ ... })`): the
// browser bundle drops a function nothing there calls, with the schemas it names and zod,
// whereas a table built when the module loads would ship all of them to every visitor.
export function intentsFor<C>() {
  return <A extends Access, S extends Schema | undefined = undefined>(intent: Intent<C, A, S>) => intent;
}

// biome-ignore lint/suspicious/noExplicitAny: any intent of the table, whatever its schema
export type AnyIntent = Intent<any, Access, any>;

export type ReplyOf<T extends Record<string, AnyIntent>> = {
  [K in Extract<keyof T, string>]: FormReply<K, T[K] extends Intent<unknown, Access, infer S> ? FieldsOf<S> : never>;
}[Extract<keyof T, string>];
