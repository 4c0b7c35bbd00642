// Rendered pages kept in memory until the data under them changes. A page is stored with the
// database's change stamp at the moment its render began: once anything is written, by this
// process or another, the stamp moves on and every page kept under the old one is a miss.
// Pages are also dropped after maxAgeMs, because a few things on a page move with the clock
// alone ("edited 3 minutes ago", an undo offer that runs out).
//
// The body is kept cut at the nonce and request id of the response it was rendered for, so
// each reader gets the page with their own (see docs/decisions/013-page-cache.md).

export type CachedPage = CutBody & {
  status: number;
  headers: [string, string][];
  etag: string;
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

// A body cut wherever a value of its own response appears (the script nonce, the request id
// that error pages quote), to be sent again with another response's values in the gaps.
// `gaps[i]` says which value goes between parts[i] and parts[i + 1]. Both are random (16 and
// 6 bytes): neither occurs in a page by chance.
export type CutBody = { parts: Buffer[]; gaps: number[] };

export function cutAtResponseValues(body: Buffer, values: string[]): CutBody {
  const parts: Buffer[] = [];
  const gaps: number[] = [];
  let start = 0;
  for (;;) {
    let next = -1;
    let which = -1;
    values.forEach((value, index) => {
      const at = body.indexOf(value, start);
      if (at !== -1 && (next === -1 || at < next)) {
        next = at;
        which = index;
      }
    });
    if (next === -1) break;
    parts.push(body.subarray(start, next));
    gaps.push(which);
    start = next + (values[which] as string).length;
  }
  parts.push(body.subarray(start));
  return { parts, gaps };
}
