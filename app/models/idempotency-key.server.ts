import { and, eq, gt, lte } from "drizzle-orm";
import { db } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

// How long a first answer is kept for retries: a day, as Stripe and the IETF draft suggest.
const keepMs = 86_400_000;

export type StoredAnswer = { requestHash: string; status: number; body: string };

export function findIdempotentAnswer(tokenId: number, key: string, now = new Date()): StoredAnswer | undefined {
  return db()
    .select({ requestHash: idempotencyKeys.requestHash, status: idempotencyKeys.status, body: idempotencyKeys.body })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tokenId, tokenId),
        eq(idempotencyKeys.key, key),
        // An expired answer is as good as absent, even before it is swept.
        gt(idempotencyKeys.createdAt, new Date(now.getTime() - keepMs).toISOString()),
      ),
    )
    .get();
}

// Keeps the first answer to a key; a second one stored for the same key (a retry that raced
// the first in another process) is dropped, so retries keep replaying the first. Answers older
// than a day are swept here, by the index on created_at.
export function storeIdempotentAnswer(
  { tokenId, key, answer }: { tokenId: number; key: string; answer: StoredAnswer },
  now = new Date(),
): void {
  db().transaction(
    (tx) => {
      tx.delete(idempotencyKeys)
        .where(lte(idempotencyKeys.createdAt, new Date(now.getTime() - keepMs).toISOString()))
        .run();
      tx.insert(idempotencyKeys)
        .values({ tokenId, key, ...answer, createdAt: now.toISOString() })
        .onConflictDoNothing()
        .run();
    },
    { behavior: "immediate" },
  );
}
