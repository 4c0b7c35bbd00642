import { createHash } from "node:crypto";
import { listStatuses } from "~/models/status.server";

// The colour admins chose for each status, for its badges (see StatusBadge), as a
// stylesheet: the Content-Security-Policy refuses style attributes. Its version is
// a hash of the text, so the address changes exactly when a colour or slug does.
export function statusStylesheet(): { css: string; version: string } {
  const css = statusColorRules(listStatuses());
  return { css, version: createHash("sha256").update(css).digest("base64url").slice(0, 22) };
}

// The address pages link to: a new version is a new address, which the browser loads
// even on a client-side navigation, and which may be cached for good.
export function statusStylesheetHref(): string {
  return `/statuses.css?v=${statusStylesheet().version}`;
}

// The status form's schema only saves slugs of [a-z0-9-] and #rrggbb colours;
// anything else is left out here all the same, so no stored value can ever end
// the selector or the rule and write CSS of its own.
function statusColorRules(statuses: { slug: string; color: string }[]): string {
  return statuses
    .filter((s) => /^[a-z0-9-]+$/.test(s.slug) && /^#[0-9a-fA-F]{6}$/.test(s.color))
    .map((s) => `.badge[data-status="${s.slug}"] { --badge: ${s.color}; }\n`)
    .join("");
}
