import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { asks, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { done, type Result, refused } from "./result";

// Hiding an ask takes it out of every list and page for partners and
// visitors; moderators still see it, with the reason. A null reason unhides it.
export function setAskHidden({
  askId,
  reason,
  actorId,
}: {
  askId: number;
  reason: string | null;
  actorId: number;
}): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const before = tx
        .select({ hiddenAt: asks.hiddenAt, hiddenReason: asks.hiddenReason })
        .from(asks)
        .where(eq(asks.id, askId))
        .get();
      if (!before) return refused("not-found");
      const hiddenAt = reason === null ? null : new Date().toISOString();
      tx.update(asks).set({ hiddenAt, hiddenReason: reason }).where(eq(asks.id, askId)).run();
      recordAudit(tx, {
        actorId,
        action: reason === null ? "ask.unhide" : "ask.hide",
        subjectType: "ask",
        subjectId: askId,
        before,
        after: { hiddenAt, hiddenReason: reason },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export function setCommentsLocked({
  askId,
  locked,
  actorId,
}: {
  askId: number;
  locked: boolean;
  actorId: number;
}): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const before = tx.select({ commentsLockedAt: asks.commentsLockedAt }).from(asks).where(eq(asks.id, askId)).get();
      if (!before) return refused("not-found");
      const commentsLockedAt = locked ? new Date().toISOString() : null;
      tx.update(asks).set({ commentsLockedAt }).where(eq(asks.id, askId)).run();
      recordAudit(tx, {
        actorId,
        action: locked ? "ask.lock" : "ask.unlock",
        subjectType: "ask",
        subjectId: askId,
        before,
        after: { commentsLockedAt },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type BlockResult = Result<"self" | "not-found">;

// A blocked user keeps reading and following but can no longer post, vote or comment.
// Nobody blocks themselves: a moderator could not take it back.
export function setUserBlocked({
  userId,
  blocked,
  actorId,
}: {
  userId: number;
  blocked: boolean;
  actorId: number;
}): BlockResult {
  if (userId === actorId) return refused("self");
  return db().transaction(
    (tx): BlockResult => {
      const before = tx.select({ blockedAt: users.blockedAt }).from(users).where(eq(users.id, userId)).get();
      if (!before) return refused("not-found");
      const blockedAt = blocked ? (before.blockedAt ?? new Date().toISOString()) : null;
      tx.update(users).set({ blockedAt }).where(eq(users.id, userId)).run();
      recordAudit(tx, {
        actorId,
        action: blocked ? "user.block" : "user.unblock",
        subjectType: "user",
        subjectId: userId,
        before,
        after: { blockedAt },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}
