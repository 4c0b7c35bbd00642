import { and, asc, desc, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { type RoadmapColumn, roadmapColumns } from "~/domain";
import { utcDate } from "~/validation/status-update";
import { db } from "../../db/client";
import { asks, categories, statuses, statusUpdates, teams } from "../../db/schema";

export type RoadmapCard = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  team: string | null;
  category: string;
  status: { slug: string; name: string; color: string };
  // YYYY-MM-DD: the date the ask's latest status update is about, or its last change when it has none.
  changedOn: string;
};

export type RoadmapColumnView = {
  column: RoadmapColumn;
  cards: RoadmapCard[];
  // Every ask that belongs in the column; more than cards.length when the column was capped.
  total: number;
  // The statuses admins put in this column, for the "see all" links.
  statuses: { slug: string; name: string }[];
};

export type RoadmapFilter = {
  categoryId?: number;
  // Completed asks stay on the roadmap this long after their latest status update.
  completedWithinDays: number;
  // Cards per column.
  limit: number;
  now?: Date;
};

const changedOn = sql<string>`coalesce(
  (SELECT max(${statusUpdates.aboutDate}) FROM ${statusUpdates} WHERE ${statusUpdates.askId} = ${asks.id}),
  substr(${asks.updatedAt}, 1, 10)
)`;

// Each column is one query: the inner select finds the column's first `limit`
// asks and, by the window count, how many there are in all; only those few
// are then joined to their details. Hidden and merged asks are never on the roadmap.
export function getRoadmap(filter: RoadmapFilter): RoadmapColumnView[] {
  const columnStatuses = db()
    .select({ slug: statuses.slug, name: statuses.name, column: statuses.roadmapColumn })
    .from(statuses)
    .where(isNotNull(statuses.roadmapColumn))
    .orderBy(asc(statuses.position), asc(statuses.id))
    .all();
  const since = utcDate(new Date((filter.now ?? new Date()).getTime() - filter.completedWithinDays * 86_400_000));
  return roadmapColumns.map((column) => {
    const completed = column === "completed";
    const conditions: SQL[] = [eq(statuses.roadmapColumn, column), isNull(asks.hiddenAt), isNull(asks.duplicateOfId)];
    if (filter.categoryId) conditions.push(eq(asks.categoryId, filter.categoryId));
    if (completed) conditions.push(sql`${changedOn} >= ${since}`);
    const top = db()
      .select({
        id: asks.id,
        // Sort keys, under names of their own: the outer query sorts the few rows again by them.
        rank: sql`${completed ? changedOn : asks.voteCount}`.as("rank"),
        tiebreak: sql`${completed ? asks.updatedAt : sql`''`}`.as("tiebreak"),
        total: sql<number>`count(*) OVER ()`.as("total"),
      })
      .from(asks)
      .innerJoin(statuses, eq(statuses.id, asks.statusId))
      .where(and(...conditions))
      .orderBy(...(completed ? [desc(changedOn), desc(asks.updatedAt)] : [desc(asks.voteCount)]), desc(asks.id))
      .limit(filter.limit)
      .as("top");
    const rows = db()
      .select({
        id: asks.id,
        slug: asks.slug,
        title: asks.title,
        voteCount: asks.voteCount,
        team: teams.name,
        category: categories.name,
        status: { slug: statuses.slug, name: statuses.name, color: statuses.color },
        changedOn,
        total: top.total,
      })
      .from(top)
      .innerJoin(asks, eq(asks.id, top.id))
      .innerJoin(statuses, eq(statuses.id, asks.statusId))
      .innerJoin(categories, eq(categories.id, asks.categoryId))
      .leftJoin(teams, eq(teams.id, asks.teamId))
      .orderBy(desc(top.rank), desc(top.tiebreak), desc(asks.id))
      .all();
    return {
      column,
      cards: rows.map(({ total: _total, ...card }) => card),
      total: rows[0]?.total ?? 0,
      statuses: columnStatuses.filter((s) => s.column === column).map(({ slug, name }) => ({ slug, name })),
    };
  });
}
