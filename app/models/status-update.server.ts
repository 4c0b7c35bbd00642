import { and, asc, desc, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  type Choice,
  latestAboutDate,
  type ResolutionLink,
  type StatusUpdateDraft,
  utcDate,
} from "~/validation/status-update";
import { type Db, db, preparedQuery, type Tx } from "../../db/client";
import { asks, resolutionLinks, statuses, statusUpdates, teams, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recordEvent } from "./event.server";
import { type Done, done, type Refused, type Result, refused } from "./result";

export type StatusUpdateView = {
  id: number;
  authorId: number;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
  team: string | null;
  author: string;
  // Linked to the person's page unless they hid it.
  authorProfileHidden: boolean;
  note: string;
  fromStatus: string | null;
  toStatus: { slug: string; name: string; color: string };
  links: ResolutionLink[];
};

const fromStatus = alias(statuses, "from_status");

// What every list of status updates shows of one: its dates, team, author and note
// (joined with teams and users).
export const statusUpdateColumns = {
  id: statusUpdates.id,
  aboutDate: statusUpdates.aboutDate,
  recordedAt: statusUpdates.recordedAt,
  editedAt: statusUpdates.editedAt,
  team: teams.name,
  author: users.displayName,
  note: statusUpdates.note,
};

// "Status details", oldest first, by the date each update is about.
const statusUpdatesQuery = preparedQuery((database) =>
  database
    .select({
      ...statusUpdateColumns,
      authorId: statusUpdates.authorId,
      authorProfileHidden: users.profileHidden,
      fromStatus: fromStatus.name,
      toStatus: { slug: statuses.slug, name: statuses.name, color: statuses.color },
    })
    .from(statusUpdates)
    .innerJoin(users, eq(users.id, statusUpdates.authorId))
    .innerJoin(statuses, eq(statuses.id, statusUpdates.toStatusId))
    .leftJoin(fromStatus, eq(fromStatus.id, statusUpdates.fromStatusId))
    .leftJoin(teams, eq(teams.id, statusUpdates.teamId))
    .where(eq(statusUpdates.askId, sql.placeholder("askId")))
    .orderBy(asc(statusUpdates.aboutDate), asc(statusUpdates.recordedAt), asc(statusUpdates.id))
    .prepare(),
);

const updateLinksQuery = preparedQuery((database) =>
  database
    .select({ statusUpdateId: resolutionLinks.statusUpdateId, url: resolutionLinks.url, title: resolutionLinks.title })
    .from(resolutionLinks)
    // By ask, not by the list of update ids: that is the indexed column.
    .where(eq(resolutionLinks.askId, sql.placeholder("askId")))
    .orderBy(asc(resolutionLinks.id))
    .prepare(),
);

export function listStatusUpdates(askId: number): StatusUpdateView[] {
  const rows = statusUpdatesQuery().all({ askId });
  if (!rows.length) return [];
  const links = updateLinksQuery().all({ askId });
  return rows.map((r) => ({
    ...r,
    links: links.filter((l) => l.statusUpdateId === r.id).map(({ url, title }) => ({ url, title })),
  }));
}

export type StatusUpdateFormData = {
  statuses: Choice[];
  teams: Choice[];
  defaults: StatusUpdateDraft;
  minDate: string;
  maxDate: string;
};

// What the status update form needs: the choices, and a fresh update by the
// member's own team about today. The dates are the server's, so the page
// renders the same on the server and in the browser.
export function statusUpdateFormData(ask: { createdAt: string }, memberTeamId: number | null): StatusUpdateFormData {
  return {
    statuses: db()
      .select({ id: statuses.id, name: statuses.name })
      .from(statuses)
      .orderBy(asc(statuses.position), asc(statuses.id))
      .all(),
    teams: db().select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)).all(),
    defaults: { statusId: null, teamId: memberTeamId, note: "", aboutDate: utcDate(), links: [] },
    minDate: utcDate(ask.createdAt),
    maxDate: latestAboutDate(),
  };
}

