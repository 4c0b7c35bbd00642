import { parseId } from "~/validation/fields";

// "A customer-facing page that explains CPOR" -> "a-customer-facing-page-that-explains-cpor"
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || "ask";
}

export function askPath(ask: { id: number; slug: string }): string {
  return `/asks/${ask.id}-${ask.slug}`;
}

// "123-some-slug" (the :ask of /asks/123-some-slug) -> 123; anything that is not a sane
// positive id -> undefined. The slug after the number may be old or mistyped.
export function parseAskParam(param: string | undefined): number | undefined {
  return parseId(/^\d+(?=-|$)/.exec(param ?? "")?.[0]);
}
