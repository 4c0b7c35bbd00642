import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
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

export function isFollowing(askId: number, userId: number): boolean {
  return (
    db()
      .select({ askId: subscriptions.askId })
      .from(subscriptions)
      .where(and(eq(subscriptions.askId, askId), eq(subscriptions.userId, userId)))
      .all().length > 0
  );
}

export function followerIds(askId: number): number[] {
  return db()
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(eq(subscriptions.askId, askId))
    .all()
    .map((r) => r.userId);
}
