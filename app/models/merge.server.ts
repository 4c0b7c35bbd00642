import { and, desc, eq, sql } from "drizzle-orm";
import { askPath } from "~/slug";
import { db, type Tx } from "../../db/client";
import { asks, statuses, statusUpdates, subscriptions, users, votes } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recountVotes } from "./vote.server";

export type MergeResult = { ok: true } | { ok: false; message: string };

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
    .all()[0];
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

// The history of the duplicate says what happened to it, like any other decision.
function appendHistory(tx: Tx, askId: number, actorId: number, fromStatusId: number, toStatusId: number, note: string) {
  const [actor] = tx.select({ teamId: users.teamId }).from(users).where(eq(users.id, actorId)).all();
  tx.insert(statusUpdates)
    .values({
      askId,
      fromStatusId,
      toStatusId,
      teamId: actor?.teamId ?? null,
      authorId: actorId,
      note,
      aboutDate: today(),
    })
    .run();
}

// Marks `duplicateId` as a duplicate of `targetId`. Its voters and followers
// are carried over to the target (a person already there is not counted twice);
// the duplicate keeps its own votes, so undoing the merge gives them back.
export function mergeAsk(duplicateId: number, targetId: number, actorId: number): MergeResult {
  return db().transaction(
    (tx) => {
      const duplicate = askRow(tx, duplicateId);
      const target = askRow(tx, targetId);
      if (!duplicate) return { ok: false, message: "That ask no longer exists." };
      if (!target) return { ok: false, message: `There is no ask number ${targetId}.` };
      if (duplicate.id === target.id) return { ok: false, message: "An ask cannot be merged into itself." };
      if (duplicate.duplicateOfId) return { ok: false, message: "This ask is already merged. Undo that merge first." };
      if (target.duplicateOfId) {
        return {
          ok: false,
          message: `Ask ${target.id} is itself merged into ask ${target.duplicateOfId}; merge into that one.`,
        };
      }
      const [mergedInto] = tx.select({ id: asks.id }).from(asks).where(eq(asks.duplicateOfId, duplicate.id)).all();
      if (mergedInto) return { ok: false, message: "Other asks are merged into this one. Undo those merges first." };
      const [duplicateStatus] = tx
        .select({ id: statuses.id })
        .from(statuses)
        .where(eq(statuses.slug, "duplicate"))
        .all();

      tx.run(sql`INSERT INTO ${votes} (ask_id, user_id, merged_from_ask_id, created_at)
        SELECT ${target.id}, user_id, ${duplicate.id}, created_at FROM ${votes}
        WHERE ask_id = ${duplicate.id} AND merged_from_ask_id IS NULL
        ON CONFLICT DO NOTHING`);
      tx.run(sql`INSERT INTO ${subscriptions} (ask_id, user_id, merged_from_ask_id)
        SELECT ${target.id}, user_id, ${duplicate.id} FROM ${subscriptions}
        WHERE ask_id = ${duplicate.id}
        ON CONFLICT DO NOTHING`);
      const now = new Date().toISOString();
      tx.update(asks)
        .set({ duplicateOfId: target.id, statusId: duplicateStatus.id, updatedAt: now })
        .where(eq(asks.id, duplicate.id))
        .run();
      tx.update(asks).set({ updatedAt: now }).where(eq(asks.id, target.id)).run();
      recountVotes(tx, target.id);
      appendHistory(
        tx,
        duplicate.id,
        actorId,
        duplicate.statusId,
        duplicateStatus.id,
        `Merged into [${target.title}](${askPath(target)}): votes and followers now count there.`,
      );
      recordAudit(tx, {
        actorId,
        action: "ask.merge",
        subjectType: "ask",
        subjectId: duplicate.id,
        before: { duplicateOfId: null, statusId: duplicate.statusId },
        after: { duplicateOfId: target.id, statusId: duplicateStatus.id },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

// Takes back exactly what the merge carried over and restores the status the
// duplicate had before it.
export function unmergeAsk(duplicateId: number, actorId: number): MergeResult {
  return db().transaction(
    (tx) => {
      const duplicate = askRow(tx, duplicateId);
      if (!duplicate?.duplicateOfId) return { ok: false, message: "This ask is not merged." };
      const targetId = duplicate.duplicateOfId;
      const [mergeEntry] = tx
        .select({ fromStatusId: statusUpdates.fromStatusId })
        .from(statusUpdates)
        .where(and(eq(statusUpdates.askId, duplicate.id), eq(statusUpdates.toStatusId, duplicate.statusId)))
        .orderBy(desc(statusUpdates.id))
        .limit(1)
        .all();
      const [open] = tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.slug, "open")).all();
      const restoredStatusId = mergeEntry?.fromStatusId ?? open.id;

      tx.delete(votes)
        .where(and(eq(votes.askId, targetId), eq(votes.mergedFromAskId, duplicate.id)))
        .run();
      tx.delete(subscriptions)
        .where(and(eq(subscriptions.askId, targetId), eq(subscriptions.mergedFromAskId, duplicate.id)))
        .run();
      const now = new Date().toISOString();
      tx.update(asks)
        .set({ duplicateOfId: null, statusId: restoredStatusId, updatedAt: now })
        .where(eq(asks.id, duplicate.id))
        .run();
      recountVotes(tx, targetId);
      const target = askRow(tx, targetId);
      appendHistory(
        tx,
        duplicate.id,
        actorId,
        duplicate.statusId,
        restoredStatusId,
        `Merge into [${target.title}](${askPath(target)}) undone: votes and followers are back on this ask.`,
      );
      recordAudit(tx, {
        actorId,
        action: "ask.unmerge",
        subjectType: "ask",
        subjectId: duplicate.id,
        before: { duplicateOfId: targetId, statusId: duplicate.statusId },
        after: { duplicateOfId: null, statusId: restoredStatusId },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
