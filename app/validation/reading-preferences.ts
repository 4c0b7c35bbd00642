import { z } from "~/validation/zod";

// A language tag Intl formats dates in, in its canonical spelling; undefined when it has none.
export function canonicalLocale(tag: string): string | undefined {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(tag)[0];
  } catch {
    // Not a well-formed tag at all.
    return undefined;
  }
}

// An IANA time zone Intl knows. A listed name is kept as written; another accepted spelling ("utc",
// an old alias) becomes the name Intl resolves it to. undefined when Intl does not know it.
export function canonicalTimeZone(zone: string): string | undefined {
  if (Intl.supportedValuesOf("timeZone").includes(zone)) return zone;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

// An empty choice means "as my browser says".
const orBrowser = (value: string) => (value === "" ? null : value);

export const readingPreferencesSchema = z.object({
  locale: z
    .string()
    .trim()
    .max(100, "Choose a language from the list.")
    .refine((v) => v === "" || canonicalLocale(v) !== undefined, "Choose a language from the list.")
    .transform(orBrowser),
  timeZone: z
    .string()
    .trim()
    .max(100, "Choose a time zone from the list.")
    .refine((v) => v === "" || canonicalTimeZone(v) !== undefined, "Choose a time zone from the list.")
    .transform(orBrowser),
});
