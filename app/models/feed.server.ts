import { and, desc, eq, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { asks, resolutionLinks, statuses, statusUpdates, teams, users } from "../../db/schema";
import { type CommentView, listComments } from "./comment.server";
import { listStatusUpdates, type StatusUpdateView, statusUpdateColumns } from "./status-update.server";

// Enough for a reader polling every few minutes; older history stays on the ask pages.
export const feedEntryLimit = 50;

type FeedAsk = { id: number; slug: string; title: string };

export type FeedStatusUpdate = Pick<
  StatusUpdateView,
  "id" | "aboutDate" | "recordedAt" | "editedAt" | "team" | "author" | "note" | "links"
> & {
  // The status it moved the ask to, by name.
  status: string;
  // False for a note that left the ask where the entry before it had put it.
  statusChanged: boolean;
};

export type RecentStatusUpdate = FeedStatusUpdate & { ask: FeedAsk };

export type AskFeedItem = ({ kind: "update" } & FeedStatusUpdate) | ({ kind: "comment" } & CommentView);

// The status the ask had just before this update, in the order the ask page
// shows its history (by the date it is about), as the timeline compares it:
// an update entered later but back-dated between two others reads right.
const previousStatusId = sql<number | null>`coalesce((
  SELECT p.to_status_id FROM status_updates p
  WHERE p.ask_id = ${statusUpdates.askId}
    AND (p.about_date, p.recorded_at, p.id) < (${statusUpdates.aboutDate}, ${statusUpdates.recordedAt}, ${statusUpdates.id})
  ORDER BY p.about_date DESC, p.recorded_at DESC, p.id DESC LIMIT 1
), ${statusUpdates.fromStatusId})`;

// The latest status updates on all asks, newest recorded first. Hidden asks'
// updates never appear: a feed has no viewer to check a permission for.
export function listRecentStatusUpdates(limit = feedEntryLimit): RecentStatusUpdate[] {
  // The newest `limit` are picked first, so the per-row work below runs that often, not once per update.
  const latest = db()
    .select({ id: statusUpdates.id })
    .from(statusUpdates)
    .where(
      notExists(
        db()
          .select({ one: sql`1` })
          .from(asks)
          .where(and(eq(asks.id, statusUpdates.askId), isNotNull(asks.hiddenAt))),
      ),
    )
    .orderBy(desc(statusUpdates.recordedAt), desc(statusUpdates.id))
    .limit(limit);
  const rows = db()
    .select({
      ...statusUpdateColumns,
      ask: { id: asks.id, slug: asks.slug, title: asks.title },
      status: statuses.name,
      toStatusId: statusUpdates.toStatusId,
      previousStatusId,
    })
    .from(statusUpdates)
    .innerJoin(asks, eq(asks.id, statusUpdates.askId))
    .innerJoin(users, eq(users.id, statusUpdates.authorId))
    .innerJoin(statuses, eq(statuses.id, statusUpdates.toStatusId))
    .leftJoin(teams, eq(teams.id, statusUpdates.teamId))
    .where(inArray(statusUpdates.id, latest))
    .orderBy(desc(statusUpdates.recordedAt), desc(statusUpdates.id))
    .all();
  const links = rows.length
    ? db()
        .select({
          statusUpdateId: resolutionLinks.statusUpdateId,
          url: resolutionLinks.url,
          title: resolutionLinks.title,
        })
        .from(resolutionLinks)
        .where(
          inArray(
            resolutionLinks.statusUpdateId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(resolutionLinks.id)
        .all()
    : [];
  return rows.map(({ toStatusId, previousStatusId, ...r }) => ({
    ...r,
    statusChanged: previousStatusId !== toStatusId,
    links: links.filter((l) => l.statusUpdateId === r.id).map(({ url, title }) => ({ url, title })),
  }));
}

// One ask's history for its feed: its status updates and the comments everyone
// can read, newest recorded first, at most `limit`. The caller has already decided
// the viewer may see the ask.
export function listAskFeedItems(askId: number, limit = feedEntryLimit): AskFeedItem[] {
  const history = listStatusUpdates(askId);
  // Sorted on "when recorded|kind|order": history order breaks a tie between
  // updates recorded in the same instant, and an update goes before a comment.
  const updates = history.map((u, i) => ({
    key: sortKey(u.recordedAt, "update", i),
    item: {
      kind: "update" as const,
      ...u,
      status: u.toStatus.name,
      statusChanged: (i > 0 ? history[i - 1]?.toStatus.name : u.fromStatus) !== u.toStatus.name,
    },
  }));
  const comments = listComments(askId)
    .filter((c) => !c.deleted && !c.hiddenAt)
    .map((c) => ({ key: sortKey(c.createdAt, "comment", c.id), item: { kind: "comment" as const, ...c } }));
  return [...updates, ...comments]
    .sort((a, b) => b.key.localeCompare(a.key))
    .slice(0, limit)
    .map(({ item }) => item);
}

function sortKey(at: string, kind: "update" | "comment", order: number): string {
  return `${new Date(at).toISOString()}|${kind === "update" ? 1 : 0}|${String(order).padStart(12, "0")}`;
}
