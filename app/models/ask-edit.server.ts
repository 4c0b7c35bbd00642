import { desc, eq } from "drizzle-orm";
import type { Role } from "~/domain";
import { slugify } from "~/slug";
import { db } from "../../db/client";
import { askRevisions, asks, categories, statuses, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recordEvent } from "./event.server";
import { done, type Result, refused } from "./result";

export type EditableAsk = {
  authorId: number;
  statusSlug: string;
  duplicateOfId: number | null;
  hiddenAt: string | null;
};

// Who may edit an ask, for the save and for the page's Edit link alike. An author may fix their
// own ask only while no team has answered it: still in the built-in "open" status, not merged
// and not hidden. Team members and admins may edit any ask. Undefined: allowed.
export function editRefusal(
  ask: EditableAsk,
  actor: { id: number; role: Role },
): "forbidden" | "not-editable" | undefined {
  if (actor.role !== "member") return undefined;
  if (ask.authorId !== actor.id) return "forbidden";
  const unanswered = ask.statusSlug === "open" && ask.duplicateOfId === null && ask.hiddenAt === null;
  return unanswered ? undefined : "not-editable";
}

export type AskEdit = { askId: number; title: string; body: string; categoryId: number; actorId: number };

export type AskEditResult = Result<
  "not-found" | "forbidden" | "not-editable" | "unknown-category" | "unchanged",
  { id: number; slug: string }
>;

// Mail and notifications quote a description, not the whole of it.
const quoteMax = 200;
const quote = (text: string) => (text.length > quoteMax ? `${text.slice(0, quoteMax - 1)}…` : text);

// Keeps the version being replaced as a revision, then saves the new one. The search index
// follows the title and description by trigger (migrations/0004_search-index.sql).
export function editAsk({ askId, title, body, categoryId, actorId }: AskEdit): AskEditResult {
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
      const refusal = editRefusal(ask, actor);
      if (refusal) return refused(refusal);
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
      editor: users.displayName,
      createdAt: askRevisions.createdAt,
    })
    .from(askRevisions)
    .innerJoin(users, eq(users.id, askRevisions.editorId))
    .leftJoin(categories, eq(categories.id, askRevisions.categoryId))
    .where(eq(askRevisions.askId, askId))
    .orderBy(desc(askRevisions.id))
    .all();
}

export type AskRevision = ReturnType<typeof listRevisions>[number];
