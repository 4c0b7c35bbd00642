import { asc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statuses } from "../../db/schema";

export type Status = typeof statuses.$inferSelect;

export function listStatuses(): Status[] {
  return db().select().from(statuses).orderBy(asc(statuses.position), asc(statuses.id)).all();
}

export function getStatusBySlug(slug: string): Status | undefined {
  return db().select().from(statuses).where(eq(statuses.slug, slug)).all()[0];
}
