import { and, eq, isNull, sql } from "drizzle-orm";
import { db, preparedQuery } from "../../db/client";
import { subscriptions } from "../../db/schema";
import { type Done, done } from "./result";

type Following = { askId: number; userId: number };

// Following an ask: the people who will hear about its status updates. Filing, voting and
// commenting follow automatically (event.server.ts autoFollow); this is the Follow button,
// which follows again even after an unfollow. Following twice changes nothing.
export function follow({ askId, userId }: Following): Done {
  db()
    .insert(subscriptions)
    .values({ askId, userId, reason: "followed" })
    .onConflictDoUpdate({
      target: [subscriptions.askId, subscriptions.userId],
      set: { unfollowedAt: null },
      setWhere: sql`${subscriptions.unfollowedAt} IS NOT NULL`,
    })
    .run();
  return done();
}

// The row stays, marked, so that a later vote or comment does not follow the ask again
// behind the person's back. Unfollowing what one does not follow changes nothing.
export function unfollow({ askId, userId }: Following): Done {
  db()
    .update(subscriptions)
    .set({ unfollowedAt: new Date().toISOString() })
    .where(and(eq(subscriptions.askId, askId), eq(subscriptions.userId, userId), isNull(subscriptions.unfollowedAt)))
    .run();
  return done();
}

const active = isNull(subscriptions.unfollowedAt);

const isFollowingQuery = preparedQuery((database) =>
  database
    .select({ askId: subscriptions.askId })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.askId, sql.placeholder("askId")),
        eq(subscriptions.userId, sql.placeholder("userId")),
        active,
      ),
    )
    .prepare(),
);

export function isFollowing(askId: number, userId: number): boolean {
  return isFollowingQuery().get({ askId, userId }) !== undefined;
}

export function followerIds(askId: number): number[] {
  return db()
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(and(eq(subscriptions.askId, askId), active))
    .all()
    .map((r) => r.userId);
}
