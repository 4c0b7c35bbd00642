import type { z } from "zod";

export type FieldErrors = Partial<Record<string, string>>;

// What an action answering one of several forms on a page sends back when it refuses (refuseIntent).
export type IntentReply = { intent: string; errors: FieldErrors; values: Record<string, string> };

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

// Parses a submitted form with the same schema the form shows messages for.
// On failure it hands back what the user typed (never the password), so
// nothing is lost when the page renders again.
export function parseForm<S extends z.ZodType>(schema: S, form: FormData): ParseResult<z.infer<S>> {
  const input = formValues(form);
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  const { password: _password, ...values } = input;
  return { ok: false, errors, values };
}

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value === "string") values[key] = cleanText(value);
  }
  return values;
}

// Control characters other than tab and line breaks have no place in anything a person
// types; a null byte in particular would cut the text short in other tools reading the
// database. (Invalid UTF-8 never gets this far: the form decoder turns it into U+FFFD.)
export function cleanText(value: string): string {
  return value.replace(/[^\P{Cc}\t\n\r]/gu, "");
}
