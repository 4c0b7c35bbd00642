import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { categories, statuses } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { done, type Result, refused } from "./result";

// Categories and statuses are lists admins put in order: a new one goes last, and a
// move swaps it with its neighbour.
type OrderedTable = typeof categories | typeof statuses;

export type Move = Result<"not-found">;

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
  const subjectType = table === categories ? "category" : "status";
  recordAudit(tx, {
    actorId,
    action: `${subjectType}.move`,
    subjectType,
    subjectId: id,
    before: { place: from + 1 },
    after: { place: to + 1 },
  });
  return done();
}
