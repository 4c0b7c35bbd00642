import { and, asc, desc, eq, sql } from "drizzle-orm";
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

export type StatusUpdateView = {
  id: number;
  authorId: number;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
  team: string | null;
  author: string;
  note: string;
  fromStatus: string | null;
  toStatus: { slug: string; name: string; color: string };
  links: ResolutionLink[];
};

const fromStatus = alias(statuses, "from_status");

// "Status details", oldest first, by the date each update is about.
const statusUpdatesQuery = preparedQuery((database) =>
  database
    .select({
      id: statusUpdates.id,
      authorId: statusUpdates.authorId,
      aboutDate: statusUpdates.aboutDate,
      recordedAt: statusUpdates.recordedAt,
      editedAt: statusUpdates.editedAt,
      team: teams.name,
      author: users.displayName,
      note: statusUpdates.note,
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
  const [row] = db()
    .select({
      id: statusUpdates.id,
      statusId: statusUpdates.toStatusId,
      teamId: statusUpdates.teamId,
      note: statusUpdates.note,
      aboutDate: statusUpdates.aboutDate,
    })
    .from(statusUpdates)
    .where(and(eq(statusUpdates.id, updateId), eq(statusUpdates.askId, askId), eq(statusUpdates.authorId, authorId)))
    .all();
  if (!row) return undefined;
  const { id, ...draft } = row;
  return { ...draft, links: linksOf(db(), id) };
}

export type StatusUpdateInput = {
  askId: number;
  actorId: number;
  toStatusId: number;
  teamId: number;
  note: string;
  // YYYY-MM-DD; today when left out. May be back-dated, never to before the ask was filed.
  aboutDate?: string;
  links: ResolutionLink[];
};

// A choice that is no longer valid by the time the update is stored (a status
// or team removed meanwhile, a date before the ask): reported next to its field.
export class StatusUpdateFieldError extends Error {
  constructor(
    readonly field: "statusId" | "teamId" | "aboutDate",
    message: string,
  ) {
    super(message);
  }
}

export class AskNotFoundError extends Error {}

// Records a dated status update with its resolution links; the ask's status and
// team follow the latest update. A same-status update is a note and is kept all the same.
export function recordStatusUpdate(input: StatusUpdateInput): number {
  const aboutDate = input.aboutDate ?? utcDate();
  return db().transaction(
    (tx) => {
      const ask = checkInput(tx, input, aboutDate);
      const now = new Date().toISOString();
      const [row] = tx
        .insert(statusUpdates)
        .values({
          askId: input.askId,
          fromStatusId: ask.statusId,
          toStatusId: input.toStatusId,
          teamId: input.teamId,
          authorId: input.actorId,
          note: input.note,
          aboutDate,
          recordedAt: now,
        })
        .returning({ id: statusUpdates.id })
        .all();
      insertLinks(tx, row.id, input.askId, input.links);
      const after = followLatestUpdate(tx, input.askId, now);
      recordAudit(tx, {
        actorId: input.actorId,
        action: "status_update.create",
        subjectType: "ask",
        subjectId: input.askId,
        before: { statusId: ask.statusId, teamId: ask.teamId },
        after: { ...after, statusUpdate: { id: row.id, ...snapshot(tx, row.id) } },
      });
      return row.id;
    },
    { behavior: "immediate" },
  );
}

// Only the update's author may change it: the WHERE matches on the author, so
// another member's update is simply not found (false), whatever id the form sends.
export function editStatusUpdate(input: StatusUpdateInput & { updateId: number }): boolean {
  const aboutDate = input.aboutDate ?? utcDate();
  return db().transaction(
    (tx) => {
      const ask = checkInput(tx, input, aboutDate);
      const mine = and(
        eq(statusUpdates.id, input.updateId),
        eq(statusUpdates.askId, input.askId),
        eq(statusUpdates.authorId, input.actorId),
      );
      if (!tx.select({ id: statusUpdates.id }).from(statusUpdates).where(mine).all().length) return false;
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
      return true;
    },
    { behavior: "immediate" },
  );
}

// Removes the author's own update and its links; the ask falls back to the
// latest remaining update, or to "open" with no team when none remain.
export function removeStatusUpdate(input: { updateId: number; askId: number; actorId: number }): boolean {
  return db().transaction(
    (tx) => {
      const mine = and(
        eq(statusUpdates.id, input.updateId),
        eq(statusUpdates.askId, input.askId),
        eq(statusUpdates.authorId, input.actorId),
      );
      const [ask] = tx
        .select({ statusId: asks.statusId, teamId: asks.teamId })
        .from(asks)
        .where(eq(asks.id, input.askId))
        .all();
      if (!ask || !tx.select({ id: statusUpdates.id }).from(statusUpdates).where(mine).all().length) return false;
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
      return true;
    },
    { behavior: "immediate" },
  );
}

function checkInput(tx: Tx, input: StatusUpdateInput, aboutDate: string) {
  const [ask] = tx
    .select({ statusId: asks.statusId, teamId: asks.teamId, createdAt: asks.createdAt })
    .from(asks)
    .where(eq(asks.id, input.askId))
    .all();
  if (!ask) throw new AskNotFoundError(String(input.askId));
  if (!tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.id, input.toStatusId)).all().length) {
    throw new StatusUpdateFieldError("statusId", "Choose one of the listed statuses.");
  }
  if (!tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).all().length) {
    throw new StatusUpdateFieldError("teamId", "Choose one of the listed teams.");
  }
  const filed = utcDate(ask.createdAt);
  if (aboutDate < filed) {
    throw new StatusUpdateFieldError("aboutDate", `The date cannot be before the ask was filed (${filed}).`);
  }
  if (aboutDate > latestAboutDate()) {
    throw new StatusUpdateFieldError("aboutDate", "The date cannot be in the future.");
  }
  return ask;
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
  const [row] = tx
    .select({
      toStatusId: statusUpdates.toStatusId,
      teamId: statusUpdates.teamId,
      note: statusUpdates.note,
      aboutDate: statusUpdates.aboutDate,
    })
    .from(statusUpdates)
    .where(eq(statusUpdates.id, statusUpdateId))
    .all();
  return { ...row, links: linksOf(tx, statusUpdateId) };
}

// The ask shows where its history ends: the latest update by the date it is
// about, then by when it was recorded. A back-dated update entered later does
// not roll the ask back; with no updates left the ask is open and unassigned.
function followLatestUpdate(tx: Tx, askId: number, now: string): { statusId: number; teamId: number | null } {
  const [latest] = tx
    .select({ statusId: statusUpdates.toStatusId, teamId: statusUpdates.teamId })
    .from(statusUpdates)
    .where(eq(statusUpdates.askId, askId))
    .orderBy(desc(statusUpdates.aboutDate), desc(statusUpdates.recordedAt), desc(statusUpdates.id))
    .limit(1)
    .all();
  const next = latest ?? {
    statusId: tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.slug, "open")).all()[0].id,
    teamId: null,
  };
  tx.update(asks).set({ statusId: next.statusId, teamId: next.teamId, updatedAt: now }).where(eq(asks.id, askId)).run();
  return next;
}
