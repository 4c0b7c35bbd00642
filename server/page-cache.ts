// Rendered pages kept in memory until the data under them changes. A page is stored with the
// database's change stamp at the moment its render began: once anything is written, by this
// process or another, the stamp moves on and every page kept under the old one is a miss.
// Pages are also dropped after maxAgeMs, because a few things on a page move with the clock
// alone ("edited 3 minutes ago", an undo offer that runs out).
//
// The body is kept cut at the nonce of the response it was rendered for, so each reader gets
// the page with a nonce of their own (see docs/decisions/013-page-cache.md).

export type CachedPage = {
  status: number;
  headers: [string, string][];
  etag: string;
  parts: Buffer[];
  stamp: string;
  storedAt: number;
  bytes: number;
};

// Hits: answers from a kept page or from a render another request started. Misses: renders.
export type PageCacheStats = {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  hitRate: number;
};

export class PageCache {
  // A Map iterates in insertion order: a hit is moved to the end, so the first key is the
  // least recently used.
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly maxBytes: number,
    private readonly maxAgeMs = 60_000,
    private readonly now = Date.now,
  ) {}

  get(key: string, stamp: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page || page.stamp !== stamp || this.now() - page.storedAt > this.maxAgeMs) {
      if (page) this.remove(key, page);
      return undefined;
    }
    this.pages.delete(key);
    this.pages.set(key, page);
    this.hits++;
    return page;
  }

  set(key: string, page: Omit<CachedPage, "storedAt" | "bytes">): CachedPage {
    const bytes = key.length + page.parts.reduce((sum, part) => sum + part.length, 0) + 512;
    const stored = { ...page, storedAt: this.now(), bytes };
    // One page larger than a quarter of the cache would push out everything else for little gain.
    if (bytes > this.maxBytes / 4) return stored;
    const old = this.pages.get(key);
    if (old) this.remove(key, old);
    this.pages.set(key, stored);
    this.bytes += bytes;
    for (const [oldestKey, oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    return stored;
  }

  // A page being rendered: requests for it at the same stamp wait for that one render instead
  // of each running their own (20 readers arriving together would otherwise render 20 times).
  private readonly rendering = new Map<string, { stamp: string; page: Promise<CachedPage | undefined> }>();

  // The page a render under way will give, if one is under way for this key and stamp.
  pending(key: string, stamp: string): Promise<CachedPage | undefined> | undefined {
    const render = this.rendering.get(key);
    if (render?.stamp !== stamp) return undefined;
    this.hits++;
    return render.page;
  }

  // Marks a render as under way; the returned function ends it with the page it stored (or
  // undefined when the answer was not one to keep), and must be called in every case.
  startRender(key: string, stamp: string): (page: CachedPage | undefined) => void {
    let finish: (page: CachedPage | undefined) => void = () => {};
    const page = new Promise<CachedPage | undefined>((resolve) => {
      finish = resolve;
    });
    const render = { stamp, page };
    this.rendering.set(key, render);
    this.misses++;
    return (result) => {
      if (this.rendering.get(key) === render) this.rendering.delete(key);
      finish(result);
    };
  }

  stats(): PageCacheStats {
    const asked = this.hits + this.misses;
    return {
      entries: this.pages.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      hitRate: asked ? Math.round((this.hits / asked) * 1000) / 1000 : 0,
    };
  }

  private remove(key: string, page: CachedPage) {
    this.pages.delete(key);
    this.bytes -= page.bytes;
  }
}

// The body cut wherever the nonce it was rendered with appears, to be sent with another
// between the parts. A nonce is 16 random bytes in base64: it does not occur in a page by chance.
export function cutAtNonce(body: Buffer, nonce: string): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = body.indexOf(nonce); at !== -1; at = body.indexOf(nonce, start)) {
    parts.push(body.subarray(start, at));
    start = at + nonce.length;
  }
  parts.push(body.subarray(start));
  return parts;
}
