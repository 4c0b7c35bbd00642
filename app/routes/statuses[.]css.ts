import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusStylesheet } from "~/services/status-colors.server";

// A versioned address (?v=, as the root layout links it) always answers the same
// text, so it is cached for a year. Any other (no version, or one that a change has
// since replaced) is asked again each time and mostly answered 304.
const versionedCache = "public, max-age=31536000, immutable";

// GET /statuses.css — the badge colour of every status (see statusStylesheet).
export async function loader({ request }: LoaderFunctionArgs) {
  const { css, version } = statusStylesheet();
  const etag = `"${version}"`;
  const asked = new URL(request.url).searchParams.get("v");
  const headers = {
    "Content-Type": "text/css; charset=utf-8",
    "Cache-Control": asked === version ? versionedCache : "no-cache",
    ETag: etag,
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(css, { headers });
}
