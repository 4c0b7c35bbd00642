import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { categories, statuses, teams } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { type Done, done, type Result, refused } from "./result";

// Teams, categories and statuses are lists of named things that admins keep: names are
// unique, renames are audited, and categories and statuses are also kept in order.
type NamedTable = typeof teams | typeof categories | typeof statuses;
type OrderedTable = typeof categories | typeof statuses;

// The audit entry for a change to one row ("team.rename", "status.move"), written in the
// change's own transaction.
export function auditListChange(
  tx: Tx,
  table: NamedTable,
  change: "create" | "rename" | "update" | "move" | "delete",
  entry: { id: number; before?: unknown; after?: unknown; actorId: number },
): void {
  const subjectType = table === teams ? "team" : table === categories ? "category" : "status";
  const { id, before, after, actorId } = entry;
  recordAudit(tx, { actorId, action: `${subjectType}.${change}`, subjectType, subjectId: id, before, after });
}

// Deletes a row nothing refers to any more (the caller has checked).
export function deleteRow(tx: Tx, table: NamedTable, entry: { id: number; before: object; actorId: number }): Done {
  tx.delete(table).where(eq(table.id, entry.id)).run();
  auditListChange(tx, table, "delete", entry);
  return done();
}

// Names differing only in case would read as the same thing in every menu.
export function nameTaken(tx: Tx, table: NamedTable, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: table.id })
    .from(table)
    .where(sql`lower(${table.name}) = lower(${name})`)
    .all()
    .some((row) => row.id !== exceptId);
}

export type NameChange = Result<"not-found" | "name-taken", { id: number }>;

// Adds a row under a name no other row has, with its audit entry; `insert` writes it.
export function createRow(
  tx: Tx,
  table: NamedTable,
  { name, after, actorId }: { name: string; after: object; actorId: number },
  insert: () => { id: number } | undefined,
): NameChange {
  if (nameTaken(tx, table, name)) return refused("name-taken");
  const row = insert();
  if (!row) throw new Error("INSERT … RETURNING returned no row");
  auditListChange(tx, table, "create", { id: row.id, after, actorId });
  return done({ id: row.id });
}

export function renameRow(
  tx: Tx,
  table: typeof teams | typeof categories,
  { id, name, actorId }: { id: number; name: string; actorId: number },
): NameChange {
  const row = tx.select({ name: table.name }).from(table).where(eq(table.id, id)).get();
  if (!row) return refused("not-found");
  if (nameTaken(tx, table, name, id)) return refused("name-taken");
  if (row.name === name) return done({ id });
  tx.update(table).set({ name }).where(eq(table.id, id)).run();
  auditListChange(tx, table, "rename", { id, before: { name: row.name }, after: { name }, actorId });
  return done({ id });
}

export type Move = Result<"not-found">;

// A new one goes last in an ordered list.
export function nextPosition(tx: Tx, table: OrderedTable): number {
  const last = tx
    .select({ last: sql<number>`coalesce(max(${table.position}), 0)` })
    .from(table)
    .get()?.last;
  return (last ?? 0) + 1;
}

// Renumbers the whole list 1..n as it swaps, so ties and gaps left by older positions
// never make a move do nothing. Moving the first up or the last down changes nothing
// and is not audited.
export function moveInList(
  tx: Tx,
  table: OrderedTable,
  { id, direction, actorId }: { id: number; direction: "up" | "down"; actorId: number },
): Move {
  const tieBreak = table === categories ? categories.name : statuses.id;
  const order = tx
    .select({ id: table.id, position: table.position })
    .from(table)
    .orderBy(asc(table.position), asc(tieBreak))
    .all();
  const from = order.findIndex((row) => row.id === id);
  const to = direction === "up" ? from - 1 : from + 1;
  const moving = order[from];
  const neighbour = order[to];
  if (!moving) return refused("not-found");
  if (!neighbour) return done();
  order[from] = neighbour;
  order[to] = moving;
  order.forEach((row, i) => {
    if (row.position !== i + 1) {
      tx.update(table)
        .set({ position: i + 1 })
        .where(eq(table.id, row.id))
        .run();
    }
  });
  auditListChange(tx, table, "move", { id, before: { place: from + 1 }, after: { place: to + 1 }, actorId });
  return done();
}
