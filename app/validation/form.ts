import type { z } from "zod";

// A message per field, keyed by the schema's own field names; "form" is for the form as a whole.
export type FieldErrors<F extends string = string> = Partial<Record<F | "form", string>>;

export type ParseResult<T, F extends string = string> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors<F>; values: Record<string, string> };

type FieldsOf<S extends z.ZodType> = Extract<keyof z.input<S>, string>;

// Parses a submitted form with the same schema the form shows messages for.
// On failure it hands back what the user typed (never the password), so
// nothing is lost when the page renders again.
export function parseForm<S extends z.ZodType>(schema: S, form: FormData): ParseResult<z.output<S>, FieldsOf<S>> {
  const input = formValues(form);
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: Partial<Record<string, string>> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  // Every issue's path starts at one of the schema's own fields (or is empty: "form").
  return { ok: false, errors: errors as FieldErrors<FieldsOf<S>>, values: withoutSecrets(input) };
}

// What a form may show again: every field but passwords (current, new, confirmation), which
// never travel back into a page.
export function withoutSecrets(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !/password/i.test(key)));
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
// A lone UTF-16 surrogate (which a form cannot send but a script or an import can) becomes
// U+FFFD, so what is stored always renders the same on the server and in the browser.
export function cleanText(value: string): string {
  return value.toWellFormed().replace(/[^\P{Cc}\t\n\r]/gu, "");
}
