import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { auditEntries, users } from "../../db/schema";

export type AuditInput = {
  actorId: number;
  action: string;
  subjectType: "ask" | "comment" | "status_update" | "user" | "team" | "category" | "status";
  subjectId: number;
  before?: unknown;
  after?: unknown;
};

// Written inside the same transaction as the change it describes: an action
// and its audit entry are stored together or not at all.
export function recordAudit(tx: Tx, entry: AuditInput): void {
  tx.insert(auditEntries)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .run();
}

export type AuditView = {
  id: number;
  actor: string | null;
  action: string;
  subjectType: string;
  subjectId: number;
  before: string | null;
  after: string | null;
  createdAt: string;
};

export type AuditFilter = { action?: string; actorId?: number; subjectType?: string; subjectId?: number; page: number };

export const auditPageSize = 50;

export function listAudit(filter: AuditFilter): { entries: AuditView[]; total: number } {
  const conditions: SQL[] = [];
  if (filter.action) conditions.push(sql`${auditEntries.action} LIKE ${`${filter.action}%`}`);
  if (filter.actorId) conditions.push(eq(auditEntries.actorId, filter.actorId));
  if (filter.subjectType) conditions.push(eq(auditEntries.subjectType, filter.subjectType));
  if (filter.subjectId) conditions.push(eq(auditEntries.subjectId, filter.subjectId));
  const where = conditions.length ? and(...conditions) : undefined;
  const entries = db()
    .select({
      id: auditEntries.id,
      actor: users.displayName,
      action: auditEntries.action,
      subjectType: auditEntries.subjectType,
      subjectId: auditEntries.subjectId,
      before: auditEntries.before,
      after: auditEntries.after,
      createdAt: auditEntries.createdAt,
    })
    .from(auditEntries)
    .leftJoin(users, eq(users.id, auditEntries.actorId))
    .where(where)
    .orderBy(desc(auditEntries.id))
    .limit(auditPageSize)
    .offset((filter.page - 1) * auditPageSize)
    .all();
  const [{ total }] = db().select({ total: sql<number>`count(*)` }).from(auditEntries).where(where).all();
  return { entries, total };
}

// Everyone who has an audit entry, for the audit log's "who" filter.
export function listAuditActors(): { id: number; displayName: string }[] {
  return db()
    .selectDistinct({ id: users.id, displayName: users.displayName })
    .from(auditEntries)
    .innerJoin(users, eq(users.id, auditEntries.actorId))
    .orderBy(users.displayName, users.id)
    .all();
}
