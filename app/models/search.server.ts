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
  | {
      ok: true;
      results: SearchResult[];
      // The number of matching asks; with a window, the number among the most recent.
      total: number;
      // Set when more asks match than can be ranked quickly: only the most recent ones were.
      window: number | null;
    }
  | { ok: false; reason: "empty" | "only-exclusions" | "too-long" };

// Title above description above the rest, as people expect: an ask called
// "CPOR page" beats one where CPOR comes up in a comment.
const rank = sql.raw("bm25(search_index, 16.0, 4.0, 2.0, 2.0, 2.0)");
const columns = ["title", "description", "note", "comment", "link"] as const;

// Ranking costs time for every matching ask: a word found in most asks
// ("partner") takes about 200 ms to rank on 100,000 asks. Past this many
// matches only the most recent ones are ranked, and the page says so; a second
// word or a filter usually brings the search back under it.
export const rankingWindow = 2000;

// Walking the index in rowid order is cheap: this finds where the most recent
// `rankingWindow` matches begin, or null when there are no more than that.
function windowStart(match: string): number | null {
  const [edge] = db().all<{ rowid: number }>(sql`SELECT rowid FROM search_index WHERE search_index MATCH ${match}
    ORDER BY rowid DESC LIMIT 1 OFFSET ${rankingWindow - 1}`);
  return edge?.rowid ?? null;
}

// CAST: better-sqlite3 binds numbers as REAL, and FTS5 only narrows its scan by an INTEGER rowid.
const fromRowid = (rowid: number) => sql`search_index.rowid >= CAST(${rowid} AS INTEGER)`;
// Hidden asks are few: leaving them out by id keeps the asks table out of the ranking.
const notHidden = sql`search_index.rowid NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)`;

type Row = Omit<SearchResult, "status" | "match" | "hasResolution"> & {
  statusName: string;
  statusColor: string;
  hasResolution: number;
};

