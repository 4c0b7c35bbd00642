// Cross-site request forgery defence: a browser always says where a form or fetch
// came from (Origin, or at least Referer). A write that cannot show it came from
// one of our own pages is refused; SameSite=Lax cookies are the second line.

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

// The one exception: an unsubscribe link (RFC 8058). A mail client unsubscribes by POSTing
// `List-Unsubscribe=One-Click` to the link in the message, from no page at all: no Origin, no
// Referer, no cookie. What authorizes it is the signed, expiring token in the path, which names
// the person and what to stop; its action acts on the token alone, never on a session, so a POST
// from another site can do nothing the token's holder could not. Exactly this path, nothing under it.
const oneClickUnsubscribe = /^\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

// The other: a call to the JSON API that carries a bearer token. The API never reads the
// session cookie, so a page elsewhere gains nothing by sending one along; what acts is the
// token, which that page does not have. A call under /api/v1 without a token is checked as
// any other write is.
const apiPath = /^\/api\/v1(?:\/|$)/;

export function isBearerApiCall(path: string, authorization: string | undefined): boolean {
  return apiPath.test(path) && /^Bearer\s+\S/i.test(authorization ?? "");
}

export function isSameOriginRequest(
  method: string,
  headers: { origin?: string; referer?: string; authorization?: string },
  appOrigin: string,
  path?: string,
): boolean {
  if (safeMethods.has(method.toUpperCase())) return true;
  if (path !== undefined && oneClickUnsubscribe.test(path)) return true;
  if (path !== undefined && isBearerApiCall(path, headers.authorization)) return true;
  const { origin, referer } = headers;
  // A present Origin decides; "null" comes from sandboxed frames, data: pages and some cross-site redirects.
  if (origin !== undefined) return origin === appOrigin;
  if (referer !== undefined) return originOf(referer) === appOrigin;
  return false;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
