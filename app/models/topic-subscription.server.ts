import { and, asc, eq } from "drizzle-orm";
import type { TopicType } from "~/domain";
import { db, type Tx } from "../../db/client";
import { categories, teams, topicSubscriptions } from "../../db/schema";
import { done, type Result, refused } from "./result";

// Following a category or a team's queue, to hear about new asks in it. Who may follow a
// team's queue (its members and admins) is the route's permission check; here the topic only
// has to exist.
export type TopicFollowing = { userId: number; topicType: TopicType; topicId: number };

function topicName(tx: Tx, topicType: TopicType, topicId: number): string | undefined {
  const table = topicType === "category" ? categories : teams;
  return tx.select({ name: table.name }).from(table).where(eq(table.id, topicId)).get()?.name;
}

export function followTopic({ userId, topicType, topicId }: TopicFollowing): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      if (topicName(tx, topicType, topicId) === undefined) return refused("not-found");
      tx.insert(topicSubscriptions).values({ userId, topicType, topicId }).onConflictDoNothing().run();
      return done();
    },
    { behavior: "immediate" },
  );
}

// Unfollowing a topic one does not follow changes nothing; a follow of a topic deleted since
// still goes, and only a topic that neither exists nor was followed is not found.
export function unfollowTopic({ userId, topicType, topicId }: TopicFollowing): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const { changes } = tx
        .delete(topicSubscriptions)
        .where(
          and(
            eq(topicSubscriptions.userId, userId),
            eq(topicSubscriptions.topicType, topicType),
            eq(topicSubscriptions.topicId, topicId),
          ),
        )
        .run();
      if (changes === 0 && topicName(tx, topicType, topicId) === undefined) return refused("not-found");
      return done();
    },
    { behavior: "immediate" },
  );
}

export type TopicFollow = { topicType: TopicType; topicId: number; name: string };

// The categories and team queues the person follows, categories first, each by name.
export function listTopicFollows(userId: number): TopicFollow[] {
  const named = (topicType: TopicType) => {
    const table = topicType === "category" ? categories : teams;
    return db()
      .select({ topicId: table.id, name: table.name })
      .from(topicSubscriptions)
      .innerJoin(table, eq(table.id, topicSubscriptions.topicId))
      .where(and(eq(topicSubscriptions.userId, userId), eq(topicSubscriptions.topicType, topicType)))
      .orderBy(asc(table.name))
      .all()
      .map((row) => ({ topicType, ...row }));
  };
  return [...named("category"), ...named("team")];
}
