import { and, eq, sql } from "drizzle-orm";
import { db, preparedQuery } from "../../db/client";
import { subscriptions } from "../../db/schema";

// Following an ask: the people who will hear about its status updates.
export function follow(askId: number, userId: number): void {
  db().insert(subscriptions).values({ askId, userId }).onConflictDoNothing().run();
}

export function unfollow(askId: number, userId: number): void {
  db()
    .delete(subscriptions)
    .where(and(eq(subscriptions.askId, askId), eq(subscriptions.userId, userId)))
    .run();
}

const isFollowingQuery = preparedQuery((database) =>
  database
    .select({ askId: subscriptions.askId })
    .from(subscriptions)
    .where(and(eq(subscriptions.askId, sql.placeholder("askId")), eq(subscriptions.userId, sql.placeholder("userId"))))
    .prepare(),
);

export function isFollowing(askId: number, userId: number): boolean {
  return isFollowingQuery().get({ askId, userId }) !== undefined;
}

export function followerIds(askId: number): number[] {
  return db()
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(eq(subscriptions.askId, askId))
    .all()
    .map((r) => r.userId);
}