// The update as its author wrote it, for the edit form; another member's update is not found.
export function getStatusUpdateDraft(updateId: number, askId: number, authorId: number): StatusUpdateDraft | undefined {
  const row = db()
    .select({
      id: statusUpdates.id,
      statusId: statusUpdates.toStatusId,
      teamId: statusUpdates.teamId,
      note: statusUpdates.note,
      aboutDate: statusUpdates.aboutDate,
    })
    .from(statusUpdates)
    .where(authoredBy({ updateId, askId, actorId: authorId }))
    .get();
  if (!row) return undefined;
  const { id, ...draft } = row;
  return { ...draft, links: linksOf(db(), id) };
}

export type StatusUpdateInput = {
  askId: number;
  toStatusId: number;
  teamId: number;
  note: string;
  // YYYY-MM-DD; today when left out. May be back-dated, never to before the ask was filed.
  aboutDate?: string;
  links: ResolutionLink[];
  actorId: number;
};

// A choice that is no longer valid by the time the update is stored (a status or
// team removed meanwhile, a date before the ask) is refused, and the form says so
// next to its field; "not-found" is an ask or an update that is not there (or not the actor's).
export type StatusUpdateRefusal =
  | Refused<"not-found" | "unknown-status" | "unknown-team" | "date-in-future">
  | Refused<"date-before-filing", { filedOn: string }>;
export type StatusUpdateResult = Done<{ id: number }> | StatusUpdateRefusal;

