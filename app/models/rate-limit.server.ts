import { and, eq, gt, lte, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { rateLimits } from "../../db/schema";

// One counted thing: "sign-in:address" for "203.0.113.7", at most 20 per 15 minutes.
export type RateLimitHit = { bucket: string; key: string; max: number; windowMs: number };

// A hit that was counted, named by its window so it can be given back (see releaseRateLimits).
export type CountedHit = { bucket: string; key: string; resetAt: string };

export type RateLimitResult = { ok: true; counted: CountedHit[] } | { ok: false; retryAfterMs: number };

// Fixed windows that open at the first counted hit. All or nothing: when any hit is over
// its limit, none is counted, so a refused request never extends anyone's lockout.
// `now` is a parameter so tests can move the clock instead of waiting.
export function countRateLimits(hits: RateLimitHit[], now = new Date()): RateLimitResult {
  const nowIso = now.toISOString();
  return db().transaction(
    (tx) => {
      // Expired windows are deleted here, by the index on reset_at, so the table only
      // ever holds windows that are still open.
      tx.delete(rateLimits).where(lte(rateLimits.resetAt, nowIso)).run();
      const open = hits.map(
        (hit) =>
          tx
            .select({ count: rateLimits.count, resetAt: rateLimits.resetAt })
            .from(rateLimits)
            .where(and(eq(rateLimits.bucket, hit.bucket), eq(rateLimits.key, hit.key)))
            .all()[0],
      );
      const fullUntil = open.flatMap((row, i) => (row && row.count >= hits[i].max ? [Date.parse(row.resetAt)] : []));
      if (fullUntil.length) return { ok: false, retryAfterMs: Math.max(...fullUntil) - now.getTime() };
      const counted = hits.map((hit) => {
        const [row] = tx
          .insert(rateLimits)
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
          .returning({ resetAt: rateLimits.resetAt })
          .all();
        return { bucket: hit.bucket, key: hit.key, resetAt: row.resetAt };
      });
      return { ok: true, counted };
    },
    { behavior: "immediate" },
  );
}

// Takes back one count per hit, in the window it was counted in; a window that has
// closed (and maybe reopened) since is left alone.
export function releaseRateLimits(counted: CountedHit[]): void {
  if (!counted.length) return;
  db().transaction(
    (tx) => {
      for (const hit of counted) {
        tx.update(rateLimits)
          .set({ count: sql`${rateLimits.count} - 1` })
          .where(
            and(
              eq(rateLimits.bucket, hit.bucket),
              eq(rateLimits.key, hit.key),
              eq(rateLimits.resetAt, hit.resetAt),
              gt(rateLimits.count, 0),
            ),
          )
          .run();
      }
    },
    { behavior: "immediate" },
  );
}
