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

// "/asks/123-some-slug" -> 123; anything that is not a sane positive id -> undefined.
export function parseAskParam(param: string | undefined): number | undefined {
  const match = /^(\d{1,12})(?:-|$)/.exec(param ?? "");
  if (!match) return undefined;
  const id = Number(match[1]);
  return id > 0 ? id : undefined;
}
