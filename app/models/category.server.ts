import { asc } from "drizzle-orm";
import { db } from "../../db/client";
import { categories } from "../../db/schema";

export type Category = typeof categories.$inferSelect;

export function listCategories(): Category[] {
  return db().select().from(categories).orderBy(asc(categories.position), asc(categories.name)).all();
}
