import { asc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { teams } from "../../db/schema";
import { createRow, deleteRow, type NameChange, renameRow } from "./named-list.server";
import { type Done, type Refused, refused } from "./result";

export type Team = { id: number; name: string };

export type TeamWithCounts = Team & { memberCount: number; askCount: number; statusUpdateCount: number };

export type TeamUses = { memberCount: number; askCount: number; statusUpdateCount: number };
export type TeamDeletion = Done | Refused<"not-found"> | Refused<"in-use", TeamUses>;

export function listTeams(): Team[] {
  return db().select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)).all();
}

// Spelled out with table names: drizzle leaves columns unqualified in a
// single-table select, and an unqualified "id" would mean the inner table's.
const memberCount = sql<number>`(SELECT count(*) FROM users WHERE users.team_id = teams.id)`;
const askCount = sql<number>`(SELECT count(*) FROM asks WHERE asks.team_id = teams.id)`;
const statusUpdateCount = sql<number>`(SELECT count(*) FROM status_updates WHERE status_updates.team_id = teams.id)`;

export function listTeamsWithCounts(): TeamWithCounts[] {
  return db()
    .select({ id: teams.id, name: teams.name, memberCount, askCount, statusUpdateCount })
    .from(teams)
    .orderBy(asc(teams.name))
    .all();
}

export function createTeam({ name, actorId }: { name: string; actorId: number }): NameChange {
  return db().transaction(
    (tx) =>
      createRow(tx, teams, { name, after: { name }, actorId }, () =>
        tx.insert(teams).values({ name }).returning({ id: teams.id }).get(),
      ),
    { behavior: "immediate" },
  );
}

export function renameTeam(change: { id: number; name: string; actorId: number }): NameChange {
  return db().transaction((tx) => renameRow(tx, teams, change), { behavior: "immediate" });
}

// Members, asks and status updates keep pointing at their team; history must
// not lose who answered, so a team in use stays.
export function deleteTeam({ id, actorId }: { id: number; actorId: number }): TeamDeletion {
  return db().transaction(
    (tx): TeamDeletion => {
      const team = tx
        .select({ id: teams.id, name: teams.name, memberCount, askCount, statusUpdateCount })
        .from(teams)
        .where(eq(teams.id, id))
        .get();
      if (!team) return refused("not-found");
      const { memberCount: members, askCount: asks, statusUpdateCount: updates } = team;
      if (members || asks || updates) {
        return refused("in-use", { memberCount: members, askCount: asks, statusUpdateCount: updates });
      }
      return deleteRow(tx, teams, { id, before: { name: team.name }, actorId });
    },
    { behavior: "immediate" },
  );
}
