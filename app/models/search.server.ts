import { type SQL, sql } from "drizzle-orm";
import { parseSearchQuery, type SnippetPart, snippetParts } from "~/services/search.server";
import { pageSize } from "~/validation/query";
import { db } from "../../db/client";

export type SearchFilter = {
  q: string;
  status?: string;
  categoryId?: number;
  teamId?: number;
  from?: string; // YYYY-MM-DD, on the ask's filing date
  to?: string;
  page: number;
  includeHidden: boolean;
  prefixLast?: boolean;
  limit?: number;
};

export type SearchMatch = {
  // Where the best match for this ask was found.
  source: "title" | "description" | "note" | "comment" | "link";
  parts: SnippetPart[]; // the snippet, split into plain text and hits
  noteDate?: string;
  noteTeam?: string | null;
  commentAuthor?: string;
};

export type SearchResult = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  commentCount: number;
  createdAt: string;
  updatedAt: string;
  author: string;
  organization: string | null;
  category: string;
  status: { name: string; color: string };
  hasResolution: boolean;
  match: SearchMatch;
};

export type SearchOutcome =
  | { ok: true; results: SearchResult[]; total: number }
  | { ok: false; reason: "empty" | "only-exclusions" | "too-long" };

// Title above description above the rest, as people expect: an ask called
// "CPOR page" beats one where CPOR comes up in a comment.
const weights = sql.raw("bm25(search_index, 16.0, 4.0, 2.0, 2.0, 2.0)");
const kinds = ["ask", "note", "comment", "link"] as const;

type Row = Omit<SearchResult, "status" | "match" | "hasResolution"> & {
  statusName: string;
  statusColor: string;
  hasResolution: number;
  rid: number;
};

export function searchAsks(filter: SearchFilter): SearchOutcome {
  const parsed = parseSearchQuery(filter.q, { prefixLast: filter.prefixLast });
  if (!parsed.ok) return parsed;
  const { any, every, none } = parsed;

  const conditions: SQL[] = [];
  // Every word must appear somewhere in the ask's history, not necessarily in one place.
  if (every.length > 1) {
    for (const term of every) {
      conditions.push(sql`a.id IN (SELECT ask_id FROM search_index WHERE search_index MATCH ${term})`);
    }
  }
  if (none) conditions.push(sql`a.id NOT IN (SELECT ask_id FROM search_index WHERE search_index MATCH ${none})`);
  if (!filter.includeHidden) conditions.push(sql`a.hidden_at IS NULL`);
  if (filter.status) conditions.push(sql`s.slug = ${filter.status}`);
  if (filter.categoryId) conditions.push(sql`a.category_id = ${filter.categoryId}`);
  if (filter.teamId) conditions.push(sql`a.team_id = ${filter.teamId}`);
  if (filter.from) conditions.push(sql`a.created_at >= ${filter.from}`);
  if (filter.to) conditions.push(sql`a.created_at < date(${filter.to}, '+1 day')`);
  const where = conditions.length ? sql.join([sql`WHERE`, sql.join(conditions, sql` AND `)], sql` `) : sql``;

  // MATERIALIZED keeps bm25() next to its MATCH: SQLite refuses it once the subquery is flattened.
  const best = sql`hits AS MATERIALIZED (
    SELECT ask_id, rowid AS rid, ${weights} AS rank FROM search_index WHERE search_index MATCH ${any}
  ), best AS (SELECT ask_id, min(rank) AS rank, rid FROM hits GROUP BY ask_id)`;
  const from = sql`FROM best
    JOIN asks a ON a.id = best.ask_id
    JOIN statuses s ON s.id = a.status_id
    JOIN users u ON u.id = a.author_id
    LEFT JOIN organizations o ON o.id = u.organization_id
    JOIN categories c ON c.id = a.category_id
    ${where}`;
  const limit = filter.limit ?? pageSize;
  const client = db();
  const rows = client.all<Row>(sql`WITH ${best}
    SELECT a.id, a.slug, a.title, a.vote_count AS voteCount, a.comment_count AS commentCount,
      a.created_at AS createdAt, a.updated_at AS updatedAt, u.display_name AS author, o.name AS organization, c.name AS category,
      s.name AS statusName, s.color AS statusColor, best.rid,
      EXISTS (SELECT 1 FROM resolution_links r WHERE r.ask_id = a.id) AS hasResolution
    ${from}
    ORDER BY best.rank, a.id DESC
    LIMIT ${limit} OFFSET ${(filter.page - 1) * limit}`);
  const [{ total }] = client.all<{ total: number }>(sql`WITH ${best} SELECT count(*) AS total ${from}`);

  return {
    ok: true,
    total,
    results: rows.map(({ statusName, statusColor, rid, hasResolution, ...r }) => ({
      ...r,
      hasResolution: Boolean(hasResolution),
      status: { name: statusName, color: statusColor },
      match: describeMatch(rid, any),
    })),
  };
}

