import { asc, eq, sql } from "drizzle-orm";
import { slugify } from "~/slug";
import { db, preparedQuery, type Tx } from "../../db/client";
import { statuses } from "../../db/schema";
import { recordAudit } from "./audit.server";

export type Status = typeof statuses.$inferSelect;

const statusesQuery = preparedQuery((database) =>
  database.select().from(statuses).orderBy(asc(statuses.position), asc(statuses.id)).prepare(),
);

export function listStatuses(): Status[] {
  return statusesQuery().all();
}

export function getStatusBySlug(slug: string): Status | undefined {
  return db().select().from(statuses).where(eq(statuses.slug, slug)).all()[0];
}

// The code looks some of these up by slug, so their slugs never change and
// they cannot be deleted; admins may still rename and recolor them.
export const defaultStatusSlugs = [
  "open",
  "under-review",
  "planned",
  "in-progress",
  "completed",
  "declined",
  "duplicate",
] as const;

export type StatusWithCounts = Status & { askCount: number; statusUpdateCount: number; builtIn: boolean };

export type StatusInput = {
  name: string;
  color: string;
  isClosed: boolean;
  acceptsVotes: boolean;
  // Left out (undefined): a new status is not on the roadmap, an existing one keeps its column.
  roadmapColumn?: Status["roadmapColumn"];
};

export type StatusChange = { ok: true; id: number } | { ok: false; reason: "not-found" | "name-taken" };

export type StatusDeletion =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "built-in" }
  | { ok: false; reason: "in-use"; askCount: number; statusUpdateCount: number };

// Spelled out with table names: drizzle leaves columns unqualified in a
// single-table select, and an unqualified "id" would mean the inner table's.
const askCount = sql<number>`(SELECT count(*) FROM asks WHERE asks.status_id = statuses.id)`;
const statusUpdateCount = sql<number>`(SELECT count(*) FROM status_updates
  WHERE status_updates.to_status_id = statuses.id OR status_updates.from_status_id = statuses.id)`;

function isBuiltIn(slug: string): boolean {
  return (defaultStatusSlugs as readonly string[]).includes(slug);
}

export function listStatusesWithCounts(): StatusWithCounts[] {
  return db()
    .select({
      id: statuses.id,
      slug: statuses.slug,
      name: statuses.name,
      color: statuses.color,
      position: statuses.position,
      isClosed: statuses.isClosed,
      acceptsVotes: statuses.acceptsVotes,
      roadmapColumn: statuses.roadmapColumn,
      askCount,
      statusUpdateCount,
    })
    .from(statuses)
    .orderBy(asc(statuses.position), asc(statuses.id))
    .all()
    .map((s) => ({ ...s, builtIn: isBuiltIn(s.slug) }));
}

// Two statuses of the same name would be indistinguishable in every filter menu.
function statusNameTaken(tx: Tx, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: statuses.id })
    .from(statuses)
    .where(sql`lower(${statuses.name}) = lower(${name})`)
    .all()
    .some((s) => s.id !== exceptId);
}

function uniqueSlug(tx: Tx, name: string): string {
  const base = /[a-z0-9]/i.test(name.normalize("NFKD")) ? slugify(name) : "status";
  const taken = new Set(
    tx
      .select({ slug: statuses.slug })
      .from(statuses)
      .where(sql`${statuses.slug} = ${base} OR ${statuses.slug} LIKE ${`${base}-%`}`)
      .all()
      .map((s) => s.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export function createStatus(actorId: number, input: StatusInput): StatusChange {
  return db().transaction(
    (tx): StatusChange => {
      if (statusNameTaken(tx, input.name)) return { ok: false, reason: "name-taken" };
      const slug = uniqueSlug(tx, input.name);
      const [{ last }] = tx
        .select({ last: sql<number>`coalesce(max(${statuses.position}), 0)` })
        .from(statuses)
        .all();
      const [row] = tx
        .insert(statuses)
        .values({ ...input, slug, position: last + 1 })
        .returning({ id: statuses.id })
        .all();
      recordAudit(tx, {
        actorId,
        action: "status.create",
        subjectType: "status",
        subjectId: row.id,
        after: { slug, ...input },
      });
      return { ok: true, id: row.id };
    },
    { behavior: "immediate" },
  );
}

// The slug stays as it was created, for every status: it is in bookmarked
// filter links (?status=planned) as well as in the code.
export function updateStatus(actorId: number, id: number, input: StatusInput): StatusChange {
  return db().transaction(
    (tx): StatusChange => {
      const [status] = tx.select().from(statuses).where(eq(statuses.id, id)).all();
      if (!status) return { ok: false, reason: "not-found" };
      if (statusNameTaken(tx, input.name, id)) return { ok: false, reason: "name-taken" };
      const changed = (Object.keys(input) as (keyof StatusInput)[]).filter(
        (key) => input[key] !== undefined && status[key] !== input[key],
      );
      if (!changed.length) return { ok: true, id };
      tx.update(statuses)
        .set(Object.fromEntries(changed.map((key) => [key, input[key]])))
        .where(eq(statuses.id, id))
        .run();
      recordAudit(tx, {
        actorId,
        action: "status.update",
        subjectType: "status",
        subjectId: id,
        before: Object.fromEntries(changed.map((key) => [key, status[key]])),
        after: Object.fromEntries(changed.map((key) => [key, input[key]])),
      });
      return { ok: true, id };
    },
    { behavior: "immediate" },
  );
}

// Swaps with the neighbour and renumbers 1..n, as categories do.
export function moveStatus(actorId: number, id: number, direction: "up" | "down"): boolean {
  return db().transaction(
    (tx) => {
      const order = tx
        .select({ id: statuses.id, position: statuses.position })
        .from(statuses)
        .orderBy(asc(statuses.position), asc(statuses.id))
        .all();
      const from = order.findIndex((s) => s.id === id);
      if (from === -1) return false;
      const to = direction === "up" ? from - 1 : from + 1;
      if (to < 0 || to >= order.length) return true;
      [order[from], order[to]] = [order[to], order[from]];
      order.forEach((s, i) => {
        if (s.position === i + 1) return;
        tx.update(statuses)
          .set({ position: i + 1 })
          .where(eq(statuses.id, s.id))
          .run();
      });
      recordAudit(tx, {
        actorId,
        action: "status.move",
        subjectType: "status",
        subjectId: id,
        before: { place: from + 1 },
        after: { place: to + 1 },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

// Asks and their dated history point at their statuses; those stay.
export function deleteStatus(actorId: number, id: number): StatusDeletion {
  return db().transaction(
    (tx): StatusDeletion => {
      const [status] = tx
        .select({ id: statuses.id, slug: statuses.slug, name: statuses.name, askCount, statusUpdateCount })
        .from(statuses)
        .where(eq(statuses.id, id))
        .all();
      if (!status) return { ok: false, reason: "not-found" };
      if (isBuiltIn(status.slug)) return { ok: false, reason: "built-in" };
      if (status.askCount || status.statusUpdateCount) {
        return { ok: false, reason: "in-use", askCount: status.askCount, statusUpdateCount: status.statusUpdateCount };
      }
      tx.delete(statuses).where(eq(statuses.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "status.delete",
        subjectType: "status",
        subjectId: id,
        before: { slug: status.slug, name: status.name },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
