import { and, eq, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { asks, statuses, votes } from "../../db/schema";

export type VoteResult =
  | { ok: true; voted: boolean; voteCount: number }
  | { ok: false; reason: "not-found" | "closed" };

// The count is recomputed from the votes table inside the same IMMEDIATE
// transaction as the change, so it is exact however many people vote at once.
export function recountVotes(tx: Tx, askId: number): number {
  const [row] = tx
    .update(asks)
    .set({ voteCount: sql`(SELECT count(*) FROM ${votes} WHERE ${votes.askId} = ${askId})` })
    .where(eq(asks.id, askId))
    .returning({ voteCount: asks.voteCount })
    .all();
  return row.voteCount;
}

export function castVote(askId: number, userId: number): VoteResult {
  return db().transaction(
    (tx) => {
      const [ask] = tx
        .select({ acceptsVotes: statuses.acceptsVotes, duplicateOfId: asks.duplicateOfId })
        .from(asks)
        .innerJoin(statuses, eq(statuses.id, asks.statusId))
        .where(eq(asks.id, askId))
        .all();
      if (!ask) return { ok: false, reason: "not-found" };
      if (!ask.acceptsVotes || ask.duplicateOfId) return { ok: false, reason: "closed" };
      // The primary key (ask, user) makes a second vote a no-op, not a double count.
      tx.insert(votes).values({ askId, userId }).onConflictDoNothing().run();
      return { ok: true, voted: true, voteCount: recountVotes(tx, askId) };
    },
    { behavior: "immediate" },
  );
}

// Retracting is allowed on closed asks too: it is the voter's own choice.
export function retractVote(askId: number, userId: number): VoteResult {
  return db().transaction(
    (tx) => {
      const [ask] = tx.select({ id: asks.id }).from(asks).where(eq(asks.id, askId)).all();
      if (!ask) return { ok: false, reason: "not-found" };
      tx.delete(votes)
        .where(and(eq(votes.askId, askId), eq(votes.userId, userId)))
        .run();
      return { ok: true, voted: false, voteCount: recountVotes(tx, askId) };
    },
    { behavior: "immediate" },
  );
}

const hasVotedQuery = preparedQuery((database) =>
  database
    .select({ one: sql`1` })
    .from(votes)
    .where(and(eq(votes.askId, sql.placeholder("askId")), eq(votes.userId, sql.placeholder("userId"))))
    .prepare(),
);

export function hasVoted(askId: number, userId: number): boolean {
  return hasVotedQuery().get({ askId, userId }) !== undefined;
}
