import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { AuditSubjectType } from "~/domain";
import { db, type Tx } from "../../db/client";
import {
  apiTokens,
  asks,
  auditEntries,
  categories,
  comments,
  organizations,
  statuses,
  statusUpdates,
  teams,
  users,
  webhookEndpoints,
} from "../../db/schema";

export type AuditInput = {
  // Null for what the system did on its own (the start-up's folding of organization names).
  actorId: number | null;
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

// What an entry is about, as it is now: its name, and the ask it belongs to (a comment's,
// a status update's, an ask's own) with that ask's slug. `exists` is false once it is deleted.
export type AuditSubject = {
  name: string | null;
  ask: { id: number; slug: string } | null;
  exists: boolean;
};

export type AuditView = {
  id: number;
  actor: string | null;
  action: string;
  subjectType: string;
  subjectId: number;
  subject: AuditSubject;
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
  const subjects = subjectsOf(rows);
  const names = namesFor(
    rows.flatMap(({ before, after }) => [...idsIn(parseStored(before)), ...idsIn(parseStored(after))]),
  );
  // Entries written before recordAudit made strings well-formed may still hold lone surrogates.
  const entries = rows.map(({ before, after, actor, action, ...entry }) => ({
    ...entry,
    actor: actor?.toWellFormed() ?? null,
    action: action.toWellFormed(),
    subject: subjects(entry.subjectType, entry.subjectId),
    changes: changesBetween(before, after).map((change) => named(change, names)),
  }));
  return { entries, total };
}

// Fields that hold another row's id, by the name they end in, and what they refer to.
const referenceFields = {
  statusId: "status",
  toStatusId: "status",
  fromStatusId: "status",
  teamId: "team",
  categoryId: "category",
  duplicateOfId: "ask",
} as const;
type Referenced = (typeof referenceFields)[keyof typeof referenceFields];

function referenceOf(field: string): Referenced | undefined {
  const last = field.slice(field.lastIndexOf(".") + 1);
  return Object.entries(referenceFields).find(([name]) => name === last)?.[1];
}

function idsIn(value: unknown, prefix = ""): { kind: Referenced; id: number }[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const kind = referenceOf(key);
    if (kind && typeof v === "number") return [{ kind, id: v }];
    return prefix ? [] : idsIn(v, key);
  });
}

type Names = Record<Referenced, Map<number, string>>;

// The current names of the statuses, teams, categories and asks a page of entries refers to.
function namesFor(refs: { kind: Referenced; id: number }[]): Names {
  const ids = (kind: Referenced) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
  const lookup = (table: typeof statuses | typeof teams | typeof categories, kind: Referenced) => {
    const wanted = ids(kind);
    if (!wanted.length) return new Map<number, string>();
    const rows = db().select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, wanted)).all();
    return new Map(rows.map((r) => [r.id, r.name.toWellFormed()]));
  };
  const askIds = ids("ask");
  const askRows = askIds.length
    ? db().select({ id: asks.id, title: asks.title }).from(asks).where(inArray(asks.id, askIds)).all()
    : [];
  return {
    status: lookup(statuses, "status"),
    team: lookup(teams, "team"),
    category: lookup(categories, "category"),
    ask: new Map(askRows.map((r) => [r.id, r.title.toWellFormed()])),
  };
}

// "statusId: 3 → 5" reads as "status: Under review → Completed". An id whose row is gone stays an id.
function named(change: AuditChange, names: Names): AuditChange {
  const kind = referenceOf(change.field);
  if (!kind) return change;
  const name = (value: unknown) => (typeof value === "number" ? (names[kind].get(value) ?? `#${value}`) : value);
  return { field: change.field.replace(/Id$/, ""), before: name(change.before), after: name(change.after) };
}

type SubjectRow = { subjectType: string; subjectId: number };

