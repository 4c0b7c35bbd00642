import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { AuditSubjectType } from "~/domain";
import { db, type Tx } from "../../db/client";
import { auditEntries, users } from "../../db/schema";

export type AuditInput = {
  actorId: number;
  action: string;
  subjectType: AuditSubjectType;
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
      before: entry.before === undefined ? null : JSON.stringify(wellFormed(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(wellFormed(entry.after)),
    })
    .run();
}

// JSON.stringify keeps a lone UTF-16 surrogate as a "\ud800" escape, and the page would then
// render differently on the server and in the browser (a hydration error). Every string
// going in or coming out is made well-formed: a lone surrogate becomes U+FFFD.
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.toWellFormed(), wellFormed(v)]));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// One field that an entry changed; "" names the whole value when it is not an object.
// undefined: the field was absent on that side.
export type AuditChange = { field: string; before: unknown; after: unknown };

export type AuditView = {
  id: number;
  actor: string | null;
  action: string;
  subjectType: string;
  subjectId: number;
  changes: AuditChange[];
  createdAt: string;
};

export type AuditFilter = {
  action?: string;
  actorId?: number;
  subjectType?: AuditSubjectType;
  subjectId?: number;
  page: number;
};

export const auditPageSize = 50;

export function listAudit(filter: AuditFilter): { entries: AuditView[]; total: number } {
  const conditions: SQL[] = [];
  if (filter.action) conditions.push(sql`${auditEntries.action} LIKE ${`${filter.action}%`}`);
  if (filter.actorId) conditions.push(eq(auditEntries.actorId, filter.actorId));
  if (filter.subjectType) conditions.push(eq(auditEntries.subjectType, filter.subjectType));
  if (filter.subjectId) conditions.push(eq(auditEntries.subjectId, filter.subjectId));
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = db()
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
  const total = db().select({ total: sql<number>`count(*)` }).from(auditEntries).where(where).get()?.total ?? 0;
  // Entries written before recordAudit made strings well-formed may still hold lone surrogates.
  const entries = rows.map(({ before, after, actor, action, ...entry }) => ({
    ...entry,
    actor: actor?.toWellFormed() ?? null,
    action: action.toWellFormed(),
    changes: changesBetween(before, after),
  }));
  return { entries, total };
}

// Before and after as one change per field that differs, so a long snapshot reads as
// what actually changed.
function changesBetween(before: string | null, after: string | null): AuditChange[] {
  const was = parseStored(before);
  const now = parseStored(after);
  if (!isRecord(was) && !isRecord(now)) {
    return before === after ? [] : [{ field: "", before: was, after: now }];
  }
  const a = isRecord(was) ? was : {};
  const b = isRecord(now) ? now : {};
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => ({ field: key, before: a[key], after: b[key] }));
}

function parseStored(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return wellFormed(JSON.parse(json));
  } catch {
    return json.toWellFormed();
  }
}

// Everyone who has an audit entry, for the audit log's "who" filter.
export function listAuditActors(): { id: number; displayName: string }[] {
  return db()
    .selectDistinct({ id: users.id, displayName: users.displayName })
    .from(auditEntries)
    .innerJoin(users, eq(users.id, auditEntries.actorId))
    .orderBy(users.displayName, users.id)
    .all()
    .map((actor) => ({ ...actor, displayName: actor.displayName.toWellFormed() }));
}
