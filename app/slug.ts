import { parseId } from "~/validation/fields";

// "A customer-facing page that explains CPOR" -> "a-customer-facing-page-that-explains-cpor".
// Text with no latin letters or digits (a name written in Thai) gets `fallback` instead.
export function slugify(title: string, fallback = "ask"): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || fallback;
}

export function askPath(ask: { id: number; slug: string }): string {
  return `/asks/${ask.id}-${ask.slug}`;
}

// A person's page: "/people/12-raj-mehta". The name part is only for reading; the number finds them.
export function personPath(person: { id: number; displayName: string }): string {
  return `/people/${person.id}-${slugify(person.displayName, "person")}`;
}

export function organizationPath(organization: { slug: string }): string {
  return `/orgs/${organization.slug}`;
}

// "123-some-slug" -> 123; anything that is not a sane positive id -> undefined. The words
// after the number may be old or mistyped.
function leadingId(param: string | undefined): number | undefined {
  return parseId(/^\d+(?=-|$)/.exec(param ?? "")?.[0]);
}

// The :ask of /asks/123-some-slug.
export function parseAskParam(param: string | undefined): number | undefined {
  return leadingId(param);
}

// The :person of /people/12-raj-mehta.
export function parsePersonParam(param: string | undefined): number | undefined {
  return leadingId(param);
}
