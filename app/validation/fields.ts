// Parsers for values that arrive in URLs and forms, shared by every route. No zod here: pages
// read these in the browser too; the form schemas' own fields built on them are in schema-fields.ts.

const idPattern = /^\d{1,12}$/;

// A row id as typed into a URL or a hidden field. Anything that is not a sane id
// ("abc", "-1", "1e9", "99999999999999999999") becomes undefined: it finds nothing.
export function parseId(raw: unknown): number | undefined {
  if (typeof raw !== "string" || !idPattern.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

export const pageSize = 20;

// ?page= from the URL: anything odd ("abc", "-3", "1e99") means the first page.
export function parsePage(raw: string | null): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

// Anything longer is cut here, before it reaches a query.
export const searchQueryMax = 200;

// Kept as typed (the search box shows it back, and a trailing space tells as-you-type search
// that the last word is finished); a caller that only needs the words trims it.
export function parseSearchText(raw: string | null): string {
  return (raw ?? "").slice(0, searchQueryMax);
}

// Where a form may send the person next (?redirectTo=): same-site paths only, as an open
// redirect after sign-in would hand a phisher our origin. Control characters are refused
// too: browsers drop tabs and newlines from a Location before resolving it, so
// "/\t/evil.example" would mean "//evil.example". Anything else goes to the fallback.
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\") ||
    /\p{Cc}/u.test(to)
  ) {
    return fallback;
  }
  return to;
}
