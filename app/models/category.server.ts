import { asc, eq, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { categories } from "../../db/schema";
import { recordAudit } from "./audit.server";

export type Category = typeof categories.$inferSelect;

const categoriesQuery = preparedQuery((database) =>
  database.select().from(categories).orderBy(asc(categories.position), asc(categories.name)).prepare(),
);

export function listCategories(): Category[] {
  return categoriesQuery().all();
}

export type CategoryWithCount = Category & { askCount: number };

export type CategoryChange = { ok: true; id: number } | { ok: false; reason: "not-found" | "name-taken" };

export type CategoryDeletion =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "last" }
  | { ok: false; reason: "in-use"; askCount: number };

// Spelled out with table names: drizzle leaves columns unqualified in a
// single-table select, and an unqualified "id" would mean the asks' own.
const askCount = sql<number>`(SELECT count(*) FROM asks WHERE asks.category_id = categories.id)`;

export function listCategoriesWithCounts(): CategoryWithCount[] {
  return db()
    .select({ id: categories.id, name: categories.name, position: categories.position, askCount })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name))
    .all();
}

// Names differing only in case would look like one category twice in the menu.
function categoryNameTaken(tx: Tx, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: categories.id })
    .from(categories)
    .where(sql`lower(${categories.name}) = lower(${name})`)
    .all()
    .some((c) => c.id !== exceptId);
}

export function createCategory(actorId: number, name: string): CategoryChange {
  return db().transaction(
    (tx): CategoryChange => {
      if (categoryNameTaken(tx, name)) return { ok: false, reason: "name-taken" };
      const [{ last }] = tx
        .select({ last: sql<number>`coalesce(max(${categories.position}), 0)` })
        .from(categories)
        .all();
      const [row] = tx
        .insert(categories)
        .values({ name, position: last + 1 })
        .returning({ id: categories.id })
        .all();
      recordAudit(tx, {
        actorId,
        action: "category.create",
        subjectType: "category",
        subjectId: row.id,
        after: { name },
      });
      return { ok: true, id: row.id };
    },
    { behavior: "immediate" },
  );
}

export function renameCategory(actorId: number, id: number, name: string): CategoryChange {
  return db().transaction(
    (tx): CategoryChange => {
      const [category] = tx.select().from(categories).where(eq(categories.id, id)).all();
      if (!category) return { ok: false, reason: "not-found" };
      if (categoryNameTaken(tx, name, id)) return { ok: false, reason: "name-taken" };
      if (category.name === name) return { ok: true, id };
      tx.update(categories).set({ name }).where(eq(categories.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "category.rename",
        subjectType: "category",
        subjectId: id,
        before: { name: category.name },
        after: { name },
      });
      return { ok: true, id };
    },
    { behavior: "immediate" },
  );
}

// Swaps the category with its neighbour and renumbers the list 1..n, so ties
// and gaps left by older positions never make a move do nothing.
export function moveCategory(actorId: number, id: number, direction: "up" | "down"): boolean {
  return db().transaction(
    (tx) => {
      const order = tx
        .select({ id: categories.id, position: categories.position })
        .from(categories)
        .orderBy(asc(categories.position), asc(categories.name))
        .all();
      const from = order.findIndex((c) => c.id === id);
      if (from === -1) return false;
      const to = direction === "up" ? from - 1 : from + 1;
      if (to < 0 || to >= order.length) return true;
      [order[from], order[to]] = [order[to], order[from]];
      order.forEach((c, i) => {
        if (c.position === i + 1) return;
        tx.update(categories)
          .set({ position: i + 1 })
          .where(eq(categories.id, c.id))
          .run();
      });
      recordAudit(tx, {
        actorId,
        action: "category.move",
        subjectType: "category",
        subjectId: id,
        before: { place: from + 1 },
        after: { place: to + 1 },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

// Every ask needs a category, so one in use stays, and so does the last one.
export function deleteCategory(actorId: number, id: number): CategoryDeletion {
  return db().transaction(
    (tx): CategoryDeletion => {
      const [category] = tx
        .select({ id: categories.id, name: categories.name, askCount })
        .from(categories)
        .where(eq(categories.id, id))
        .all();
      if (!category) return { ok: false, reason: "not-found" };
      if (category.askCount) return { ok: false, reason: "in-use", askCount: category.askCount };
      const [{ total }] = tx.select({ total: sql<number>`count(*)` }).from(categories).all();
      if (total <= 1) return { ok: false, reason: "last" };
      tx.delete(categories).where(eq(categories.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "category.delete",
        subjectType: "category",
        subjectId: id,
        before: { name: category.name },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
