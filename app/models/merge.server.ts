import { and, desc, eq, sql } from "drizzle-orm";
import { askPath } from "~/slug";
import { db, type Tx } from "../../db/client";
import { asks, statuses, statusUpdates, subscriptions, votes } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recordEvent } from "./event.server";
import { done, type Refused, type Result, refused } from "./result";
import { announceStatusUpdate, appendStatusUpdate } from "./status-update.server";
import { recountVotes } from "./vote.server";

export type MergeResult =
  | Result<"self" | "not-found" | "target-not-found" | "already-merged" | "has-merged-asks">
  // The target is closed (completed, declined…): merging there needs `confirmClosed`.
  | Refused<"target-closed", { statusName: string }>
  // The target is itself a duplicate: merge into the ask it points at instead.
  | Refused<"target-merged", { duplicateOfId: number }>;

export type UnmergeResult = Result<"not-found" | "not-merged">;

function askRow(tx: Tx, id: number) {
  return tx
    .select({
      id: asks.id,
      slug: asks.slug,
      title: asks.title,
      statusId: asks.statusId,
      duplicateOfId: asks.duplicateOfId,
    })
    .from(asks)
    .where(eq(asks.id, id))
    .get();
}

function statusIdOf(tx: Tx, slug: "open" | "duplicate"): number {
  const status = tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.slug, slug)).get();
  // Built-in statuses cannot be deleted (app/domain.ts).
  if (!status) throw new Error(`the built-in status "${slug}" is missing`);
  return status.id;
}

// Marks `askId` as a duplicate of `targetId`. Its voters and followers are
// carried over to the target (a person already there is not counted twice);
// the duplicate keeps its own votes, so undoing the merge gives them back.
export type Merge = { askId: number; targetId: number; confirmClosed?: boolean; actorId: number };

export function mergeAsk({ askId, targetId, confirmClosed = false, actorId }: Merge): MergeResult {
  return db().transaction(
    (tx): MergeResult => {
      const duplicate = askRow(tx, askId);
      const target = askRow(tx, targetId);
      if (!duplicate) return refused("not-found");
      if (!target) return refused("target-not-found");
      if (duplicate.id === target.id) return refused("self");
      if (duplicate.duplicateOfId) return refused("already-merged");
      if (target.duplicateOfId) return refused("target-merged", { duplicateOfId: target.duplicateOfId });
      if (tx.select({ id: asks.id }).from(asks).where(eq(asks.duplicateOfId, duplicate.id)).get()) {
        return refused("has-merged-asks");
      }
      const targetStatus = tx
        .select({ name: statuses.name, isClosed: statuses.isClosed })
        .from(statuses)
        .where(eq(statuses.id, target.statusId))
        .get();
      if (targetStatus?.isClosed && !confirmClosed) return refused("target-closed", { statusName: targetStatus.name });

      tx.run(sql`INSERT INTO ${votes} (ask_id, user_id, merged_from_ask_id, created_at)
        SELECT ${target.id}, user_id, ${duplicate.id}, created_at FROM ${votes}
        WHERE ask_id = ${duplicate.id} AND merged_from_ask_id IS NULL
        ON CONFLICT DO NOTHING`);
      // Only people who still follow the duplicate; someone who unfollowed the target stays unfollowed.
      tx.run(sql`INSERT INTO ${subscriptions} (ask_id, user_id, reason, merged_from_ask_id)
        SELECT ${target.id}, user_id, reason, ${duplicate.id} FROM ${subscriptions}
        WHERE ask_id = ${duplicate.id} AND unfollowed_at IS NULL
        ON CONFLICT DO NOTHING`);
      const now = new Date().toISOString();
      tx.update(asks).set({ duplicateOfId: target.id }).where(eq(asks.id, duplicate.id)).run();
      tx.update(asks).set({ updatedAt: now }).where(eq(asks.id, target.id)).run();
      recountVotes(tx, target.id);
      // The history of the duplicate says what happened to it, like any other decision.
      const after = appendStatusUpdate(tx, {
        askId: duplicate.id,
        toStatusId: statusIdOf(tx, "duplicate"),
        note: `Merged into [${target.title}](${askPath(target)}): votes and followers now count there.`,
        actorId,
      });
      recordAudit(tx, {
        actorId,
        action: "ask.merge",
        subjectType: "ask",
        subjectId: duplicate.id,
        before: { duplicateOfId: null, statusId: duplicate.statusId },
        after: { duplicateOfId: target.id, statusId: after.statusId },
      });
      // One event for the merge (its status update above is part of it): the duplicate's
      // followers hear where their votes went.
      recordEvent(tx, {
        kind: "merge",
        askId: duplicate.id,
        actorId,
        data: { targetId: target.id, targetTitle: target.title, targetSlug: target.slug },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

// Takes back exactly what the merge carried over and restores the status the
// duplicate had before it.
export function unmergeAsk({ askId, actorId }: { askId: number; actorId: number }): UnmergeResult {
  return db().transaction(
    (tx): UnmergeResult => {
      const duplicate = askRow(tx, askId);
      if (!duplicate) return refused("not-found");
      const targetId = duplicate.duplicateOfId;
      const target = targetId ? askRow(tx, targetId) : undefined;
      if (!target) return refused("not-merged");
      const mergeEntry = tx
        .select({ fromStatusId: statusUpdates.fromStatusId })
        .from(statusUpdates)
        .where(and(eq(statusUpdates.askId, duplicate.id), eq(statusUpdates.toStatusId, duplicate.statusId)))
        .orderBy(desc(statusUpdates.id))
        .limit(1)
        .get();
      const restoredStatusId = mergeEntry?.fromStatusId ?? statusIdOf(tx, "open");

      tx.delete(votes)
        .where(and(eq(votes.askId, target.id), eq(votes.mergedFromAskId, duplicate.id)))
        .run();
      tx.delete(subscriptions)
        .where(and(eq(subscriptions.askId, target.id), eq(subscriptions.mergedFromAskId, duplicate.id)))
        .run();
      tx.update(asks).set({ duplicateOfId: null }).where(eq(asks.id, duplicate.id)).run();
      recountVotes(tx, target.id);
      const after = appendStatusUpdate(tx, {
        askId: duplicate.id,
        toStatusId: restoredStatusId,
        note: `Merge into [${target.title}](${askPath(target)}) undone: votes and followers are back on this ask.`,
        actorId,
      });
      recordAudit(tx, {
        actorId,
        action: "ask.unmerge",
        subjectType: "ask",
        subjectId: duplicate.id,
        before: { duplicateOfId: target.id, statusId: duplicate.statusId },
        after: { duplicateOfId: null, statusId: after.statusId },
      });
      // The duplicate's followers heard it was merged; they hear it is back, as a status update.
      announceStatusUpdate(tx, after.statusUpdateId, actorId);
      return done();
    },
    { behavior: "immediate" },
  );
}
