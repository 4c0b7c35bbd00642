import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { FollowReason, NotificationKind } from "~/domain";
import { db, type Tx } from "../../db/client";
import { asks, events, subscriptions, users } from "../../db/schema";
import { enqueueEventWebhooks } from "./webhook.server";

// What each kind of event shows, frozen when it happened.
export type EventData = {
  status_update: {
    statusUpdateId: number;
    date: string;
    team: string | null;
    status: string;
    fromStatus: string | null;
    note: string;
    links: { url: string; title: string }[];
  };
  official_response: { commentId: number; body: string };
  comment: { commentId: number; body: string };
  merge: { targetId: number; targetTitle: string; targetSlug: string };
  edit: { changes: { field: string; before: string; after: string }[] };
  new_ask: { queue: "category" | "team"; topicId: number; topicName: string };
};
export type EventKind = keyof EventData;

export type NewEvent = {
  [K in EventKind]: { kind: K; askId: number; actorId: number | null; data: EventData[K] };
}[EventKind];

// Called inside the transaction that made the change, so an event exists exactly when its
// change committed. Recipients are worked out later by the worker (fan-out), which keeps a
// status update on an ask with 10,000 followers as quick as one with none.
export function recordEvent(tx: Tx, event: NewEvent): void {
  tx.insert(events)
    .values({ kind: event.kind, askId: event.askId, actorId: event.actorId, data: JSON.stringify(event.data) })
    .run();
  enqueueEventWebhooks(tx, event);
}

// Makes the person follow the ask for `reason`, if their settings ask for it and they never
// unfollowed it; the Follow button ("followed") follows again even after an unfollow.
export function autoFollow(tx: Tx, { askId, userId, reason }: { askId: number; userId: number; reason: FollowReason }) {
  if (reason !== "followed") {
    const user = tx
      .select({
        filed: users.autoFollowFiled,
        voted: users.autoFollowVoted,
        commented: users.autoFollowCommented,
      })
      .from(users)
      .where(eq(users.id, userId))
      .get();
    if (!user?.[reason]) return;
  }
  tx.insert(subscriptions).values({ askId, userId, reason }).onConflictDoNothing().run();
}

export type PendingEvent = {
  id: number;
  kind: NotificationKind;
  askId: number;
  actorId: number | null;
  actor: string | null;
  data: string;
  createdAt: string;
};

// The oldest events not yet fanned out.
export function pendingEvents(limit: number): PendingEvent[] {
  return db()
    .select({
      id: events.id,
      kind: events.kind,
      askId: events.askId,
      actorId: events.actorId,
      actor: users.displayName,
      data: events.data,
      createdAt: events.createdAt,
    })
    .from(events)
    .leftJoin(users, eq(users.id, events.actorId))
    .where(isNull(events.fannedOutAt))
    .orderBy(asc(events.id))
    .limit(limit)
    .all();
}

// Marks an event fanned out unless another worker already did; true when this caller won.
export function claimFanOut(tx: Tx, eventId: number, now: string): boolean {
  const { changes } = tx
    .update(events)
    .set({ fannedOutAt: now })
    .where(and(eq(events.id, eventId), isNull(events.fannedOutAt)))
    .run();
  return changes === 1;
}

// The ask as the event's mail shows it, read at fan-out time (its current title and state).
export function eventAsk(askId: number) {
  return db()
    .select({
      id: asks.id,
      title: asks.title,
      slug: asks.slug,
      authorId: asks.authorId,
      categoryId: asks.categoryId,
      teamId: asks.teamId,
      hidden: sql<boolean>`${asks.hiddenAt} IS NOT NULL`.mapWith(Boolean),
    })
    .from(asks)
    .where(eq(asks.id, askId))
    .get();
}