// Each entry's subject as it is now, looked up once per kind for the whole page.
function subjectsOf(rows: SubjectRow[]): (type: string, id: number) => AuditSubject {
  const ids = (type: AuditSubjectType) => [
    ...new Set(rows.filter((r) => r.subjectType === type).map((r) => r.subjectId)),
  ];
  const found = new Map<string, AuditSubject>();
  const put = (type: AuditSubjectType, id: number, subject: Omit<AuditSubject, "exists">) =>
    found.set(`${type}:${id}`, { ...subject, exists: true });

  const askIds = ids("ask");
  if (askIds.length) {
    for (const a of db()
      .select({ id: asks.id, slug: asks.slug, title: asks.title })
      .from(asks)
      .where(inArray(asks.id, askIds))
      .all()) {
      put("ask", a.id, { name: a.title.toWellFormed(), ask: { id: a.id, slug: a.slug } });
    }
  }
  const commentIds = ids("comment");
  if (commentIds.length) {
    for (const c of db()
      .select({ id: comments.id, askId: asks.id, slug: asks.slug, deletedAt: comments.deletedAt })
      .from(comments)
      .innerJoin(asks, eq(asks.id, comments.askId))
      .where(inArray(comments.id, commentIds))
      .all()) {
      // A deleted comment leaves the thread: its ask is still there, the comment no longer.
      found.set(`comment:${c.id}`, { name: null, ask: { id: c.askId, slug: c.slug }, exists: c.deletedAt === null });
    }
  }
  const updateIds = ids("status_update");
  if (updateIds.length) {
    for (const u of db()
      .select({ id: statusUpdates.id, askId: asks.id, slug: asks.slug })
      .from(statusUpdates)
      .innerJoin(asks, eq(asks.id, statusUpdates.askId))
      .where(inArray(statusUpdates.id, updateIds))
      .all()) {
      put("status_update", u.id, { name: null, ask: { id: u.askId, slug: u.slug } });
    }
  }
  const userIds = ids("user");
  if (userIds.length) {
    for (const u of db()
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .where(inArray(users.id, userIds))
      .all()) {
      put("user", u.id, { name: u.name.toWellFormed(), ask: null });
    }
  }
  const tokenIds = ids("token");
  if (tokenIds.length) {
    for (const t of db()
      .select({ id: apiTokens.id, name: apiTokens.name, owner: users.displayName })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(inArray(apiTokens.id, tokenIds))
      .all()) {
      // Token names repeat from person to person ("ci-sync"); the owner tells them apart.
      put("token", t.id, { name: `${t.name} (${t.owner})`.toWellFormed(), ask: null });
    }
  }
  const webhookIds = ids("webhook");
  if (webhookIds.length) {
    for (const w of db()
      .select({ id: webhookEndpoints.id, url: webhookEndpoints.url })
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, webhookIds))
      .all()) {
      put("webhook", w.id, { name: w.url.toWellFormed(), ask: null });
    }
  }
  for (const [type, table] of [
    ["team", teams],
    ["category", categories],
    ["status", statuses],
    ["organization", organizations],
  ] as const) {
    const wanted = ids(type);
    if (!wanted.length) continue;
    for (const row of db()
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(inArray(table.id, wanted))
      .all()) {
      put(type, row.id, { name: row.name.toWellFormed(), ask: null });
    }
  }
  // Not found among the kinds looked up: deleted. Other kinds (mail) have no page to look for.
  const lookedUp: string[] = [
    "ask",
    "comment",
    "status_update",
    "user",
    "team",
    "category",
    "status",
    "organization",
    "token",
    "webhook",
  ];
  return (type, id) => found.get(`${type}:${id}`) ?? { name: null, ask: null, exists: !lookedUp.includes(type) };
}

// Before and after as one change per field that differs, so a long snapshot reads as
// what actually changed.
function changesBetween(before: string | null, after: string | null): AuditChange[] {
  const was = parseStored(before);
  const now = parseStored(after);
  if (!isRecord(was) && !isRecord(now)) {
    return before === after ? [] : [{ field: "", before: was, after: now }];
  }
  const a = isRecord(was) ? flattened(was) : {};
  const b = isRecord(now) ? flattened(now) : {};
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => ({ field: key, before: a[key], after: b[key] }));
}

// A nested snapshot ({ statusUpdate: { note, aboutDate } }) as one field per line ("statusUpdate.note"),
// so a change inside it shows as that field alone.
function flattened(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) =>
      isRecord(v) ? Object.entries(v).map(([inner, w]) => [`${key}.${inner}`, w]) : [[key, v]],
    ),
  );
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
