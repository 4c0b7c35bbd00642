import { and, asc, desc, eq, isNull, not, notExists, type SQL, sql } from "drizzle-orm";
import { pageSize } from "~/validation/fields";
import type { TriageSort } from "~/validation/query";
import { db } from "../../db/client";
import { asks, statuses, statusUpdates, teams } from "../../db/schema";
import { countSummaries, linkedToOrganization, type OrganizationFilter, selectSummaries } from "./ask.server";

// The triage queue: what program teams still have to answer. Hidden asks
// (moderated away) and closed ones are never waiting for triage.

const waiting = and(isNull(asks.hiddenAt), not(statuses.isClosed));

// What narrows and orders any queue: the asks linked to an organization, and "organizations"
// (the most organizations first, then votes) instead of the queue's own order.
export type TriageOptions = { organization?: OrganizationFilter; sort?: TriageSort };

const byOrganizations = [desc(asks.organizationCount), desc(asks.voteCount), desc(asks.id)];

function page(
  where: SQL | undefined,
  order: SQL[],
  { pageNumber, size, organization }: { pageNumber: number; size: number; organization?: OrganizationFilter },
) {
  const narrowed = organization ? and(where, linkedToOrganization(organization)) : where;
  // The lists' own summary query, plus the assigned team the queue is grouped by.
  const rows = selectSummaries({ teamId: asks.teamId, team: teams.name })
    .leftJoin(teams, eq(teams.id, asks.teamId))
    .where(narrowed)
    .orderBy(...order)
    .limit(size)
    .offset((pageNumber - 1) * size)
    .all();
  return { asks: rows, total: countSummaries(narrowed) };
}

export type TriagePage = ReturnType<typeof page>;

// New: nobody has looked at it yet — no team and no status update. Oldest first.
export function listNewAsks(pageNumber: number, size = pageSize, options: TriageOptions = {}) {
  const untouched = notExists(db().select({ one: sql`1` }).from(statusUpdates).where(eq(statusUpdates.askId, asks.id)));
  const order = options.sort === "organizations" ? byOrganizations : [asc(asks.createdAt), asc(asks.id)];
  return page(and(waiting, isNull(asks.teamId), untouched), order, { pageNumber, size, ...options });
}

// A team's open asks, the longest-waiting (oldest update) first.
export function listTeamAsks(teamId: number, pageNumber: number, size = pageSize, options: TriageOptions = {}) {
  const order = options.sort === "organizations" ? byOrganizations : [asc(asks.updatedAt), asc(asks.id)];
  return page(and(waiting, eq(asks.teamId, teamId)), order, { pageNumber, size, ...options });
}

// Every open ask, grouped by team (unassigned last); `team` narrows it to one
// team, or to the unassigned asks with "none". Within a team, the longest-waiting first
// unless sorted by organizations.
export function listOpenAsksByTeam(
  team: number | "none" | undefined,
  pageNumber: number,
  size = pageSize,
  options: TriageOptions = {},
) {
  const where =
    team === undefined ? waiting : and(waiting, team === "none" ? isNull(asks.teamId) : eq(asks.teamId, team));
  const withinTeam = options.sort === "organizations" ? byOrganizations : [asc(asks.updatedAt), asc(asks.id)];
  return page(where, [sql`${teams.name} IS NULL`, asc(teams.name), ...withinTeam], { pageNumber, size, ...options });
}

export type TeamCount = { teamId: number | null; team: string | null; count: number };

// Open asks per team in one grouped query; every team is listed, even with
// nothing open, and the unassigned asks come last.
export function countOpenAsksByTeam(): TeamCount[] {
  const counts = new Map(
    db()
      .select({ teamId: asks.teamId, count: sql<number>`count(*)` })
      .from(asks)
      .innerJoin(statuses, eq(statuses.id, asks.statusId))
      .where(waiting)
      .groupBy(asks.teamId)
      .all()
      .map((row) => [row.teamId, row.count]),
  );
  const named = db()
    .select({ teamId: teams.id, team: teams.name })
    .from(teams)
    .orderBy(asc(teams.name))
    .all()
    .map((t) => ({ ...t, count: counts.get(t.teamId) ?? 0 }));
  return [...named, { teamId: null, team: null, count: counts.get(null) ?? 0 }];
}
