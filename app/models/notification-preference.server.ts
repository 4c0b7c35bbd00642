import { eq, sql } from "drizzle-orm";
import { lastDigestTime } from "~/digest-schedule";
import { type Delivery, defaultDelivery, type NotificationKind, notificationKinds } from "~/domain";
import { db } from "../../db/client";
import { notificationPreferences, users } from "../../db/schema";
import { done, type Result } from "./result";
import { setReadingPreferences } from "./user.server";

// Everything the account page's notification form sets, in one place.
export type NotificationSettings = {
  deliveries: Record<NotificationKind, Delivery>;
  autoFollow: { filed: boolean; voted: boolean; commented: boolean };
  digestHour: number;
  digestWeekday: number;
  locale: string | null;
  timeZone: string | null;
  mailOff: boolean;
};

// How each kind reaches the person: their choice, else the kind's default.
export function deliveriesFor(userId: number): Record<NotificationKind, Delivery> {
  const chosen = db()
    .select({ kind: notificationPreferences.kind, delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
    .all();
  const result = { ...defaultDelivery };
  for (const { kind, delivery } of chosen) result[kind] = delivery;
  return result;
}

export function notificationSettings(userId: number): NotificationSettings | undefined {
  const user = db()
    .select({
      autoFollowFiled: users.autoFollowFiled,
      autoFollowVoted: users.autoFollowVoted,
      autoFollowCommented: users.autoFollowCommented,
      digestHour: users.digestHour,
      digestWeekday: users.digestWeekday,
      locale: users.locale,
      timeZone: users.timeZone,
      mailOffAt: users.mailOffAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return undefined;
  return {
    deliveries: deliveriesFor(userId),
    autoFollow: { filed: user.autoFollowFiled, voted: user.autoFollowVoted, commented: user.autoFollowCommented },
    digestHour: user.digestHour,
    digestWeekday: user.digestWeekday,
    locale: user.locale,
    timeZone: user.timeZone,
    mailOff: user.mailOffAt !== null,
  };
}

const day = 24 * 60 * 60 * 1000;

// The first digest time after `now`. Looking a little more than one period ahead and stepping
// back keeps it right across a daylight-saving change, when a day has 23 or 25 hours.
function nextDigestTime(now: Date, time: Parameters<typeof lastDigestTime>[1]): Date {
  const period = time.weekday === undefined ? day : 7 * day;
  let next = lastDigestTime(new Date(now.getTime() + period + 2 * 60 * 60 * 1000), time);
  for (;;) {
    const before = lastDigestTime(new Date(next.getTime() - 1), time);
    if (before.getTime() <= now.getTime()) return next;
    next = before;
  }
}

// When the next daily and weekly digests go out, as the worker will send them (in UTC while the
// person has saved no time zone).
export function nextDigests(
  settings: Pick<NotificationSettings, "digestHour" | "digestWeekday" | "timeZone">,
  now = new Date(),
): { daily: string; weekly: string } {
  const { timeZone, digestHour: hour, digestWeekday: weekday } = settings;
  return {
    daily: nextDigestTime(now, { timeZone, hour }).toISOString(),
    weekly: nextDigestTime(now, { timeZone, hour, weekday }).toISOString(),
  };
}

export type NotificationSettingsChange = Result<"not-found" | "bad-locale" | "bad-time-zone">;

// One submit of the account page's form: all of it is saved, or none of it.
export function saveNotificationSettings({
  userId,
  ...settings
}: NotificationSettings & { userId: number }): NotificationSettingsChange {
  return db().transaction(
    (tx): NotificationSettingsChange => {
      // The same connection, so it runs inside this transaction; it writes nothing when it refuses,
      // and it runs before any other write here.
      const reading = setReadingPreferences({ userId, locale: settings.locale, timeZone: settings.timeZone });
      if (!reading.ok) return reading;
      tx.update(users)
        .set({
          autoFollowFiled: settings.autoFollow.filed,
          autoFollowVoted: settings.autoFollow.voted,
          autoFollowCommented: settings.autoFollow.commented,
          digestHour: settings.digestHour,
          digestWeekday: settings.digestWeekday,
          // Already off stays off since the time it was first turned off.
          mailOffAt: settings.mailOff ? sql`coalesce(${users.mailOffAt}, ${new Date().toISOString()})` : null,
        })
        .where(eq(users.id, userId))
        .run();
      // Only choices that differ from the default are kept, so a changed default reaches everyone else.
      tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId)).run();
      const chosen = notificationKinds
        .filter((kind) => settings.deliveries[kind] !== defaultDelivery[kind])
        .map((kind) => ({ userId, kind, delivery: settings.deliveries[kind] }));
      if (chosen.length) tx.insert(notificationPreferences).values(chosen).run();
      return done();
    },
    { behavior: "immediate" },
  );
}
