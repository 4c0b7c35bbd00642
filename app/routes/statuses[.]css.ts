import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listStatuses } from "~/models/status.server";

// GET /statuses.css — the colour admins chose for each status, for its badges
// (see StatusBadge). A stylesheet, because the Content-Security-Policy refuses
// style attributes. Browsers ask again on every page load and mostly get a 304,
// so a changed colour shows on the next page load.
export async function loader({ request }: LoaderFunctionArgs) {
  const css = statusColorRules(listStatuses());
  const etag = `"${createHash("sha256").update(css).digest("base64url").slice(0, 22)}"`;
  const headers = { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache", ETag: etag };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(css, { headers });
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