// Records a dated status update with its resolution links; the ask's status and
// team follow the latest update. A same-status update is a note and is kept all the same.
export function recordStatusUpdate(input: StatusUpdateInput): StatusUpdateResult {
  const aboutDate = input.aboutDate ?? utcDate();
  return db().transaction(
    (tx): StatusUpdateResult => {
      const ask = checkInput(tx, input, aboutDate);
      if (!ask.ok) return ask;
      const now = new Date().toISOString();
      const id = insertUpdate(tx, {
        askId: input.askId,
        fromStatusId: ask.statusId,
        toStatusId: input.toStatusId,
        teamId: input.teamId,
        authorId: input.actorId,
        note: input.note,
        aboutDate,
        recordedAt: now,
      });
      insertLinks(tx, id, input.askId, input.links);
      const after = followLatestUpdate(tx, input.askId, now);
      recordAudit(tx, {
        actorId: input.actorId,
        action: "status_update.create",
        subjectType: "ask",
        subjectId: input.askId,
        before: { statusId: ask.statusId, teamId: ask.teamId },
        after: { ...after, statusUpdate: { id, ...snapshot(tx, id) } },
      });
      announceStatusUpdate(tx, id, input.actorId);
      announceAssignment(tx, { askId: input.askId, before: ask.teamId, after: after.teamId, actorId: input.actorId });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

// A decision another action makes (a merge, and its undo) goes into the ask's history
// like any other: by the actor's team, about today, and the ask follows it. Runs inside
// the caller's transaction, which writes its own audit entry.
export function appendStatusUpdate(
  tx: Tx,
  { askId, toStatusId, note, actorId }: { askId: number; toStatusId: number; note: string; actorId: number },
): { statusId: number; teamId: number | null; statusUpdateId: number } {
  const ask = tx.select({ statusId: asks.statusId }).from(asks).where(eq(asks.id, askId)).get();
  if (!ask) throw new Error(`ask ${askId} vanished inside its own transaction`);
  const actor = tx.select({ teamId: users.teamId }).from(users).where(eq(users.id, actorId)).get();
  // An update already about tomorrow (somewhere east of UTC it is today) would
  // otherwise stay the latest, and the ask would not follow this one.
  const latest = latestUpdate(tx, askId);
  const aboutDate = latest && latest.aboutDate > utcDate() ? latest.aboutDate : utcDate();
  const now = new Date().toISOString();
  const statusUpdateId = insertUpdate(tx, {
    askId,
    fromStatusId: ask.statusId,
    toStatusId,
    teamId: actor?.teamId ?? null,
    authorId: actorId,
    note,
    aboutDate,
    recordedAt: now,
  });
  return { ...followLatestUpdate(tx, askId, now), statusUpdateId };
}

// Tells the ask's followers about a status update, as it reads now. Runs in the transaction
// that recorded the update, so an update that rolls back is never announced.
export function announceStatusUpdate(tx: Tx, statusUpdateId: number, actorId: number): void {
  const row = tx
    .select({
      askId: statusUpdates.askId,
      date: statusUpdates.aboutDate,
      team: teams.name,
      status: statuses.name,
      fromStatus: fromStatus.name,
      note: statusUpdates.note,
    })
    .from(statusUpdates)
    .innerJoin(statuses, eq(statuses.id, statusUpdates.toStatusId))
    .leftJoin(fromStatus, eq(fromStatus.id, statusUpdates.fromStatusId))
    .leftJoin(teams, eq(teams.id, statusUpdates.teamId))
    .where(eq(statusUpdates.id, statusUpdateId))
    .get();
  if (!row) throw new Error(`status update ${statusUpdateId} vanished inside its own transaction`);
  const { askId, ...data } = row;
  recordEvent(tx, {
    kind: "status_update",
    askId,
    actorId,
    data: { statusUpdateId, ...data, links: linksOf(tx, statusUpdateId) },
  });
}

// An ask that lands in a team's queue is news to those who follow that queue.
function announceAssignment(
  tx: Tx,
  { askId, before, after, actorId }: { askId: number; before: number | null; after: number | null; actorId: number },
): void {
  if (after === null || after === before) return;
  const team = tx.select({ name: teams.name }).from(teams).where(eq(teams.id, after)).get();
  if (!team) return;
  recordEvent(tx, { kind: "new_ask", askId, actorId, data: { queue: "team", topicId: after, topicName: team.name } });
}

// Only the update's author may change it: the WHERE matches on the author, so
// another member's update is simply not found, whatever id the form sends.
export function editStatusUpdate(input: StatusUpdateInput & { updateId: number }): StatusUpdateResult {
  const aboutDate = input.aboutDate ?? utcDate();
  return db().transaction(
    (tx): StatusUpdateResult => {
      const mine = authoredBy(input);
      if (!tx.select({ id: statusUpdates.id }).from(statusUpdates).where(mine).get()) return refused("not-found");
      const ask = checkInput(tx, input, aboutDate);
      if (!ask.ok) return ask;
      const before = snapshot(tx, input.updateId);
      const now = new Date().toISOString();
      tx.update(statusUpdates)
        .set({ toStatusId: input.toStatusId, teamId: input.teamId, note: input.note, aboutDate, editedAt: now })
        .where(mine)
        .run();
      tx.delete(resolutionLinks).where(eq(resolutionLinks.statusUpdateId, input.updateId)).run();
      insertLinks(tx, input.updateId, input.askId, input.links);
      const after = followLatestUpdate(tx, input.askId, now);
      recordAudit(tx, {
        actorId: input.actorId,
        action: "status_update.edit",
        subjectType: "ask",
        subjectId: input.askId,
        before: { statusId: ask.statusId, teamId: ask.teamId, statusUpdate: { id: input.updateId, ...before } },
        after: { ...after, statusUpdate: { id: input.updateId, ...snapshot(tx, input.updateId) } },
      });
      // Followers heard about the update when it was posted; a correction is not news, a new team is.
      announceAssignment(tx, { askId: input.askId, before: ask.teamId, after: after.teamId, actorId: input.actorId });
      return done({ id: input.updateId });
    },
    { behavior: "immediate" },
  );
}

// Removes the author's own update and its links; the ask falls back to the
// latest remaining update, or to "open" with no team when none remain.
export function removeStatusUpdate(input: { updateId: number; askId: number; actorId: number }): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const mine = authoredBy(input);
      const ask = tx
        .select({ statusId: asks.statusId, teamId: asks.teamId })
        .from(asks)
        .where(eq(asks.id, input.askId))
        .get();
      if (!ask || !tx.select({ id: statusUpdates.id }).from(statusUpdates).where(mine).get()) {
        return refused("not-found");
      }
      const before = snapshot(tx, input.updateId);
      tx.delete(resolutionLinks).where(eq(resolutionLinks.statusUpdateId, input.updateId)).run();
      tx.delete(statusUpdates).where(mine).run();
      const after = followLatestUpdate(tx, input.askId, new Date().toISOString());
      recordAudit(tx, {
        actorId: input.actorId,
        action: "status_update.remove",
        subjectType: "ask",
        subjectId: input.askId,
        before: { ...ask, statusUpdate: { id: input.updateId, ...before } },
        after,
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

function authoredBy({ updateId, askId, actorId }: { updateId: number; askId: number; actorId: number }) {
  return and(eq(statusUpdates.id, updateId), eq(statusUpdates.askId, askId), eq(statusUpdates.authorId, actorId));
}

function insertUpdate(tx: Tx, row: typeof statusUpdates.$inferInsert): number {
  // An insert with RETURNING always gives back the row it wrote.
  return tx.insert(statusUpdates).values(row).returning({ id: statusUpdates.id }).get()!.id;
}

function checkInput(tx: Tx, input: StatusUpdateInput, aboutDate: string) {
  const ask = tx
    .select({ statusId: asks.statusId, teamId: asks.teamId, createdAt: asks.createdAt })
    .from(asks)
    .where(eq(asks.id, input.askId))
    .get();
  if (!ask) return refused("not-found");
  if (!tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.id, input.toStatusId)).get()) {
    return refused("unknown-status");
  }
  if (!tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).get()) {
    return refused("unknown-team");
  }
  const filedOn = utcDate(ask.createdAt);
  if (aboutDate < filedOn) return refused("date-before-filing", { filedOn });
  if (aboutDate > latestAboutDate()) return refused("date-in-future");
  return done(ask);
}

function insertLinks(tx: Tx, statusUpdateId: number, askId: number, links: ResolutionLink[]): void {
  if (!links.length) return;
  tx.insert(resolutionLinks)
    .values(links.map((l) => ({ statusUpdateId, askId, url: l.url, title: l.title })))
    .run();
}

function linksOf(tx: Tx | Db, statusUpdateId: number): ResolutionLink[] {
  return tx
    .select({ url: resolutionLinks.url, title: resolutionLinks.title })
    .from(resolutionLinks)
    .where(eq(resolutionLinks.statusUpdateId, statusUpdateId))
    .orderBy(asc(resolutionLinks.id))
    .all();
}

function snapshot(tx: Tx, statusUpdateId: number) {
  const row = tx
    .select({
      toStatusId: statusUpdates.toStatusId,
      teamId: statusUpdates.teamId,
      note: statusUpdates.note,
      aboutDate: statusUpdates.aboutDate,
    })
    .from(statusUpdates)
    .where(eq(statusUpdates.id, statusUpdateId))
    .get();
  return { ...row, links: linksOf(tx, statusUpdateId) };
}

// The latest update by the date it is about, then by when it was recorded.
function latestUpdate(tx: Tx, askId: number, condition?: SQL) {
  return tx
    .select({ statusId: statusUpdates.toStatusId, teamId: statusUpdates.teamId, aboutDate: statusUpdates.aboutDate })
    .from(statusUpdates)
    .where(and(eq(statusUpdates.askId, askId), condition))
    .orderBy(desc(statusUpdates.aboutDate), desc(statusUpdates.recordedAt), desc(statusUpdates.id))
    .limit(1)
    .get();
}

// The ask shows where its history ends: its status is the latest update's, and its
// team the team of the latest update that names one (a merge by an admin outside any
// team does not unassign it). A back-dated update entered later does not roll the ask
// back; with no updates left the ask is open and unassigned.
function followLatestUpdate(tx: Tx, askId: number, now: string): { statusId: number; teamId: number | null } {
  const latest = latestUpdate(tx, askId);
  const statusId = latest?.statusId ?? openStatusId(tx);
  const teamId = latest?.teamId ?? latestUpdate(tx, askId, isNotNull(statusUpdates.teamId))?.teamId ?? null;
  tx.update(asks).set({ statusId, teamId, updatedAt: now }).where(eq(asks.id, askId)).run();
  return { statusId, teamId };
}

function openStatusId(tx: Tx): number {
  const open = tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.slug, "open")).get();
  // Built-in statuses cannot be deleted (app/domain.ts).
  if (!open) throw new Error('the built-in status "open" is missing');
  return open.id;
}
