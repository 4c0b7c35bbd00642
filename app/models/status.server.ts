import { asc, eq, sql } from "drizzle-orm";
import { isBuiltInStatus } from "~/domain";
import { slugify } from "~/slug";
import { db, preparedQuery, type Tx } from "../../db/client";
import { statuses } from "../../db/schema";
import type { Move, NameChange } from "./named-list.server";
import { auditListChange, createRow, deleteRow, moveInList, nameTaken, nextPosition } from "./named-list.server";
import { type Done, done, type Refused, refused } from "./result";

export type Status = typeof statuses.$inferSelect;

const statusesQuery = preparedQuery((database) =>
  database.select().from(statuses).orderBy(asc(statuses.position), asc(statuses.id)).prepare(),
);

export function listStatuses(): Status[] {
  return statusesQuery().all();
}

export function getStatusBySlug(slug: string): Status | undefined {
  return db().select().from(statuses).where(eq(statuses.slug, slug)).get();
}

export type StatusWithCounts = Status & { askCount: number; statusUpdateCount: number; builtIn: boolean };

export type StatusInput = {
  name: string;
  color: string;
  isClosed: boolean;
  acceptsVotes: boolean;
  // Left out (undefined): a new status is not on the roadmap, an existing one keeps its column.
  roadmapColumn?: Status["roadmapColumn"];
};

export type StatusDeletion =
  | Done
  | Refused<"not-found">
  | Refused<"built-in">
  | Refused<"in-use", { askCount: number; statusUpdateCount: number }>;

// Spelled out with table names: drizzle leaves columns unqualified in a
// single-table select, and an unqualified "id" would mean the inner table's.
const askCount = sql<number>`(SELECT count(*) FROM asks WHERE asks.status_id = statuses.id)`;
const statusUpdateCount = sql<number>`(SELECT count(*) FROM status_updates
  WHERE status_updates.to_status_id = statuses.id OR status_updates.from_status_id = statuses.id)`;

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
    .map((s) => ({ ...s, builtIn: isBuiltInStatus(s.slug) }));
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

// A new status goes at the end of the workflow.
export function createStatus({ actorId, ...input }: StatusInput & { actorId: number }): NameChange {
  return db().transaction(
    (tx) => {
      const slug = uniqueSlug(tx, input.name);
      return createRow(tx, statuses, { name: input.name, after: { slug, ...input }, actorId }, () =>
        tx
          .insert(statuses)
          .values({ ...input, slug, position: nextPosition(tx, statuses) })
          .returning({ id: statuses.id })
          .get(),
      );
    },
    { behavior: "immediate" },
  );
}

// The slug stays as it was created, for every status: it is in bookmarked
// filter links (?status=planned) as well as in the code.
export function updateStatus({ id, actorId, ...input }: StatusInput & { id: number; actorId: number }): NameChange {
  return db().transaction(
    (tx): NameChange => {
      const status = tx.select().from(statuses).where(eq(statuses.id, id)).get();
      if (!status) return refused("not-found");
      if (nameTaken(tx, statuses, input.name, id)) return refused("name-taken");
      const changed = (Object.keys(input) as (keyof StatusInput)[]).filter(
        (key) => input[key] !== undefined && status[key] !== input[key],
      );
      if (!changed.length) return done({ id });
      tx.update(statuses)
        .set(Object.fromEntries(changed.map((key) => [key, input[key]])))
        .where(eq(statuses.id, id))
        .run();
      auditListChange(tx, statuses, "update", {
        id,
        before: Object.fromEntries(changed.map((key) => [key, status[key]])),
        after: Object.fromEntries(changed.map((key) => [key, input[key]])),
        actorId,
      });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

export function moveStatus(move: { id: number; direction: "up" | "down"; actorId: number }): Move {
  return db().transaction((tx) => moveInList(tx, statuses, move), { behavior: "immediate" });
}

// Asks and their dated history point at their statuses; those stay.
export function deleteStatus({ id, actorId }: { id: number; actorId: number }): StatusDeletion {
  return db().transaction(
    (tx): StatusDeletion => {
      const status = tx
        .select({ id: statuses.id, slug: statuses.slug, name: statuses.name, askCount, statusUpdateCount })
        .from(statuses)
        .where(eq(statuses.id, id))
        .get();
      if (!status) return refused("not-found");
      if (isBuiltInStatus(status.slug)) return refused("built-in");
      if (status.askCount || status.statusUpdateCount) {
        return refused("in-use", { askCount: status.askCount, statusUpdateCount: status.statusUpdateCount });
      }
      return deleteRow(tx, statuses, { id, before: { slug: status.slug, name: status.name }, actorId });
    },
    { behavior: "immediate" },
  );
}