// Only the shown results get a snippet: computing one for every hit of a
// common word would cost more than the search itself. The CAST matters:
// better-sqlite3 binds numbers as REAL, and FTS5 then ignores the rowid filter.
function describeMatch(rid: number, match: string): SearchMatch {
  const client = db();
  const kind = kinds[rid % 4];
  const sourceId = Math.floor(rid / 4);
  const [row] = client.all<{ title: string; body: string; note: string; comment: string; link: string }>(sql`
    SELECT snippet(search_index, 0, char(1), char(2), '…', 16) AS title,
      snippet(search_index, 1, char(1), char(2), '…', 24) AS body,
      snippet(search_index, 2, char(1), char(2), '…', 24) AS note,
      snippet(search_index, 3, char(1), char(2), '…', 24) AS comment,
      snippet(search_index, 4, char(1), char(2), '…', 24) AS link
    FROM search_index WHERE search_index MATCH ${match} AND rowid = CAST(${rid} AS INTEGER)`);
  if (kind === "ask") {
    return row?.title.includes("\u0001")
      ? { source: "title", parts: snippetParts(row.title) }
      : { source: "description", parts: snippetParts(row?.body ?? "") };
  }
  if (kind === "note") {
    const [note] = client.all<{ aboutDate: string; team: string | null }>(sql`
      SELECT su.about_date AS aboutDate, t.name AS team FROM status_updates su
      LEFT JOIN teams t ON t.id = su.team_id WHERE su.id = ${sourceId}`);
    return { source: "note", parts: snippetParts(row?.note ?? ""), noteDate: note?.aboutDate, noteTeam: note?.team };
  }
  if (kind === "comment") {
    const [comment] = client.all<{ author: string }>(sql`
      SELECT u.display_name AS author FROM comments cm JOIN users u ON u.id = cm.author_id WHERE cm.id = ${sourceId}`);
    return { source: "comment", parts: snippetParts(row?.comment ?? ""), commentAuthor: comment?.author };
  }
  return { source: "link", parts: snippetParts(row?.link ?? "") };
}

const stopWords = new Set(
  "a an and are as at be but by for from has have how i in into is it its of on or our so that the their them then there these they this to was we what when where which who why will with without you your".split(
    " ",
  ),
);

export type SimilarAsk = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  status: { name: string; color: string };
  overlap: number; // share of the typed title's words found in this ask's title, 0–1
};

// Asks whose titles share words with what a partner is typing: open and
// closed alike, best first. Used for "vote there instead" hints.
export function similarAsks(title: string, limit = 5): SimilarAsk[] {
  const typed = [
    ...new Set(
      (
        title
          .normalize("NFKC")
          .toLowerCase()
          .match(/[\p{L}\p{N}]+/gu) ?? []
      ).filter((w) => w.length > 2 && !stopWords.has(w)),
    ),
  ];
  if (!typed.length) return [];
  const match = `title : (${typed.map((w, i) => `"${w}"${i === typed.length - 1 ? "*" : ""}`).join(" OR ")})`;
  const rows = db().all<{
    id: number;
    slug: string;
    title: string;
    voteCount: number;
    name: string;
    color: string;
  }>(sql`
    SELECT a.id, a.slug, a.title, a.vote_count AS voteCount, s.name, s.color
    FROM search_index JOIN asks a ON a.id = search_index.ask_id JOIN statuses s ON s.id = a.status_id
    WHERE search_index MATCH ${match} AND a.hidden_at IS NULL
    ORDER BY ${weights}, a.vote_count DESC
    LIMIT ${limit}`);
  return rows.map(({ name, color, ...r }) => {
    const words = new Set(r.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
    const found = typed.filter(
      (w, i) => words.has(w) || (i === typed.length - 1 && [...words].some((x) => x.startsWith(w))),
    );
    return { ...r, status: { name, color }, overlap: found.length / typed.length };
  });
}
