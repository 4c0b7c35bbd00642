import { and, asc, desc, eq, exists, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/sqlite-core";
import { slugify } from "~/slug";
import { pageSize } from "~/validation/fields";
import type { AskSort, MyAskTab, OrganizationLink } from "~/validation/query";
import { keepUntilChange } from "../../db/cache";
import { db, preparedQuery } from "../../db/client";
import {
  asks,
  categories,
  comments,
  organizations,
  resolutionLinks,
  statuses,
  subscriptions,
  teams,
  users,
  votes,
} from "../../db/schema";
import { autoFollow, recordEvent } from "./event.server";
import { done, type Result, refused } from "./result";
import { type IndexMatch, matchingAskIds } from "./search-index.server";
import { enqueueAskCreated } from "./webhook.server";

const summaryColumns = {
  id: asks.id,
  slug: asks.slug,
  title: asks.title,
  voteCount: asks.voteCount,
  commentCount: asks.commentCount,
  createdAt: asks.createdAt,
  updatedAt: asks.updatedAt,
  authorId: asks.authorId,
  author: users.displayName,
  // The author's name links to their page unless they hid it; the organization to its page.
  authorProfileHidden: users.profileHidden,
  organization: organizations.name,
  organizationSlug: organizations.slug,
  category: categories.name,
  // The start of the description only: a row shows two lines of it, and twenty rows need not carry whole bodies.
  excerpt: sql<string>`substr(${asks.body}, 1, 300)`,
  status: {
    slug: statuses.slug,
    name: statuses.name,
    color: statuses.color,
    acceptsVotes: statuses.acceptsVotes,
    isClosed: statuses.isClosed,
  },
  hasResolution:
    sql<boolean>`EXISTS (SELECT 1 FROM ${resolutionLinks} WHERE ${resolutionLinks.askId} = ${asks.id})`.mapWith(
      Boolean,
    ),
};

// The ask lists' query; callers may add columns (the triage queue adds the team).
// biome-ignore lint/complexity/noBannedTypes: no extra columns is the common case
export function selectSummaries<Extra extends SelectedFields = {}>(extra?: Extra) {
  return db()
    .select({ ...summaryColumns, ...(extra as Extra) })
    .from(asks)
    .innerJoin(users, eq(users.id, asks.authorId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .innerJoin(categories, eq(categories.id, asks.categoryId))
    .innerJoin(statuses, eq(statuses.id, asks.statusId));
}

// The lists' rows for asks ranked elsewhere (trending, search), in the ranking's
// order; an ask deleted since it was ranked is left out.
export function summariesByIds(ids: readonly number[]) {
  const byId = new Map(
    ids.length
      ? selectSummaries()
          .where(inArray(asks.id, [...ids]))
          .all()
          .map((a) => [a.id, a])
      : [],
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// One row of every ask list: the home page, search, my asks, triage.
export type AskSummary = ReturnType<typeof summariesByIds>[number];

// Which of a list page's asks the viewer has voted on: one query for the page.
export function votedAskIds(userId: number, askIds: readonly number[]): number[] {
  if (!askIds.length) return [];
  return db()
    .select({ askId: votes.askId })
    .from(votes)
    .where(and(eq(votes.userId, userId), inArray(votes.askId, [...askIds])))
    .all()
    .map((v) => v.askId);
}

// How many asks a list's condition selects, for its pager; the condition may name the status.
export function countSummaries(where: SQL | undefined): number {
  const row = db()
    .select({ total: sql<number>`count(*)` })
    .from(asks)
    .innerJoin(statuses, eq(statuses.id, asks.statusId))
    .where(where)
    .get();
  return row?.total ?? 0;
}

const orderBy: Record<Exclude<AskSort, "trending">, SQL[]> = {
  top: [desc(asks.voteCount), desc(asks.id)],
  newest: [desc(asks.createdAt), desc(asks.id)],
  updated: [desc(asks.updatedAt), desc(asks.id)],
  organizations: [desc(asks.organizationCount), desc(asks.voteCount), desc(asks.id)],
};

// The columns of each order, for keyset paging: a row's values of them say where a page ends.
const keyColumns = {
  top: [asks.voteCount, asks.id],
  newest: [asks.createdAt, asks.id],
  updated: [asks.updatedAt, asks.id],
  organizations: [asks.organizationCount, asks.voteCount, asks.id],
} as const;

export type KeysetSort = keyof typeof keyColumns;
export type SortKey = (string | number)[];

// Where a page that ends with this ask stops, in the sort's order.
export function sortKeyOf(sort: KeysetSort, askId: number): SortKey | undefined {
  const row = db()
    .select(Object.fromEntries(keyColumns[sort].map((column, i) => [`k${i}`, column])))
    .from(asks)
    .where(eq(asks.id, askId))
    .get();
  return row ? Object.values(row).map((v) => (typeof v === "number" ? v : String(v))) : undefined;
}

// The rows after one, in an order that is descending in every column.
function after(sort: KeysetSort, key: SortKey): SQL {
  return sql`(${sql.join([...keyColumns[sort]], sql`, `)}) < (${sql.join(
    key.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

// How an organization's members came to an ask: "wants" is filed or voted on. Votes are
// only for viewers allowed to see votes by organization (models/site-setting.server.ts).
export type OrganizationFilter = { id: number; via: OrganizationLink };

// Asks linked to the organization's current members; each part is an index lookup from the
// members (users_organization_idx) to their asks, votes or comments.
export function linkedToOrganization({ id, via }: OrganizationFilter): SQL {
  const members = sql`SELECT ${users.id} FROM ${users} WHERE ${users.organizationId} = ${id}`;
  const filed = sql`${asks.authorId} IN (${members})`;
  const voted = sql`${asks.id} IN (SELECT ${votes.askId} FROM ${votes} WHERE ${votes.userId} IN (${members}))`;
  if (via === "filed") return filed;
  if (via === "voted") return voted;
  // One set of ids rather than an OR of two conditions, which the planner can only check row by row.
  if (via === "wants") {
    return sql`${asks.id} IN (SELECT a.id FROM ${asks} a WHERE a.author_id IN (${members})
      UNION SELECT ${votes.askId} FROM ${votes} WHERE ${votes.userId} IN (${members}))`;
  }
  // A deleted or hidden comment no longer says anything about who took part.
  return sql`${asks.id} IN (SELECT ${comments.askId} FROM ${comments} WHERE ${comments.authorId} IN (${members}) AND ${comments.deletedAt} IS NULL AND ${comments.hiddenAt} IS NULL)`;
}

export type AskFilter = {
  sort: AskSort;
  status?: string;
  categoryId?: number;
  // Asks the organization's members filed, voted on or commented on.
  organization?: OrganizationFilter;
  // A parsed search (~/services/search-query.server): only the asks the search page would find.
  match?: IndexMatch;
  page: number;
  // Rows per page; a CSV export walks the whole list in larger pages.
  pageSize?: number;
  // Team members and admins see hidden asks (marked as such); everyone else never does.
  includeHidden?: boolean;
  // Instead of a page number: the rows after the one with this sort key (the API's cursors),
  // which asks filed meanwhile do not shift.
  after?: SortKey;
};

export function listAsks(filter: AskFilter): { asks: AskSummary[]; total: number } {
  const conditions: SQL[] = [];
  if (!filter.includeHidden) conditions.push(isNull(asks.hiddenAt));
  if (filter.status) conditions.push(eq(statuses.slug, filter.status));
  if (filter.categoryId) conditions.push(eq(asks.categoryId, filter.categoryId));
  if (filter.organization) conditions.push(linkedToOrganization(filter.organization));
  if (filter.match) {
    conditions.push(sql`${asks.id} IN (${matchingAskIds(filter.match)})`);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const size = filter.pageSize ?? pageSize;
  const offset = (filter.page - 1) * size;
  const filterKey = JSON.stringify([
    filter.status,
    filter.categoryId,
    filter.organization,
    filter.match,
    filter.includeHidden,
  ]);
  const rows =
    filter.sort === "trending"
      ? trendingPage(where, filterKey, offset, size)
      : filter.after
        ? selectSummaries()
            .where(and(where, after(filter.sort, filter.after)))
            .orderBy(...orderBy[filter.sort])
            .limit(size)
            .all()
        : filter.sort === "organizations" && !filter.organization && !filter.match
          ? organizationsPage(where, offset, size)
          : selectSummaries()
              .where(where)
              .orderBy(...orderBy[filter.sort])
              .limit(size)
              .offset(offset)
              .all();
  // Counting 100,000 rows for the pager costs more than the page itself.
  const total = keepUntilChange(`count ${filterKey}`, 60_000, () => {
    return countSummaries(where);
  });
  return { asks: rows, total };
}

// Trending: the asks with the most votes cast in the last 30 days, then the
// rest by all-time votes. Counting recent votes for every ask on every page
// view took a second at 100,000 asks; instead the recent votes (an index
// range) are counted once and the two parts are paged one after the other.
// Between writes every visitor gets the same order, so it is kept until the database
// changes, or for a minute as old votes age out of the window.
function trendingRanking(where: SQL | undefined, filterKey: string): number[] {
  return keepUntilChange(`trending ${filterKey}`, 60_000, () => {
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const recent = new Map(
      db()
        .all<{ askId: number; n: number }>(
          sql`SELECT ask_id AS askId, count(*) AS n FROM ${votes} WHERE created_at > ${since} GROUP BY ask_id`,
        )
        .map((r) => [r.askId, r.n]),
    );
    return db()
      .select({ id: asks.id, voteCount: asks.voteCount })
      .from(asks)
      .innerJoin(statuses, eq(statuses.id, asks.statusId))
      .where(and(where, sql`${asks.id} IN (SELECT value FROM json_each(${JSON.stringify([...recent.keys()])}))`))
      .all()
      .sort((a, b) => (recent.get(b.id) ?? 0) - (recent.get(a.id) ?? 0) || b.voteCount - a.voteCount || b.id - a.id)
      .map((a) => a.id);
  });
}

function trendingPage(where: SQL | undefined, filterKey: string, offset: number, size: number): AskSummary[] {
  const ranked = trendingRanking(where, filterKey);
  const trending = summariesByIds(ranked.slice(offset, offset + size));
  const rest =
    trending.length < size
      ? selectSummaries()
          .where(and(where, sql`${asks.id} NOT IN (SELECT value FROM json_each(${JSON.stringify(ranked)}))`))
          .orderBy(desc(asks.voteCount), desc(asks.id))
          .limit(size - trending.length)
          .offset(Math.max(0, offset - ranked.length))
          .all()
      : [];
  return [...trending, ...rest];
}

// Most organizations first. Left to itself the planner reads every visible ask and sorts them
// (1.4 s at 100,000 asks): the index on the count alone does not cover the ties' order. Walking
// that index from the top and sorting only within each count finds a page in milliseconds.
// Not for an organization or a search: their few asks are found first and sorted.
function organizationsPage(where: SQL | undefined, offset: number, size: number): AskSummary[] {
  const ids = db()
    .all<{ id: number }>(
      sql`SELECT ${asks.id} AS id FROM ${asks} INDEXED BY asks_organization_count_idx
        JOIN ${statuses} ON ${statuses.id} = ${asks.statusId}
        WHERE ${where ?? sql`1`}
        ORDER BY ${sql.join(orderBy.organizations, sql`, `)} LIMIT ${size} OFFSET ${offset}`,
    )
    .map((a) => a.id);
  return summariesByIds(ids);
}

export function listMyAsks(
  userId: number,
  tab: MyAskTab,
  page: number,
  size = pageSize,
): { asks: AskSummary[]; total: number } {
  const visible = {
    filed: eq(asks.authorId, userId),
    voted: exists(
      db()
        .select({ one: sql`1` })
        .from(votes)
        .where(and(eq(votes.askId, asks.id), eq(votes.userId, userId))),
    ),
    commented: exists(
      db()
        .select({ one: sql`1` })
        .from(comments)
        .where(and(eq(comments.askId, asks.id), eq(comments.authorId, userId), sql`${comments.deletedAt} IS NULL`)),
    ),
    // The asks one hears about now, however one came to follow them.
    following: exists(
      db()
        .select({ one: sql`1` })
        .from(subscriptions)
        .where(
          and(eq(subscriptions.askId, asks.id), eq(subscriptions.userId, userId), isNull(subscriptions.unfollowedAt)),
        ),
    ),
  }[tab];
  const where = and(visible, isNull(asks.hiddenAt));
  const rows = selectSummaries()
    .where(where)
    .orderBy(desc(asks.updatedAt), desc(asks.id))
    .limit(size)
    .offset((page - 1) * size)
    .all();
  const total = db().select({ total: sql<number>`count(*)` }).from(asks).where(where).get()?.total ?? 0;
  return { asks: rows, total };
}

export type AskDetail = AskSummary & {
  body: string;
  // How many organizations the voters belong to; which ones is not public (models/site-setting.server.ts).
  organizationCount: number;
  categoryId: number;
  team: string | null;
  status: AskSummary["status"] & { isClosed: boolean; acceptsVotes: boolean };
  resolutionLinks: { url: string; title: string }[];
  hiddenAt: string | null;
  hiddenReason: string | null;
  commentsLockedAt: string | null;
  editedAt: string | null;
  duplicateOf: { id: number; slug: string; title: string } | null;
  // Where imported history came from, and the legacy votes counted in voteCount that nobody owns.
  sourceUrl: string | null;
  extraVotes: number;
  mergedFrom: { id: number; slug: string; title: string }[];
};

const askDetailQuery = preparedQuery((database) =>
  database
    .select({
      ...summaryColumns,
      body: asks.body,
      organizationCount: asks.organizationCount,
      categoryId: asks.categoryId,
      team: teams.name,
      hiddenAt: asks.hiddenAt,
      hiddenReason: asks.hiddenReason,
      commentsLockedAt: asks.commentsLockedAt,
      editedAt: asks.editedAt,
      duplicateOfId: asks.duplicateOfId,
      sourceUrl: asks.sourceUrl,
      extraVotes: asks.extraVotes,
      status: {
        slug: statuses.slug,
        name: statuses.name,
        color: statuses.color,
        isClosed: statuses.isClosed,
        acceptsVotes: statuses.acceptsVotes,
      },
    })
    .from(asks)
    .innerJoin(users, eq(users.id, asks.authorId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .innerJoin(categories, eq(categories.id, asks.categoryId))
    .innerJoin(statuses, eq(statuses.id, asks.statusId))
    .leftJoin(teams, eq(teams.id, asks.teamId))
    .where(eq(asks.id, sql.placeholder("id")))
    .prepare(),
);

const askLinksQuery = preparedQuery((database) =>
  database
    .select({ url: resolutionLinks.url, title: resolutionLinks.title })
    .from(resolutionLinks)
    .where(eq(resolutionLinks.askId, sql.placeholder("id")))
    .orderBy(asc(resolutionLinks.id))
    .prepare(),
);

const related = { id: asks.id, slug: asks.slug, title: asks.title };

const relatedAskQuery = preparedQuery((database) =>
  database
    .select(related)
    .from(asks)
    .where(eq(asks.id, sql.placeholder("id")))
    .prepare(),
);

const mergedFromQuery = preparedQuery((database) =>
  database
    .select(related)
    .from(asks)
    .where(eq(asks.duplicateOfId, sql.placeholder("id")))
    .orderBy(asc(asks.id))
    .prepare(),
);

export function getAsk(id: number): AskDetail | undefined {
  const row = askDetailQuery().get({ id });
  if (!row) return undefined;
  const { duplicateOfId, ...ask } = row;
  const duplicateOf = duplicateOfId ? relatedAskQuery().get({ id: duplicateOfId }) : undefined;
  return {
    ...ask,
    resolutionLinks: askLinksQuery().all({ id }),
    duplicateOf: duplicateOf ?? null,
    mergedFrom: mergedFromQuery().all({ id }),
  };
}

// The team each ask is with, for the lists' CSV export (the list rows do not carry it).
export function teamsOfAsks(askIds: readonly number[]): Map<number, string> {
  if (!askIds.length) return new Map();
  const rows = db()
    .select({ id: asks.id, team: teams.name })
    .from(asks)
    .innerJoin(teams, eq(teams.id, asks.teamId))
    .where(inArray(asks.id, [...askIds]))
    .all();
  return new Map(rows.map((r) => [r.id, r.team]));
}

export type NewAsk = Result<"unknown-category", { id: number; slug: string }>;

export type AskFiling = { title: string; body: string; categoryId: number; authorId: number };

export function createAsk({ title, body, categoryId, authorId }: AskFiling): NewAsk {
  return db().transaction(
    (tx): NewAsk => {
      const category = tx
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(eq(categories.id, categoryId))
        .get();
      if (!category) return refused("unknown-category");
      const open = tx.select({ id: statuses.id }).from(statuses).where(eq(statuses.slug, "open")).get();
      // Built-in statuses cannot be deleted (app/domain.ts).
      if (!open) throw new Error('the built-in status "open" is missing');
      const row = tx
        .insert(asks)
        .values({ title, slug: slugify(title), body, authorId, categoryId, statusId: open.id })
        .returning({ id: asks.id, slug: asks.slug })
        .get();
      // An insert with RETURNING always gives back the row it wrote.
      const filed = row!;
      autoFollow(tx, { askId: filed.id, userId: authorId, reason: "filed" });
      recordEvent(tx, {
        kind: "new_ask",
        askId: filed.id,
        actorId: authorId,
        data: { queue: "category", topicId: category.id, topicName: category.name },
      });
      enqueueAskCreated(tx, filed.id);
      return done(filed);
    },
    { behavior: "immediate" },
  );
}
