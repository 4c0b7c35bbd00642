import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { asks, users } from "../../db/schema";
import { recordAudit } from "./audit.server";

// Hiding an ask takes it out of every list and page for partners and
// visitors; moderators still see it, with the reason.
export function setAskHidden(askId: number, actorId: number, reason: string | null): boolean {
  return db().transaction(
    (tx) => {
      const [before] = tx
        .select({ hiddenAt: asks.hiddenAt, hiddenReason: asks.hiddenReason })
        .from(asks)
        .where(eq(asks.id, askId))
        .all();
      if (!before) return false;
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
      return true;
    },
    { behavior: "immediate" },
  );
}

export function setCommentsLocked(askId: number, actorId: number, locked: boolean): boolean {
  return db().transaction(
    (tx) => {
      const [before] = tx
        .select({ commentsLockedAt: asks.commentsLockedAt })
        .from(asks)
        .where(eq(asks.id, askId))
        .all();
      if (!before) return false;
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
      return true;
    },
    { behavior: "immediate" },
  );
}

// A blocked user keeps reading and following but can no longer post, vote or comment.
export function setUserBlocked(userId: number, actorId: number, blocked: boolean): boolean {
  return db().transaction(
    (tx) => {
      const [before] = tx.select({ blockedAt: users.blockedAt }).from(users).where(eq(users.id, userId)).all();
      if (!before) return false;
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
      return true;
    },
    { behavior: "immediate" },
  );
}
