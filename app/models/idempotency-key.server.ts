import { and, eq, lte } from "drizzle-orm";
import { db } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

// How long a first answer is kept for retries: a day, as Stripe and the IETF draft suggest.
const keepMs = 86_400_000;
// A reservation this old with no answer belongs to a process that died mid-request: no write
// takes anywhere near this long, so another request may take the key over.
const staleMs = 60_000;
// No HTTP answer has status 0, so it marks a key reserved by a request that has not answered yet.
const inProgress = 0;

export type StoredAnswer = { requestHash: string; status: number; body: string };

export type Reservation =
  | { kind: "reserved"; reservedAt: string }
  | { kind: "in-progress" }
  | { kind: "answered"; answer: StoredAnswer };

const sameKey = (tokenId: number, key: string) =>
  and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key));

// Claims a key before its request writes anything. The claim is one IMMEDIATE transaction, so of
// two requests with the same key, in this process or another, exactly one gets "reserved"; the
// other sees the first's answer, or that it is still coming. Answers older than a day are swept
// here first, by the index on created_at, so an expired key can be used again.
export function reserveIdempotencyKey(tokenId: number, key: string, now = new Date()): Reservation {
  const reservedAt = now.toISOString();
  return db().transaction(
    (tx): Reservation => {
      tx.delete(idempotencyKeys)
        .where(lte(idempotencyKeys.createdAt, new Date(now.getTime() - keepMs).toISOString()))
        .run();
      const inserted = tx
        .insert(idempotencyKeys)
        .values({ tokenId, key, requestHash: "", status: inProgress, body: "", createdAt: reservedAt })
        .onConflictDoNothing()
        .run();
      if (inserted.changes === 1) return { kind: "reserved", reservedAt };
      const row = tx
        .select({
          requestHash: idempotencyKeys.requestHash,
          status: idempotencyKeys.status,
          body: idempotencyKeys.body,
          createdAt: idempotencyKeys.createdAt,
        })
        .from(idempotencyKeys)
        .where(sameKey(tokenId, key))
        .get();
      if (!row) throw new Error("An idempotency key conflicted with a row that is not there.");
      if (row.status !== inProgress) {
        return { kind: "answered", answer: { requestHash: row.requestHash, status: row.status, body: row.body } };
      }
      if (row.createdAt > new Date(now.getTime() - staleMs).toISOString()) return { kind: "in-progress" };
      tx.update(idempotencyKeys).set({ createdAt: reservedAt }).where(sameKey(tokenId, key)).run();
      return { kind: "reserved", reservedAt };
    },
    { behavior: "immediate" },
  );
}

// The reservation's time identifies it: a request whose stale reservation was taken over stores
// nothing, so retries replay the answer of the request that holds the key now.
const ownReservation = (tokenId: number, key: string, reservedAt: string) =>
  and(sameKey(tokenId, key), eq(idempotencyKeys.status, inProgress), eq(idempotencyKeys.createdAt, reservedAt));

export function storeIdempotentAnswer({
  tokenId,
  key,
  reservedAt,
  answer,
}: {
  tokenId: number;
  key: string;
  reservedAt: string;
  answer: StoredAnswer;
}): void {
  db()
    .update(idempotencyKeys)
    .set(answer)
    .where(ownReservation(tokenId, key, reservedAt))
    .run();
}

// Gives a key back when its request wrote nothing worth replaying (a 5xx, or a body that could
// not be read), so a retry runs afresh instead of waiting out the reservation.
export function releaseIdempotencyKey({
  tokenId,
  key,
  reservedAt,
}: {
  tokenId: number;
  key: string;
  reservedAt: string;
}): void {
  db()
    .delete(idempotencyKeys)
    .where(ownReservation(tokenId, key, reservedAt))
    .run();
}
