// Cross-site request forgery defence: a browser always says where a form or fetch
// came from (Origin, or at least Referer). A write that cannot show it came from
// one of our own pages is refused; SameSite=Lax cookies are the second line.

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameOriginRequest(
  method: string,
  headers: { origin?: string; referer?: string },
  appOrigin: string,
): boolean {
  if (safeMethods.has(method.toUpperCase())) return true;
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
