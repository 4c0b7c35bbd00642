import { asc, eq, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { categories } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { type Move, moveInList, nextPosition } from "./list-order.server";
import { type Done, done, type Refused, type Result, refused } from "./result";

export type Category = typeof categories.$inferSelect;

const categoriesQuery = preparedQuery((database) =>
  database.select().from(categories).orderBy(asc(categories.position), asc(categories.name)).prepare(),
);

export function listCategories(): Category[] {
  return categoriesQuery().all();
}

export type CategoryWithCount = Category & { askCount: number };

export type CategoryChange = Result<"not-found" | "name-taken", { id: number }>;

export type CategoryDeletion = Done | Refused<"not-found"> | Refused<"last"> | Refused<"in-use", { askCount: number }>;

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
function nameTaken(tx: Tx, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: categories.id })
    .from(categories)
    .where(sql`lower(${categories.name}) = lower(${name})`)
    .all()
    .some((c) => c.id !== exceptId);
}

// A new category goes at the end of the list.
export function createCategory({ name, actorId }: { name: string; actorId: number }): CategoryChange {
  return db().transaction(
    (tx): CategoryChange => {
      if (nameTaken(tx, name)) return refused("name-taken");
      const row = tx
        .insert(categories)
        .values({ name, position: nextPosition(tx, categories) })
        .returning({ id: categories.id })
        .get();
      if (!row) throw new Error("INSERT … RETURNING returned no row");
      recordAudit(tx, {
        actorId,
        action: "category.create",
        subjectType: "category",
        subjectId: row.id,
        after: { name },
      });
      return done({ id: row.id });
    },
    { behavior: "immediate" },
  );
}

export function renameCategory({ id, name, actorId }: { id: number; name: string; actorId: number }): CategoryChange {
  return db().transaction(
    (tx): CategoryChange => {
      const category = tx.select().from(categories).where(eq(categories.id, id)).get();
      if (!category) return refused("not-found");
      if (nameTaken(tx, name, id)) return refused("name-taken");
      if (category.name === name) return done({ id });
      tx.update(categories).set({ name }).where(eq(categories.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "category.rename",
        subjectType: "category",
        subjectId: id,
        before: { name: category.name },
        after: { name },
      });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

export function moveCategory(move: { id: number; direction: "up" | "down"; actorId: number }): Move {
  return db().transaction((tx) => moveInList(tx, categories, move), { behavior: "immediate" });
}

// Every ask needs a category, so one in use stays, and so does the last one.
export function deleteCategory({ id, actorId }: { id: number; actorId: number }): CategoryDeletion {
  return db().transaction(
    (tx): CategoryDeletion => {
      const category = tx
        .select({ id: categories.id, name: categories.name, askCount })
        .from(categories)
        .where(eq(categories.id, id))
        .get();
      if (!category) return refused("not-found");
      if (category.askCount) return refused("in-use", { askCount: category.askCount });
      const total = tx.select({ total: sql<number>`count(*)` }).from(categories).get()?.total ?? 0;
      if (total <= 1) return refused("last");
      tx.delete(categories).where(eq(categories.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "category.delete",
        subjectType: "category",
        subjectId: id,
        before: { name: category.name },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}
