import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Role } from "~/domain";
import { slugify } from "~/slug";
import { type Db, db, type Tx } from "../../db/client";
import { askRevisions, asks, categories, comments, statuses, statusUpdates, teams, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recordEvent } from "./event.server";
import { type Done, done, type Refused, refused } from "./result";

export type EditableAsk = {
  authorId: number;
  statusSlug: string;
  duplicateOfId: number | null;
  hiddenAt: string | null;
  // Whether a team has answered the ask (teamAnswered).
  answered: boolean;
};

// Who may edit an ask, for the save and for the page's Edit link alike. An author may fix their
// own ask only while no team has answered it: still in the built-in "open" status, not merged,
// not hidden, and with no team answer on it. Team members and admins may edit any ask.
// Undefined: allowed.
export function editRefusal(
  ask: EditableAsk,
  actor: { id: number; role: Role },
): "forbidden" | "not-editable" | undefined {
  if (actor.role !== "member") return undefined;
  if (ask.authorId !== actor.id) return "forbidden";
  const unanswered = ask.statusSlug === "open" && !ask.answered && ask.duplicateOfId === null && ask.hiddenAt === null;
  return unanswered ? undefined : "not-editable";
}

// A team has answered an ask once it posted a status update on it (even one that kept the
// status) or an official response that is still there. Partners read and vote on what the
// team answered, so the author may no longer change the question under it.
export function teamAnswered(askId: number, tx: Db | Tx = db()): boolean {
  const updates = tx.select({ n: count() }).from(statusUpdates).where(eq(statusUpdates.askId, askId)).get();
  if (updates?.n) return true;
  const official = tx
    .select({ n: count() })
    .from(comments)
    .where(and(eq(comments.askId, askId), eq(comments.isOfficial, true), isNull(comments.deletedAt)))
    .get();
  return Boolean(official?.n);
}

// The version an edit form was opened on: how many edits the ask has had. It only grows, so a
// form opened before another edit carries a smaller number than the ask has now.
export function askVersion(askId: number, tx: Db | Tx = db()): number {
  return tx.select({ n: count() }).from(askRevisions).where(eq(askRevisions.askId, askId)).get()?.n ?? 0;
}

export type AskEdit = {
  askId: number;
  title: string;
  body: string;
  categoryId: number;
  // askVersion when the form was opened.
  version: number;
  actorId: number;
};

export type AskEditResult =
  | Done<{ id: number; slug: string }>
  | Refused<"not-found" | "forbidden" | "not-editable" | "unknown-category" | "unchanged" | "changed">;

// Mail and notifications quote a description, not the whole of it.
const quoteMax = 200;
const quote = (text: string) => (text.length > quoteMax ? `${text.slice(0, quoteMax - 1)}…` : text);

// Keeps the version being replaced as a revision, then saves the new one. The search index
// follows the title and description by trigger (migrations/0004_search-index.sql).
// A save over a newer version than the form was opened on is refused ("changed"), so a
// concurrent edit is never overwritten unseen.
export function editAsk({ askId, title, body, categoryId, version, actorId }: AskEdit): AskEditResult {
  return db().transaction(
    (tx): AskEditResult => {
      const ask = tx
        .select({
          id: asks.id,
          title: asks.title,
          body: asks.body,
          categoryId: asks.categoryId,
          category: categories.name,
          authorId: asks.authorId,
          duplicateOfId: asks.duplicateOfId,
          hiddenAt: asks.hiddenAt,
          statusSlug: statuses.slug,
        })
        .from(asks)
        .innerJoin(statuses, eq(statuses.id, asks.statusId))
        .innerJoin(categories, eq(categories.id, asks.categoryId))
        .where(eq(asks.id, askId))
        .get();
      if (!ask) return refused("not-found");
      const actor = tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, actorId)).get();
      if (!actor) return refused("forbidden");
      const refusal = editRefusal({ ...ask, answered: teamAnswered(askId, tx) }, actor);
      if (refusal) return refused(refusal);
      if (askVersion(askId, tx) !== version) return refused("changed");
      const category = tx
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(eq(categories.id, categoryId))
        .get();
      if (!category) return refused("unknown-category");

      const changes = [
        { field: "title", before: ask.title, after: title },
        { field: "description", before: ask.body, after: body },
        { field: "category", before: ask.category, after: category.name },
      ].filter((c) => c.before !== c.after);
      if (!changes.length) return refused("unchanged");

      tx.insert(askRevisions)
        .values({ askId, title: ask.title, body: ask.body, categoryId: ask.categoryId, editorId: actorId })
        .run();
      const now = new Date().toISOString();
      const slug = slugify(title);
      tx.update(asks)
        .set({ title, slug, body, categoryId, editedAt: now, updatedAt: now })
        .where(eq(asks.id, askId))
        .run();
      recordAudit(tx, {
        actorId,
        action: "ask.edit",
        subjectType: "ask",
        subjectId: askId,
        before: { title: ask.title, body: ask.body, category: ask.category },
        after: { title, body, category: category.name },
      });
      // Followers hear about a team's edit (a retitle, a move); an author fixing a typo is no news.
      if (ask.authorId !== actorId) {
        recordEvent(tx, {
          kind: "edit",
          askId,
          actorId,
          data: {
            changes: changes.map((c) =>
              c.field === "description" ? { ...c, before: quote(c.before), after: quote(c.after) } : c,
            ),
          },
        });
      }
      return done({ id: askId, slug });
    },
    { behavior: "immediate" },
  );
}

// An ask's earlier versions, newest first: each is what the ask said before the edit that
// `editor` made at `createdAt`.
export function listRevisions(askId: number) {
  return db()
    .select({
      id: askRevisions.id,
      title: askRevisions.title,
      body: askRevisions.body,
      category: categories.name,
      editorId: askRevisions.editorId,
      editor: users.displayName,
      editorProfileHidden: users.profileHidden,
      editorRole: users.role,
      editorTeam: teams.name,
      createdAt: askRevisions.createdAt,
    })
    .from(askRevisions)
    .innerJoin(users, eq(users.id, askRevisions.editorId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .leftJoin(categories, eq(categories.id, askRevisions.categoryId))
    .where(eq(askRevisions.askId, askId))
    .orderBy(desc(askRevisions.id))
    .all();
}

export type AskRevision = ReturnType<typeof listRevisions>[number];
