import { and, eq, lte, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { type Done, done, type Refused, refused } from "./result";

// One counted thing: "sign-in:address" for "203.0.113.7", at most 20 per 15 minutes.
export type RateLimitHit = { bucket: string; key: string; max: number; windowMs: number };

export type RateLimitCount = Done | Refused<"limited", { retryAfterMs: number }>;

// Fixed windows that open at the first counted hit. `now` is an argument so tests can
// move the clock instead of waiting.
type Hits = { hits: RateLimitHit[]; now?: Date };

// Checks and counts in one transaction, all or nothing: when any hit is over its limit,
// none is counted, so a refused request never extends anyone's lockout.
export function countRateLimits({ hits, now = new Date() }: Hits): RateLimitCount {
  return db().transaction(
    (tx): RateLimitCount => {
      const wait = waitFor(tx, hits, now);
      if (wait !== undefined) return refused("limited", { retryAfterMs: wait });
      add(tx, hits, now);
      return done();
    },
    { behavior: "immediate" },
  );
}

export type RateLimitWindow =
  | Done<{ remaining: number; resetMs: number }>
  | Refused<"limited", { retryAfterMs: number }>;

// One limit, checked and counted, answering what is left of its window (the API's RateLimit-* headers).
export function countRateLimitWindow({ hit, now = new Date() }: { hit: RateLimitHit; now?: Date }): RateLimitWindow {
  return db().transaction(
    (tx): RateLimitWindow => {
      const wait = waitFor(tx, [hit], now);
      if (wait !== undefined) return refused("limited", { retryAfterMs: wait });
      add(tx, [hit], now);
      const row = tx
        .select({ count: rateLimits.count, resetAt: rateLimits.resetAt })
        .from(rateLimits)
        .where(and(eq(rateLimits.bucket, hit.bucket), eq(rateLimits.key, hit.key)))
        .get();
      const count = row?.count ?? 1;
      const resetAt = row ? Date.parse(row.resetAt) : now.getTime() + hit.windowMs;
      return done({ remaining: Math.max(0, hit.max - count), resetMs: resetAt - now.getTime() });
    },
    { behavior: "immediate" },
  );
}

// Checks without counting, for a caller that counts only some outcomes afterwards (failed sign-ins).
export function checkRateLimits({ hits, now = new Date() }: Hits): RateLimitCount {
  const wait = waitFor(db(), hits, now);
  return wait === undefined ? done() : refused("limited", { retryAfterMs: wait });
}

// Counts without checking: the outcome has happened, whatever the limit says.
export function addRateLimitHits({ hits, now = new Date() }: Hits): void {
  if (!hits.length) return;
  db().transaction((tx) => add(tx, hits, now), { behavior: "immediate" });
}

// How long until every full window among the hits has closed; undefined when none is full.
function waitFor(tx: Pick<Tx, "select">, hits: RateLimitHit[], now: Date): number | undefined {
  const fullUntil = hits.flatMap((hit) => {
    const row = tx
      .select({ count: rateLimits.count, resetAt: rateLimits.resetAt })
      .from(rateLimits)
      .where(and(eq(rateLimits.bucket, hit.bucket), eq(rateLimits.key, hit.key)))
      .get();
    const closes = row ? Date.parse(row.resetAt) : 0;
    return row && row.count >= hit.max && closes > now.getTime() ? [closes] : [];
  });
  return fullUntil.length ? Math.max(...fullUntil) - now.getTime() : undefined;
}

function add(tx: Tx, hits: RateLimitHit[], now: Date): void {
  // Expired windows are deleted here, by the index on reset_at, so the table only ever
  // holds windows that are still open and the upsert below never adds to a closed one.
  tx.delete(rateLimits).where(lte(rateLimits.resetAt, now.toISOString())).run();
  for (const hit of hits) {
    tx.insert(rateLimits)
      .values({
        bucket: hit.bucket,
        key: hit.key,
        count: 1,
        resetAt: new Date(now.getTime() + hit.windowMs).toISOString(),
      })
      .onConflictDoUpdate({
        target: [rateLimits.bucket, rateLimits.key],
        set: { count: sql`${rateLimits.count} + 1` },
      })
      .run();
  }
}
