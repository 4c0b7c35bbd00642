import { asc, eq, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { teams } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { type Done, done, type Refused, type Result, refused } from "./result";

export type Team = { id: number; name: string };

export type TeamWithCounts = Team & { memberCount: number; askCount: number; statusUpdateCount: number };

export type TeamChange = Result<"not-found" | "name-taken", { id: number }>;

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

// Names differing only in case would read as the same team in every menu.
function nameTaken(tx: Tx, name: string, exceptId?: number): boolean {
  return tx
    .select({ id: teams.id })
    .from(teams)
    .where(sql`lower(${teams.name}) = lower(${name})`)
    .all()
    .some((t) => t.id !== exceptId);
}

export function createTeam({ name, actorId }: { name: string; actorId: number }): TeamChange {
  return db().transaction(
    (tx): TeamChange => {
      if (nameTaken(tx, name)) return refused("name-taken");
      const { id } = tx.insert(teams).values({ name }).returning({ id: teams.id }).get()!;
      recordAudit(tx, { actorId, action: "team.create", subjectType: "team", subjectId: id, after: { name } });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

export function renameTeam({ id, name, actorId }: { id: number; name: string; actorId: number }): TeamChange {
  return db().transaction(
    (tx): TeamChange => {
      const team = tx.select().from(teams).where(eq(teams.id, id)).get();
      if (!team) return refused("not-found");
      if (nameTaken(tx, name, id)) return refused("name-taken");
      if (team.name === name) return done({ id });
      tx.update(teams).set({ name }).where(eq(teams.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "team.rename",
        subjectType: "team",
        subjectId: id,
        before: { name: team.name },
        after: { name },
      });
      return done({ id });
    },
    { behavior: "immediate" },
  );
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
      tx.delete(teams).where(eq(teams.id, id)).run();
      recordAudit(tx, {
        actorId,
        action: "team.delete",
        subjectType: "team",
        subjectId: id,
        before: { name: team.name },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}
