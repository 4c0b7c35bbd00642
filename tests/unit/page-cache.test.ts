import { describe, expect, it } from "vitest";
import { cacheControlFor, ifNoneMatchHas, isStorable, varyOn } from "../../server/cache-policy";
import { cutAtResponseValues, PageCache } from "../../server/page-cache";

const page = (text: string, stamp = "1:1") => ({
  status: 200,
  headers: [["content-type", "text/html"]] as [string, string][],
  etag: `"${text}"`,
  parts: [Buffer.from(text)],
  gaps: [],
  stamp,
});

const sharedCache = { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300 };

describe("the page cache", () => {
  it("gives a page back only while the data stamp is the one it was stored under", () => {
    const cache = new PageCache(1_000_000);
    cache.startRender("/", "5:1")(cache.set("/", page("home", "5:1")));
    expect(cache.get("/", "5:1")?.etag).toBe('"home"');
    expect(cache.get("/", "6:1")).toBeUndefined();
    // Dropped once stale: the stamp never goes back.
    expect(cache.get("/", "5:1")).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, hits: 1, misses: 1, hitRate: 0.5 });
  });

  it("forgets a page after its maximum age, for what moves with the clock alone", () => {
    let now = 0;
    const cache = new PageCache(1_000_000, 60_000, () => now);
    cache.set("/", page("home"));
    now = 59_000;
    expect(cache.get("/", "1:1")).toBeDefined();
    now = 61_000;
    expect(cache.get("/", "1:1")).toBeUndefined();
  });

  it("stays within its bytes by dropping the least recently used pages", () => {
    // Each page takes 1,000 bytes of text plus 513 of key and bookkeeping: six fit in 10,000.
    const cache = new PageCache(10_000);
    for (const key of ["a", "b", "c", "d", "e", "f"]) cache.set(key, page(key.repeat(1000)));
    cache.get("a", "1:1");
    cache.set("g", page("g".repeat(1000)));
    expect(cache.stats().entries).toBe(6);
    expect(cache.get("b", "1:1")).toBeUndefined();
    expect(cache.get("a", "1:1")).toBeDefined();
    expect(cache.get("g", "1:1")).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it("does not keep a page larger than a quarter of the cache", () => {
    const cache = new PageCache(4000);
    cache.set("/big", page("x".repeat(2000)));
    expect(cache.get("/big", "1:1")).toBeUndefined();
  });

  it("cuts a page wherever its response's nonce and request id were, so others can go there", () => {
    const body = Buffer.from('<script nonce="N0nce==">a</script><p>ref 1a2b</p><script nonce="N0nce==">b</script>');
    const cut = cutAtResponseValues(body, ["N0nce==", "1a2b"]);
    expect(cut.parts.map(String)).toEqual([
      '<script nonce="',
      '">a</script><p>ref ',
      '</p><script nonce="',
      '">b</script>',
    ]);
    expect(cut.gaps).toEqual([0, 1, 0]);
    expect(cutAtResponseValues(Buffer.from("no scripts"), ["N0nce==", "1a2b"])).toEqual({
      parts: [Buffer.from("no scripts")],
      gaps: [],
    });
  });
});

describe("what caches may keep", () => {
  const policy = { reading: true, status: 200, given: null, setsCookie: false, sharedCache };

  it("lets a shared cache keep a signed-out page for the configured seconds", () => {
    expect(cacheControlFor({ ...policy, signedIn: false })).toBe(
      "public, max-age=0, s-maxage=60, stale-while-revalidate=300",
    );
    expect(
      cacheControlFor({
        ...policy,
        signedIn: false,
        sharedCache: { maxAgeSeconds: 5, staleWhileRevalidateSeconds: 0 },
      }),
    ).toBe("public, max-age=0, s-maxage=5, stale-while-revalidate=0");
    // A feed's own lifetime stands.
    expect(cacheControlFor({ ...policy, signedIn: false, given: "public, max-age=300" })).toBe("public, max-age=300");
  });

  it("makes every signed-in answer private, whatever the route said", () => {
    expect(cacheControlFor({ ...policy, signedIn: true })).toBe("private, no-cache");
    expect(cacheControlFor({ ...policy, signedIn: true, given: "public, max-age=300" })).toBe("private, no-cache");
    expect(cacheControlFor({ ...policy, signedIn: true, status: 404 })).toBe("private, no-cache");
    expect(cacheControlFor({ ...policy, signedIn: true, given: "private, no-store" })).toBe("private, no-store");
  });

  it("keeps nothing that sets a cookie, failed, or was marked no-store", () => {
    expect(cacheControlFor({ ...policy, signedIn: false, setsCookie: true })).toBe("private, no-store");
    expect(cacheControlFor({ ...policy, signedIn: false, status: 500 })).toBe("private, no-store");
    expect(cacheControlFor({ ...policy, signedIn: false, given: "no-store" })).toBe("private, no-store");
    expect(isStorable(200, [["Set-Cookie", "a=b"]])).toBe(false);
    expect(isStorable(200, [["Cache-Control", "private, no-store"]])).toBe(false);
    expect(isStorable(404, [])).toBe(false);
    expect(isStorable(200, [["Cache-Control", "private, no-cache"]])).toBe(true);
  });

  it("says pages differ by cookie and language", () => {
    expect(varyOn(null, true)).toBe("Cookie, Accept-Language");
    expect(varyOn("Origin", true)).toBe("Origin, Cookie, Accept-Language");
    expect(varyOn(null, false)).toBeUndefined();
  });

  it("matches If-None-Match lists, weak tags and *", () => {
    expect(ifNoneMatchHas('"a", "b"', '"b"')).toBe(true);
    expect(ifNoneMatchHas('W/"b"', '"b"')).toBe(true);
    expect(ifNoneMatchHas("*", '"b"')).toBe(true);
    expect(ifNoneMatchHas('"a"', '"b"')).toBe(false);
    expect(ifNoneMatchHas(undefined, '"b"')).toBe(false);
  });
});

describe("renders under way", () => {
  it("lets requests for the same page and stamp wait for one render", async () => {
    const cache = new PageCache(1_000_000);
    expect(cache.pending("/", "1:1")).toBeUndefined();
    const finish = cache.startRender("/", "1:1");
    const waiting = cache.pending("/", "1:1");
    expect(waiting).toBeDefined();
    // Another stamp means other data: no sharing.
    expect(cache.pending("/", "2:1")).toBeUndefined();
    finish(cache.set("/", page("home")));
    expect((await waiting)?.etag).toBe('"home"');
    expect(cache.pending("/", "1:1")).toBeUndefined();
  });

  it("tells the waiting requests to render for themselves when the answer was not kept", async () => {
    const cache = new PageCache(1_000_000);
    const finish = cache.startRender("/", "1:1");
    const waiting = cache.pending("/", "1:1");
    finish(undefined);
    expect(await waiting).toBeUndefined();
  });
});
