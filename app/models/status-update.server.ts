import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db } from "../../db/client";
import { resolutionLinks, statuses, statusUpdates, teams, users } from "../../db/schema";

export type StatusUpdateView = {
  id: number;
  aboutDate: string;
  recordedAt: string;
  team: string | null;
  author: string;
  note: string;
  fromStatus: string | null;
  toStatus: { name: string; color: string };
  links: { url: string; title: string }[];
};

const fromStatus = alias(statuses, "from_status");

// "Status details", oldest first, by the date each update is about.
export function listStatusUpdates(askId: number): StatusUpdateView[] {
  const rows = db()
    .select({
      id: statusUpdates.id,
      aboutDate: statusUpdates.aboutDate,
      recordedAt: statusUpdates.recordedAt,
      team: teams.name,
      author: users.displayName,
      note: statusUpdates.note,
      fromStatus: fromStatus.name,
      toStatus: { name: statuses.name, color: statuses.color },
    })
    .from(statusUpdates)
    .innerJoin(users, eq(users.id, statusUpdates.authorId))
    .innerJoin(statuses, eq(statuses.id, statusUpdates.toStatusId))
    .leftJoin(fromStatus, eq(fromStatus.id, statusUpdates.fromStatusId))
    .leftJoin(teams, eq(teams.id, statusUpdates.teamId))
    .where(eq(statusUpdates.askId, askId))
    .orderBy(asc(statusUpdates.aboutDate), asc(statusUpdates.recordedAt), asc(statusUpdates.id))
    .all();
  if (!rows.length) return [];
  const links = db()
    .select({ statusUpdateId: resolutionLinks.statusUpdateId, url: resolutionLinks.url, title: resolutionLinks.title })
    .from(resolutionLinks)
    .where(
      inArray(
        resolutionLinks.statusUpdateId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(resolutionLinks.id))
    .all();
  return rows.map((r) => ({
    ...r,
    links: links.filter((l) => l.statusUpdateId === r.id).map(({ url, title }) => ({ url, title })),
  }));
}
