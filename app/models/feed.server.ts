import { and, desc, eq, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import { type AtomEntry, atomFeed, tagUri } from "~/services/atom.server";
import { renderMarkdown } from "~/services/markdown.server";
import { askPath } from "~/slug";
import { isWebUrl, type ResolutionLink } from "~/validation/status-update";
import { db } from "../../db/client";
import { asks, resolutionLinks, statuses, statusUpdates, teams, users } from "../../db/schema";
import { listComments } from "./comment.server";
import { listStatusUpdates } from "./status-update.server";

// Enough for a reader polling every few minutes; older history stays on the ask pages.
export const feedEntryLimit = 50;

export const updatesFeedPath = "/feeds/updates.atom";

export function askFeedPath(ask: { id: number; slug: string }): string {
  return `${askPath(ask)}/feed.atom`;
}

type FeedAsk = { id: number; slug: string; title: string };

type FeedStatusUpdate = {
  id: number;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
  team: string | null;
  author: string;
  note: string;
  status: string;
  // False for a note that left the ask where the entry before it had put it.
  statusChanged: boolean;
  links: ResolutionLink[];
};

export type RecentStatusUpdate = FeedStatusUpdate & { ask: FeedAsk };

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
      id: statusUpdates.id,
      ask: { id: asks.id, slug: asks.slug, title: asks.title },
      aboutDate: statusUpdates.aboutDate,
      recordedAt: statusUpdates.recordedAt,
      editedAt: statusUpdates.editedAt,
      team: teams.name,
      author: users.displayName,
      note: statusUpdates.note,
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

// The site-wide feed of status updates.
export function updatesFeed(origin: string): string {
  const entries = listRecentStatusUpdates().map((u) => statusUpdateEntry(origin, u.ask, u));
  return atomFeed({
    id: tagUri(origin, "feeds/updates"),
    title: "Asklog status updates",
    subtitle: "Dated status updates and resolution links on partner asks, newest first.",
    updated: latest(entries) ?? new Date(),
    selfUrl: `${origin}${updatesFeedPath}`,
    alternateUrl: `${origin}/`,
    entries,
  });
}

// One ask's history: its status updates and the comments everyone can read,
// newest first. The caller has already decided the viewer may see the ask.
export function askFeed(origin: string, ask: FeedAsk & { createdAt: string }): string {
  const history = listStatusUpdates(ask.id);
  // Sorted on "when recorded|kind|order": history order breaks a tie between
  // updates recorded in the same instant, and an update goes before a comment.
  const updates = history.map((u, i) => ({
    key: sortKey(u.recordedAt, "update", i),
    entry: statusUpdateEntry(origin, ask, {
      ...u,
      status: u.toStatus.name,
      statusChanged: (i > 0 ? history[i - 1].toStatus.name : u.fromStatus) !== u.toStatus.name,
    }),
  }));
  const comments = listComments(ask.id)
    .filter((c) => !c.deleted && !c.hiddenAt)
    .map((c) => ({
      key: sortKey(c.createdAt, "comment", c.id),
      entry: {
        id: tagUri(origin, `comment/${c.id}`),
        title: c.isOfficial ? `Official response on ${ask.title}` : `Comment by ${c.author} on ${ask.title}`,
        updated: c.editedAt ?? c.createdAt,
        published: c.createdAt,
        authorName: c.organization || c.team ? `${c.author} (${c.organization ?? c.team})` : c.author,
        link: `${origin}${askPath(ask)}#comment-${c.id}`,
        contentHtml: renderMarkdown(c.body),
      },
    }));
  const entries = [...updates, ...comments]
    .sort((a, b) => b.key.localeCompare(a.key))
    .slice(0, feedEntryLimit)
    .map((item) => item.entry);
  return atomFeed({
    id: tagUri(origin, `asks/${ask.id}`),
    title: `${ask.title} · Asklog`,
    subtitle: "Status updates and comments on this ask, newest first.",
    updated: latest(entries) ?? ask.createdAt,
    selfUrl: `${origin}${askFeedPath(ask)}`,
    alternateUrl: `${origin}${askPath(ask)}`,
    entries,
  });
}

function sortKey(at: string, kind: "update" | "comment", order: number): string {
  return `${new Date(at).toISOString()}|${kind === "update" ? 1 : 0}|${String(order).padStart(12, "0")}`;
}

// "Planned: <ask>" when the update moved the ask, "Note on <ask>" when it did not.
// The date it is about leads the text: for imported history it is long before
// the date the entry was recorded (which is what readers sort by).
function statusUpdateEntry(origin: string, ask: FeedAsk, u: FeedStatusUpdate): AtomEntry {
  const by = u.team ?? u.author;
  const links = u.links.filter((l) => isWebUrl(l.url));
  const contentHtml = [
    `<p>${escapeHtml(`${u.aboutDate} · ${by} · ${u.status}`)}</p>`,
    renderMarkdown(u.note).trim(),
    links.length
      ? `<p>Resolution ${links.length === 1 ? "link" : "links"}:</p><ul>${links
          .map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.title)}</a></li>`)
          .join("")}</ul>`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
  return {
    id: tagUri(origin, `status-update/${u.id}`),
    title: u.statusChanged ? `${u.status}: ${ask.title}` : `Note on ${ask.title}`,
    updated: u.editedAt ?? u.recordedAt,
    published: u.recordedAt,
    authorName: by,
    link: `${origin}${askPath(ask)}#status-update-${u.id}`,
    contentHtml,
  };
}

function latest(entries: AtomEntry[]): string | undefined {
  return entries.map((e) => new Date(e.updated).toISOString()).sort((a, b) => b.localeCompare(a))[0];
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
