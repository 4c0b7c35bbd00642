import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Delivery, defaultDelivery, type NotificationKind } from "~/domain";
import { db } from "../../db/client";
import { asks, events, notificationPreferences, notifications, users } from "../../db/schema";
import { claimFanOut, type PendingEvent } from "./event.server";
import { enqueueMail, type MailDraft } from "./outbox.server";
import { done, type Result, refused } from "./result";

export type Recipient = {
  userId: number;
  email: string;
  displayName: string;
  locale: string | null;
  timeZone: string | null;
  // The kind as this person hears it (a comment is "comment_on_own" for the ask's author).
  kind: NotificationKind;
  // How the mail goes; "off" still lists the event in the app.
  mail: Delivery;
};

type Audience = {
  event: PendingEvent;
  ask: { authorId: number; hidden: boolean; categoryId: number; teamId: number | null };
};

// Everyone who hears about an event: followers of the ask (or of its category or team queue,
// for a new ask), never the person who caused it, nor a disabled or blocked user, nor anyone
// who cannot read a hidden ask. People who turned the kind off are left out altogether.
export function recipientsFor({ event, ask }: Audience): Recipient[] {
  const kindFor = sql<NotificationKind>`CASE WHEN ${event.kind} = 'comment' AND u.id = ${ask.authorId}
    THEN 'comment_on_own' ELSE ${event.kind} END`;
  const topic = event.kind === "new_ask" ? (JSON.parse(event.data) as { queue: string; topicId: number }) : undefined;
  const followers = topic
    ? sql`SELECT user_id FROM topic_subscriptions WHERE topic_type = ${topic.queue} AND topic_id = ${topic.topicId}`
    : sql`SELECT user_id FROM subscriptions WHERE ask_id = ${event.askId} AND unfollowed_at IS NULL`;
  const rows = db().all<{
    userId: number;
    email: string;
    displayName: string;
    locale: string | null;
    timeZone: string | null;
    kind: NotificationKind;
    chosen: Delivery | null;
    mailable: number;
  }>(sql`
    SELECT u.id AS userId, u.email, u.display_name AS displayName, u.locale, u.time_zone AS timeZone,
      ${kindFor} AS kind,
      (SELECT p.delivery FROM ${notificationPreferences} p WHERE p.user_id = u.id AND p.kind = ${kindFor}) AS chosen,
      (u.email_verified_at IS NOT NULL AND u.email_bounced_at IS NULL AND u.mail_off_at IS NULL) AS mailable
    FROM ${users} u
    WHERE u.id IN (${followers})
      AND u.disabled_at IS NULL AND u.blocked_at IS NULL
      AND u.id IS NOT ${event.actorId}
      AND (${ask.hidden ? 1 : 0} = 0 OR u.role IN ('team', 'admin'))
    ORDER BY u.id`);
  const recipients: Recipient[] = [];
  for (const row of rows) {
    const delivery = row.chosen ?? defaultDelivery[row.kind];
    if (delivery === "off") continue;
    recipients.push({
      userId: row.userId,
      email: row.email,
      displayName: row.displayName,
      locale: row.locale,
      timeZone: row.timeZone,
      kind: row.kind,
      mail: row.mailable ? delivery : "off",
    });
  }
  return recipients;
}

export type FanOut = { eventId: number; now: string; entries: { recipient: Recipient; mail: MailDraft | null }[] };

// Writes one notification per recipient, and the instant mails, in one transaction that also
// marks the event done, so a crash leaves either all of them or none. Returns false when
// another worker fanned the event out first.
export function recordFanOut({ eventId, now, entries }: FanOut): boolean {
  return db().transaction(
    (tx) => {
      if (!claimFanOut(tx, eventId, now)) return false;
      for (const { recipient, mail } of entries) {
        const instant = recipient.mail === "instant" && mail !== null;
        tx.insert(notifications)
          .values({
            userId: recipient.userId,
            eventId,
            delivery: recipient.mail,
            mailedAt: instant ? now : null,
            createdAt: now,
          })
          .onConflictDoNothing()
          .run();
        if (instant) enqueueMail(tx, mail, now);
      }
      return true;
    },
    { behavior: "immediate" },
  );
}

// --- Digests ---------------------------------------------------------------------------

export type DigestCandidate = {
  userId: number;
  email: string;
  delivery: "daily" | "weekly";
  oldest: string;
  timeZone: string | null;
  digestHour: number;
  digestWeekday: number;
};

