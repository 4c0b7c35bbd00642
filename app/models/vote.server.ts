import { and, eq, inArray, ne, type SQLWrapper, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { asks, organizations, statuses, users, votes } from "../../db/schema";
import { autoFollow } from "./event.server";
import { done, type Result, refused } from "./result";
import { noteVoteChange } from "./webhook.server";

export type VoteResult = Result<"not-found" | "closed", { voted: boolean; voteCount: number }>;

// "6 votes from 5 organizations": the organizations the ask's voters belong to now.
const organizationsOfVoters = (askId: SQLWrapper | number) =>
  sql`(SELECT count(DISTINCT ${users.organizationId}) FROM ${votes} JOIN ${users} ON ${users.id} = ${votes.userId} WHERE ${votes.askId} = ${askId})`;

// Recomputes the count from the votes table, for changes that move many votes at once (merges).
// Imported votes whose voters are unknown (extraVotes) stay in the count.
export function recountVotes(tx: Tx, askId: number): void {
  tx.update(asks)
    .set({
      voteCount: sql`${asks.extraVotes} + (SELECT count(*) FROM ${votes} WHERE ${votes.askId} = ${askId})`,
      organizationCount: organizationsOfVoters(askId),
    })
    .where(eq(asks.id, askId))
    .run();
}

// For changes of membership (an organization merge, its undo, a person moving): every ask
// these people voted on is counted again.
export function recountOrganizations(tx: Tx, userIds: readonly number[]): void {
  if (userIds.length === 0) return;
  tx.update(asks)
    .set({ organizationCount: organizationsOfVoters(asks.id) })
    .where(
      inArray(
        asks.id,
        tx
          .select({ id: votes.askId })
          .from(votes)
          .where(inArray(votes.userId, [...userIds])),
      ),
    )
    .run();
}

// A single vote moves the counts by the rows it actually inserted or deleted (0 or 1),
// inside the same IMMEDIATE transaction, so they stay exact however many people vote at
// once, without counting thousands of votes (or their voters' organizations) on every click.
const voteTarget = preparedQuery((database) =>
  database
    .select({ acceptsVotes: statuses.acceptsVotes, duplicateOfId: asks.duplicateOfId })
    .from(asks)
    .innerJoin(statuses, eq(statuses.id, asks.statusId))
    .where(eq(asks.id, sql.placeholder("askId")))
    .prepare(),
);
const insertVote = preparedQuery((database) =>
  database
    .insert(votes)
    .values({ askId: sql.placeholder("askId"), userId: sql.placeholder("userId") })
    // The primary key (ask, user) makes a second vote a no-op, not a double count.
    .onConflictDoNothing()
    .prepare(),
);
const deleteVote = preparedQuery((database) =>
  database
    .delete(votes)
    .where(and(eq(votes.askId, sql.placeholder("askId")), eq(votes.userId, sql.placeholder("userId"))))
    .prepare(),
);
const moveCounts = preparedQuery((database) =>
  database
    .update(asks)
    .set({
      voteCount: sql`${asks.voteCount} + ${sql.placeholder("votes")}`,
      organizationCount: sql`${asks.organizationCount} + ${sql.placeholder("organizations")}`,
    })
    .where(eq(asks.id, sql.placeholder("askId")))
    .returning({ voteCount: asks.voteCount })
    .prepare(),
);
const voterOrganization = preparedQuery((database) =>
  database
    .select({ organizationId: users.organizationId })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
);
// Another member of the organization with a vote on the ask: the members by
// users_organization_idx, each looked up in the votes' primary key (ask, user).
const otherVoterOfOrganization = preparedQuery((database) =>
  database
    .select({ one: sql`1` })
    .from(users)
    .innerJoin(votes, and(eq(votes.askId, sql.placeholder("askId")), eq(votes.userId, users.id)))
    .where(and(eq(users.organizationId, sql.placeholder("organizationId")), ne(users.id, sql.placeholder("userId"))))
    .limit(1)
    .prepare(),
);

type VoteChange = { askId: number; userId: number };

// How far one vote moves the ask's organization count: the voter's organization is counted
// while at least one of its members has a vote on the ask, so only the first vote in and the
// last one out move it. People without an organization never do.
function organizationStep({ askId, userId }: VoteChange, changedVotes: number): number {
  if (!changedVotes) return 0;
  const organizationId = voterOrganization().get({ userId })?.organizationId;
  if (organizationId == null) return 0;
  return otherVoterOfOrganization().get({ askId, userId, organizationId }) ? 0 : 1;
}

export function castVote({ askId, userId }: VoteChange): VoteResult {
  return db().transaction(
    (tx): VoteResult => {
      const ask = voteTarget().get({ askId });
      if (!ask) return refused("not-found");
      if (!ask.acceptsVotes || ask.duplicateOfId) return refused("closed");
      const { changes } = insertVote().run({ askId, userId });
      const organizations = organizationStep({ askId, userId }, changes);
      const row = moveCounts().get({ askId, votes: changes, organizations });
      if (!row) return refused("not-found");
      if (changes) noteVoteChange(askId);
      autoFollow(tx, { askId, userId, reason: "voted" });
      return done({ voted: true, voteCount: row.voteCount });
    },
    { behavior: "immediate" },
  );
}

// Retracting is allowed on closed asks too: it is the voter's own choice. It does not
// unfollow: the Unfollow button does that.
export function retractVote({ askId, userId }: VoteChange): VoteResult {
  return db().transaction(
    (): VoteResult => {
      const { changes } = deleteVote().run({ askId, userId });
      const organizations = organizationStep({ askId, userId }, changes);
      const row = moveCounts().get({ askId, votes: -changes, organizations: -organizations });
      if (!row) return refused("not-found");
      if (changes) noteVoteChange(askId);
      return done({ voted: false, voteCount: row.voteCount });
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

export type OrganizationVotes = {
  // Null for the voters who belong to no organization (team members, people who gave none).
  organization: { id: number; name: string; slug: string | null } | null;
  votes: number;
  firstVotedAt: string;
  lastVotedAt: string;
};

const votesByOrganizationQuery = preparedQuery((database) =>
  database
    .select({
      organizationId: users.organizationId,
      name: organizations.name,
      slug: organizations.slug,
      votes: sql<number>`count(*)`,
      firstVotedAt: sql<string>`min(${votes.createdAt})`,
      lastVotedAt: sql<string>`max(${votes.createdAt})`,
    })
    .from(votes)
    .innerJoin(users, eq(users.id, votes.userId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(votes.askId, sql.placeholder("askId")))
    .groupBy(users.organizationId)
    .orderBy(sql`${users.organizationId} IS NULL`, sql`count(*) DESC`, sql`min(${votes.createdAt})`)
    .prepare(),
);

// Which organizations voted on an ask and when, the most votes first, people without an
// organization last. Only for viewers canSeeOrganizationVotes allows (models/site-setting.server.ts).
export function votesByOrganization(askId: number): OrganizationVotes[] {
  return votesByOrganizationQuery()
    .all({ askId })
    .map(({ organizationId, name, slug, ...counts }) => ({
      organization: organizationId !== null && name !== null ? { id: organizationId, name, slug } : null,
      ...counts,
    }));
}
