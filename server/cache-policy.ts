// What browsers and shared caches (a CDN in front) may do with each answer.
//
// - Signed in: every answer is `private`: a shared cache must never hold one person's page
//   for another. Pages are `no-cache` (kept by the browser, asked again with the ETag).
// - Signed out: a page that says nothing of its own may be kept by a shared cache for
//   `s-maxage` seconds and served stale while it asks again; the browser asks every time.
// - `no-store` from a route (exports, a mail preview, an import's progress) always stands.
// - An answer that sets a cookie is for its request alone.

type Policy = {
  reading: boolean;
  signedIn: boolean;
  status: number;
  given: string | null;
  setsCookie: boolean;
  sharedCache: { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };
};

export function cacheControlFor({
  reading,
  signedIn,
  status,
  given,
  setsCookie,
  sharedCache,
}: Policy): string | undefined {
  if (given?.includes("no-store") || setsCookie || status >= 500) return "private, no-store";
  if (signedIn) return "private, no-cache";
  if (!reading || status !== 200) return given ?? undefined;
  return (
    given ??
    `public, max-age=0, s-maxage=${sharedCache.maxAgeSeconds}, stale-while-revalidate=${sharedCache.staleWhileRevalidateSeconds}`
  );
}

// A page differs by who is signed in, the theme (both cookies) and the reader's language
// (dates): a shared cache must keep one copy per combination, or none.
export function varyOn(given: string | null, reading: boolean): string | undefined {
  if (!reading) return given ?? undefined;
  const names = new Set(
    (given ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  );
  names.add("Cookie");
  names.add("Accept-Language");
  return [...names].join(", ");
}

// Only plain successful answers are kept in the page cache: no cookies, nothing private to a
// request.
export function isStorable(status: number, headers: [string, string][]): boolean {
  return (
    status === 200 &&
    !headers.some(([name, value]) => name === "Set-Cookie" || (name === "Cache-Control" && value.includes("no-store")))
  );
}

// If-None-Match holds a list of ETags (weak ones match too, RFC 9110 §13.1.2) or "*".
export function ifNoneMatchHas(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}
