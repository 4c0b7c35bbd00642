import { and, eq, sql } from "drizzle-orm";
import { db, preparedQuery } from "../../db/client";
import { subscriptions } from "../../db/schema";
import { type Done, done } from "./result";

type Following = { askId: number; userId: number };

// Following an ask: the people who will hear about its status updates.
// Following twice, or unfollowing what one does not follow, changes nothing.
export function follow({ askId, userId }: Following): Done {
  db().insert(subscriptions).values({ askId, userId }).onConflictDoNothing().run();
  return done();
}

export function unfollow({ askId, userId }: Following): Done {
  db()
    .delete(subscriptions)
    .where(and(eq(subscriptions.askId, askId), eq(subscriptions.userId, userId)))
    .run();
  return done();
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