export function searchAsks(filter: SearchFilter): SearchOutcome {
  const parsed = parseSearchQuery(filter.q, { prefixLast: filter.prefixLast });
  if (!parsed.ok) return parsed;
  const { match } = parsed;
  const client = db();

  const edge = windowStart(match);

  const filters: SQL[] = [];
  if (filter.status) filters.push(sql`s.slug = ${filter.status}`);
  if (filter.categoryId) filters.push(sql`a.category_id = ${filter.categoryId}`);
  if (filter.teamId) filters.push(sql`a.team_id = ${filter.teamId}`);
  if (filter.from) filters.push(sql`a.created_at >= ${filter.from}`);
  if (filter.to) filters.push(sql`a.created_at < date(${filter.to}, '+1 day')`);
  const conditions: SQL[] = [sql`search_index MATCH ${match}`, ...filters];
  if (edge !== null) conditions.push(fromRowid(edge));
  if (!filter.includeHidden) conditions.push(notHidden);
  const body = filters.length
    ? sql`FROM search_index JOIN asks a ON a.id = search_index.rowid JOIN statuses s ON s.id = a.status_id
        WHERE ${sql.join(conditions, sql` AND `)}`
    : sql`FROM search_index WHERE ${sql.join(conditions, sql` AND `)}`;

  const limit = filter.limit ?? pageSize;
  const ranked = client.all<{ id: number }>(sql`SELECT search_index.rowid AS id, ${rank} AS score ${body}
    ORDER BY score, search_index.rowid DESC LIMIT ${limit} OFFSET ${(filter.page - 1) * limit}`);
  const ids = ranked.map((r) => r.id);
  const details = new Map(
    client
      .all<Row>(sql`SELECT a.id, a.slug, a.title, a.vote_count AS voteCount, a.comment_count AS commentCount,
        a.created_at AS createdAt, a.updated_at AS updatedAt, u.display_name AS author, o.name AS organization,
        c.name AS category, s.name AS statusName, s.color AS statusColor,
        EXISTS (SELECT 1 FROM resolution_links r WHERE r.ask_id = a.id) AS hasResolution
      FROM asks a
      JOIN statuses s ON s.id = a.status_id
      JOIN users u ON u.id = a.author_id
      LEFT JOIN organizations o ON o.id = u.organization_id
      JOIN categories c ON c.id = a.category_id
      WHERE a.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
      .map((row) => [row.id, row]),
  );
  const [{ total }] = client.all<{ total: number }>(sql`SELECT count(*) AS total ${body}`);

  return {
    ok: true,
    total,
    window: edge === null ? null : rankingWindow,
    results: ids.map((id) => {
      const { statusName, statusColor, hasResolution, ...r } = details.get(id) as Row;
      return {
        ...r,
        hasResolution: Boolean(hasResolution),
        status: { name: statusName, color: statusColor },
        match: describeMatch(id, match),
      };
    }),
  };
}

// Reports the most telling place the ask matched: the title, else the
// description, else a status note, a comment or a resolution link. For notes
// and comments it names the one holding the first highlighted word.
function describeMatch(askId: number, match: string): SearchMatch {
  const client = db();
  // One ask's row at a time: FTS5 seeks straight to an INTEGER rowid (hence the CAST).
  const [{ snippets }] = client.all<{ snippets: string }>(sql`SELECT json_array(
      snippet(search_index, 0, char(1), char(2), '…', 12),
      snippet(search_index, 1, char(1), char(2), '…', 16),
      snippet(search_index, 2, char(1), char(2), '…', 16),
      snippet(search_index, 3, char(1), char(2), '…', 16),
      snippet(search_index, 4, char(1), char(2), '…', 16)) AS snippets
    FROM search_index WHERE search_index MATCH ${match} AND rowid = CAST(${askId} AS INTEGER)`);
  return placeOf(askId, JSON.parse(snippets) as (string | null)[]);
}

function placeOf(askId: number, snippets: (string | null)[]): SearchMatch {
  const index = snippets.findIndex((s) => s?.includes("\u0001"));
  const column = columns[index === -1 ? 0 : index];
  const parts = snippetParts(snippets[index === -1 ? 0 : index] ?? "");
  const hit = parts.find((p) => p.hit)?.text.toLowerCase() ?? "";
  const client = db();
  if (column === "note") {
    const [note] = client.all<{ aboutDate: string; team: string | null }>(sql`
      SELECT su.about_date AS aboutDate, t.name AS team FROM status_updates su LEFT JOIN teams t ON t.id = su.team_id
      WHERE su.ask_id = ${askId} AND instr(lower(su.note), ${hit}) > 0 ORDER BY su.about_date, su.id LIMIT 1`);
    return { source: "note", parts, noteDate: note?.aboutDate, noteTeam: note?.team };
  }
  if (column === "comment") {
    const [comment] = client.all<{ author: string }>(sql`
      SELECT u.display_name AS author FROM comments cm JOIN users u ON u.id = cm.author_id
      WHERE cm.ask_id = ${askId} AND cm.deleted_at IS NULL AND cm.hidden_at IS NULL AND instr(lower(cm.body), ${hit}) > 0
      ORDER BY cm.id LIMIT 1`);
    return { source: "comment", parts, commentAuthor: comment?.author };
  }
  return { source: column, parts };
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
  const words = typed.map((w, i) => `"${w}"${i === typed.length - 1 ? "*" : ""}`);
  // Titles with all the words first; if that finds too few, titles with any of them.
  const ranked = (match: string) => {
    const edge = windowStart(match);
    const conditions = [sql`search_index MATCH ${match}`, notHidden, ...(edge === null ? [] : [fromRowid(edge)])];
    return db()
      .all<{ id: number }>(sql`SELECT rowid AS id FROM search_index WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY ${rank} LIMIT ${limit}`)
      .map((r) => r.id);
  };
  let ids = ranked(`title : (${words.join(" AND ")})`);
  if (ids.length < limit && words.length > 1) {
    ids = [...new Set([...ids, ...ranked(`title : (${words.join(" OR ")})`)])].slice(0, limit);
  }
  const byId = new Map(
    db()
      .all<{ id: number; slug: string; title: string; voteCount: number; name: string; color: string }>(sql`
        SELECT a.id, a.slug, a.title, a.vote_count AS voteCount, s.name, s.color
        FROM asks a JOIN statuses s ON s.id = a.status_id
        WHERE a.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
      .map((r) => [r.id, r]),
  );
  const rows = ids.map((id) => byId.get(id) as NonNullable<ReturnType<typeof byId.get>>);
  return rows.map(({ name, color, ...r }) => {
    const words = new Set(r.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
    const found = typed.filter(
      (w, i) => words.has(w) || (i === typed.length - 1 && [...words].some((x) => x.startsWith(w))),
    );
    return { ...r, status: { name, color }, overlap: found.length / typed.length };
  });
}
