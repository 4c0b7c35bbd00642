import { asc, eq, sql } from "drizzle-orm";
import { db, preparedQuery } from "../../db/client";
import { categories } from "../../db/schema";
import {
  createRow,
  deleteRow,
  type Move,
  moveInList,
  type NameChange,
  nextPosition,
  renameRow,
} from "./named-list.server";
import { type Done, type Refused, refused } from "./result";

export type Category = typeof categories.$inferSelect;

const categoriesQuery = preparedQuery((database) =>
  database.select().from(categories).orderBy(asc(categories.position), asc(categories.name)).prepare(),
);

export function listCategories(): Category[] {
  return categoriesQuery().all();
}

export type CategoryWithCount = Category & { askCount: number };

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

// A new category goes at the end of the list.
export function createCategory({ name, actorId }: { name: string; actorId: number }): NameChange {
  return db().transaction(
    (tx) =>
      createRow(tx, categories, { name, after: { name }, actorId }, () =>
        tx
          .insert(categories)
          .values({ name, position: nextPosition(tx, categories) })
          .returning({ id: categories.id })
          .get(),
      ),
    { behavior: "immediate" },
  );
}

export function renameCategory(change: { id: number; name: string; actorId: number }): NameChange {
  return db().transaction((tx) => renameRow(tx, categories, change), { behavior: "immediate" });
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
      return deleteRow(tx, categories, { id, before: { name: category.name }, actorId });
    },
    { behavior: "immediate" },
  );
}
