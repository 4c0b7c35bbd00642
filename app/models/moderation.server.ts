import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { asks, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { done, type Result, refused } from "./result";

export type AskHiding = { askId: number; reason: string | null; actorId: number };

// Hiding an ask takes it out of every list and page for partners and
// visitors; moderators still see it, with the reason. A null reason unhides it.
export function setAskHidden({ askId, reason, actorId }: AskHiding): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const before = tx
        .select({ hiddenAt: asks.hiddenAt, hiddenReason: asks.hiddenReason })
        .from(asks)
        .where(eq(asks.id, askId))
        .get();
      if (!before) return refused("not-found");
      const after = { hiddenAt: reason === null ? null : new Date().toISOString(), hiddenReason: reason };
      tx.update(asks).set(after).where(eq(asks.id, askId)).run();
      const action = reason === null ? "ask.unhide" : "ask.hide";
      recordAudit(tx, { actorId, action, subjectType: "ask", subjectId: askId, before, after });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type CommentsLocking = { askId: number; locked: boolean; actorId: number };

export function setCommentsLocked({ askId, locked, actorId }: CommentsLocking): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const before = tx.select({ commentsLockedAt: asks.commentsLockedAt }).from(asks).where(eq(asks.id, askId)).get();
      if (!before) return refused("not-found");
      const after = { commentsLockedAt: locked ? new Date().toISOString() : null };
      tx.update(asks).set(after).where(eq(asks.id, askId)).run();
      const action = locked ? "ask.lock" : "ask.unlock";
      recordAudit(tx, { actorId, action, subjectType: "ask", subjectId: askId, before, after });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type UserBlocking = { userId: number; blocked: boolean; actorId: number };
export type BlockResult = Result<"self" | "not-found">;

// A blocked user keeps reading and following but can no longer post, vote or comment.
// Nobody blocks themselves: a moderator could not take it back.
export function setUserBlocked({ userId, blocked, actorId }: UserBlocking): BlockResult {
  if (userId === actorId) return refused("self");
  return db().transaction(
    (tx): BlockResult => {
      const before = tx.select({ blockedAt: users.blockedAt }).from(users).where(eq(users.id, userId)).get();
      if (!before) return refused("not-found");
      // Blocking again keeps the date of the first block.
      const after = { blockedAt: blocked ? (before.blockedAt ?? new Date().toISOString()) : null };
      tx.update(users).set(after).where(eq(users.id, userId)).run();
      const action = blocked ? "user.block" : "user.unblock";
      recordAudit(tx, { actorId, action, subjectType: "user", subjectId: userId, before, after });
      return done();
    },
    { behavior: "immediate" },
  );
}