// People with notifications waiting for a digest, with the oldest one's time. Someone who
// stopped all mail, or whose address bounced, is left out until that changes.
export function digestCandidates(): DigestCandidate[] {
  return db().all<DigestCandidate>(sql`
    SELECT n.user_id AS userId, u.email, n.delivery, min(n.created_at) AS oldest,
      u.time_zone AS timeZone, u.digest_hour AS digestHour, u.digest_weekday AS digestWeekday
    FROM ${notifications} n JOIN ${users} u ON u.id = n.user_id
    WHERE n.mailed_at IS NULL AND n.delivery IN ('daily', 'weekly')
      AND u.email_verified_at IS NOT NULL AND u.email_bounced_at IS NULL AND u.mail_off_at IS NULL
      AND u.disabled_at IS NULL
    GROUP BY n.user_id, n.delivery`);
}

export type DigestItem = {
  notificationId: number;
  kind: NotificationKind;
  data: string;
  createdAt: string;
  actor: string | null;
  ask: { id: number; title: string; slug: string };
};

export function digestItems(userId: number, delivery: "daily" | "weekly"): DigestItem[] {
  return db()
    .all<DigestItem & { askId: number; askTitle: string; askSlug: string }>(sql`
      SELECT n.id AS notificationId, e.kind, e.data, e.created_at AS createdAt, a.display_name AS actor,
        k.id AS askId, k.title AS askTitle, k.slug AS askSlug
      FROM ${notifications} n
      JOIN ${events} e ON e.id = n.event_id
      JOIN ${asks} k ON k.id = e.ask_id
      LEFT JOIN ${users} a ON a.id = e.actor_id
      WHERE n.user_id = ${userId} AND n.delivery = ${delivery} AND n.mailed_at IS NULL
      ORDER BY k.id, e.id`)
    .map(({ askId, askTitle, askSlug, ...item }) => ({ ...item, ask: { id: askId, title: askTitle, slug: askSlug } }));
}

// Puts one digest in the outbox and marks exactly the notifications it holds as mailed.
export function recordDigest({
  userId,
  delivery,
  notificationIds,
  mail,
  now,
}: {
  userId: number;
  delivery: "daily" | "weekly";
  notificationIds: number[];
  mail: MailDraft;
  now: string;
}): void {
  db().transaction(
    (tx) => {
      const ids = notificationIds.length ? notificationIds : [0];
      const { changes } = tx
        .update(notifications)
        .set({ mailedAt: now })
        .where(and(eq(notifications.userId, userId), inArray(notifications.id, ids), isNull(notifications.mailedAt)))
        .run();
      if (changes === 0) return;
      enqueueMail(tx, mail, now);
      tx.update(users)
        .set(delivery === "daily" ? { lastDailyDigestAt: now } : { lastWeeklyDigestAt: now })
        .where(eq(users.id, userId))
        .run();
    },
    { behavior: "immediate" },
  );
}

// --- In the app ------------------------------------------------------------------------

export const notificationPageSize = 30;

export type NotificationView = {
  id: number;
  kind: NotificationKind;
  data: string;
  createdAt: string;
  readAt: string | null;
  actor: string | null;
  ask: { id: number; title: string; slug: string };
};

export function listNotifications(userId: number, page: number): { entries: NotificationView[]; total: number } {
  const entries = db()
    .all<Omit<NotificationView, "ask"> & { askId: number; askTitle: string; askSlug: string }>(sql`
      SELECT n.id, e.kind, e.data, e.created_at AS createdAt, n.read_at AS readAt, a.display_name AS actor,
        k.id AS askId, k.title AS askTitle, k.slug AS askSlug
      FROM ${notifications} n
      JOIN ${events} e ON e.id = n.event_id
      JOIN ${asks} k ON k.id = e.ask_id
      LEFT JOIN ${users} a ON a.id = e.actor_id
      WHERE n.user_id = ${userId}
      ORDER BY n.id DESC
      LIMIT ${notificationPageSize} OFFSET ${(page - 1) * notificationPageSize}`)
    .map(({ askId, askTitle, askSlug, ...entry }) => ({
      ...entry,
      ask: { id: askId, title: askTitle, slug: askSlug },
    }));
  const total = db().select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).get()?.n ?? 0;
  return { entries, total };
}

export function unreadCount(userId: number): number {
  return (
    db()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .get()?.n ?? 0
  );
}

// Marks one notification (or, without an id, all of them) read for its owner only.
export function markNotificationsRead({
  userId,
  notificationId,
}: {
  userId: number;
  notificationId?: number;
}): Result<"not-found"> {
  const where = and(
    eq(notifications.userId, userId),
    isNull(notifications.readAt),
    notificationId === undefined ? undefined : eq(notifications.id, notificationId),
  );
  const { changes } = db().update(notifications).set({ readAt: new Date().toISOString() }).where(where).run();
  if (notificationId !== undefined && changes === 0) {
    const exists = db()
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
      .get();
    if (!exists) return refused("not-found");
  }
  return done();
}
