// Cross-site request forgery defence: a browser always says where a form or fetch
// came from (Origin, or at least Referer). A write that cannot show it came from
// one of our own pages is refused; SameSite=Lax cookies are the second line.

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export function checkOrigin(
  method: string,
  headers: { origin?: string; referer?: string },
  appOrigin: string,
): OriginVerdict {
  if (safeMethods.has(method.toUpperCase())) return { ok: true };
  const { origin, referer } = headers;
  if (origin !== undefined) {
    // "null" comes from sandboxed frames, data: pages and some cross-site redirects.
    return origin === appOrigin ? { ok: true } : { ok: false, reason: `Origin ${origin} is not ${appOrigin}` };
  }
  if (referer !== undefined) {
    const from = originOf(referer);
    return from === appOrigin ? { ok: true } : { ok: false, reason: `Referer from ${from ?? "nowhere"}` };
  }
  return { ok: false, reason: "neither Origin nor Referer was sent" };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
