import { asc, eq, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { teams } from "../../db/schema";
import { recordAudit } from "./audit.server";

export type Team = { id: number; name: string };

export type TeamWithCounts = Team & { memberCount: number; askCount: number; statusUpdateCount: number };

export type TeamChange = { ok: true; id: number } | { ok: false; reason: "not-found" | "name-taken" };

export type TeamDeletion =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "in-use"; memberCount: number; askCount: number; statusUpdateCount: number };

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

// Names differing only in case would read as the same team in every menu.
function nameTaken(tx: Tx, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: teams.id })
    .from(teams)
    .where(sql`lower(${teams.name}) = lower(${name})`)
    .all()
    .some((t) => t.id !== exceptId);
}

export function createTeam(actorId: number, name: string): TeamChange {
  return db().transaction(
    (tx): TeamChange => {
      if (nameTaken(tx, name)) return { ok: false, reason: "name-taken" };
      const [row] = tx.insert(teams).values({ name }).returning({ id: teams.id }).all();
      recordAudit(tx, { actorId, action: "team.create", subjectType: "team", subjectId: row.id, after: { name } });
      return { ok: true, id: row.id };
    },
    { behavior: "immediate" },
  );
}

export function renameTeam(actorId: number, id: number, name: string): TeamChange {
  return db().transaction(
    (tx): TeamChange => {
      const [team] = tx.select().from(teams).where(eq(teams.id, id)).all();
      if (!team) return { ok: false, reason: "not-found" };
      if (nameTaken(tx, name, id)) return { ok: false, reason: "name-taken" };
      if (team.name === name) return { ok: true, id };
      tx.update(teams).set({ name }).where(eq(teams.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "team.rename",
        subjectType: "team",
        subjectId: id,
        before: { name: team.name },
        after: { name },
      });
      return { ok: true, id };
    },
    { behavior: "immediate" },
  );
}

// Members, asks and status updates keep pointing at their team; history must
// not lose who answered, so a team in use stays.
export function deleteTeam(actorId: number, id: number): TeamDeletion {
  return db().transaction(
    (tx): TeamDeletion => {
      const [team] = tx
        .select({ id: teams.id, name: teams.name, memberCount, askCount, statusUpdateCount })
        .from(teams)
        .where(eq(teams.id, id))
        .all();
      if (!team) return { ok: false, reason: "not-found" };
      if (team.memberCount || team.askCount || team.statusUpdateCount) {
        return {
          ok: false,
          reason: "in-use",
          memberCount: team.memberCount,
          askCount: team.askCount,
          statusUpdateCount: team.statusUpdateCount,
        };
      }
      tx.delete(teams).where(eq(teams.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "team.delete",
        subjectType: "team",
        subjectId: id,
        before: { name: team.name },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
