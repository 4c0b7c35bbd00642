import { type SQL, sql } from "drizzle-orm";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import { summariesByIds } from "./ask.server";

// The full-text index over each ask's whole history (migrations/0004_search-index.sql):
// one row per ask, its columns the title, description, status notes, comments and
// resolution links. Everything here takes an FTS5 expression already built from
// what someone typed (~/services/search-query.server) and never builds one from raw text.

export type IndexQuery = {
  // An FTS5 MATCH expression.
  match: string;
  status?: string;
  categoryId?: number;
  teamId?: number;
  from?: string; // YYYY-MM-DD, on the ask's filing date
  to?: string;
  page: number;
  includeHidden: boolean;
  limit?: number;
};

// Where the best match for an ask was found.
export type SearchMatch = {
  source: (typeof columns)[number];
  parts: SnippetPart[]; // the snippet, split into plain text and hits
  noteDate?: string;
  noteTeam?: string | null;
  commentAuthor?: string;
};

export type SearchResult = ReturnType<typeof findAsks>["results"][number];

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
  const edge = db().get<{ rowid: number } | undefined>(sql`SELECT rowid FROM search_index
    WHERE search_index MATCH ${match} ORDER BY rowid DESC LIMIT 1 OFFSET ${rankingWindow - 1}`);
  return edge?.rowid ?? null;
}

// CAST: better-sqlite3 binds numbers as REAL, and FTS5 only narrows its scan by an INTEGER rowid.
const fromRowid = (rowid: number) => sql`search_index.rowid >= CAST(${rowid} AS INTEGER)`;
// Hidden asks are few: leaving them out by id keeps the asks table out of the ranking.
const notHidden = sql`search_index.rowid NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)`;

// The asks matching a query, best first, each with the place it matched.
export function findAsks(query: IndexQuery) {
  const { match } = query;
  const client = db();
  const edge = windowStart(match);

  const filters: SQL[] = [];
  if (query.status) filters.push(sql`s.slug = ${query.status}`);
  if (query.categoryId) filters.push(sql`a.category_id = ${query.categoryId}`);
  if (query.teamId) filters.push(sql`a.team_id = ${query.teamId}`);
  if (query.from) filters.push(sql`a.created_at >= ${query.from}`);
  if (query.to) filters.push(sql`a.created_at < date(${query.to}, '+1 day')`);
  const conditions: SQL[] = [sql`search_index MATCH ${match}`, ...filters];
  if (edge !== null) conditions.push(fromRowid(edge));
  if (!query.includeHidden) conditions.push(notHidden);
  const body = filters.length
    ? sql`FROM search_index JOIN asks a ON a.id = search_index.rowid JOIN statuses s ON s.id = a.status_id
        WHERE ${sql.join(conditions, sql` AND `)}`
    : sql`FROM search_index WHERE ${sql.join(conditions, sql` AND `)}`;

  const limit = query.limit ?? pageSize;
  const ranked = client.all<{ id: number }>(sql`SELECT search_index.rowid AS id, ${rank} AS score ${body}
    ORDER BY score, search_index.rowid DESC LIMIT ${limit} OFFSET ${(query.page - 1) * limit}`);
  const counted = client.get<{ total: number } | undefined>(sql`SELECT count(*) AS total ${body}`);

  return {
    // The number of matching asks; with a window, the number among the most recent.
    total: counted?.total ?? 0,
    // Set when more asks match than can be ranked quickly: only the most recent ones were.
    window: edge === null ? null : rankingWindow,
    results: summariesByIds(ranked.map((r) => r.id)).map((ask) => ({ ...ask, match: describeMatch(ask.id, match) })),
  };
}

// Reports the most telling place the ask matched: the title, else the
// description, else a status note, a comment or a resolution link. For notes
// and comments it names the one holding the first highlighted word.
function describeMatch(askId: number, match: string): SearchMatch {
  // One ask's row at a time: FTS5 seeks straight to an INTEGER rowid (hence the CAST).
  const row = db().get<{ snippets: string } | undefined>(sql`SELECT json_array(
      snippet(search_index, 0, char(1), char(2), '…', 12),
      snippet(search_index, 1, char(1), char(2), '…', 16),
      snippet(search_index, 2, char(1), char(2), '…', 16),
      snippet(search_index, 3, char(1), char(2), '…', 16),
      snippet(search_index, 4, char(1), char(2), '…', 16)) AS snippets
    FROM search_index WHERE search_index MATCH ${match} AND rowid = CAST(${askId} AS INTEGER)`);
  // A json_array() of the five snippets, in column order.
  const snippets = row ? (JSON.parse(row.snippets) as (string | null)[]) : [];
  return placeOf(askId, snippets);
}

function placeOf(askId: number, snippets: (string | null)[]): SearchMatch {
  const found = snippets.findIndex((s) => s?.includes("\u0001"));
  const index = found === -1 ? 0 : found;
  const source = columns[index] ?? "title";
  const parts = snippetParts(snippets[index] ?? "");
  const hit = parts.find((p) => p.hit)?.text.toLowerCase() ?? "";
  const client = db();
  if (source === "note") {
    const note = client.get<{ aboutDate: string; team: string | null } | undefined>(sql`
      SELECT su.about_date AS aboutDate, t.name AS team FROM status_updates su LEFT JOIN teams t ON t.id = su.team_id
      WHERE su.ask_id = ${askId} AND instr(lower(su.note), ${hit}) > 0 ORDER BY su.about_date, su.id LIMIT 1`);
    return { source, parts, noteDate: note?.aboutDate, noteTeam: note?.team };
  }
  if (source === "comment") {
    const comment = client.get<{ author: string } | undefined>(sql`
      SELECT u.display_name AS author FROM comments cm JOIN users u ON u.id = cm.author_id
      WHERE cm.ask_id = ${askId} AND cm.deleted_at IS NULL AND cm.hidden_at IS NULL AND instr(lower(cm.body), ${hit}) > 0
      ORDER BY cm.id LIMIT 1`);
    return { source, parts, commentAuthor: comment?.author };
  }
  return { source, parts };
}

// Snippets come back from SQLite with \u0001 … \u0002 around each hit. They are
// split into plain segments here and rendered as text by React, so content and
// queries can never inject markup, whatever they contain.
export type SnippetPart = { text: string; hit: boolean };

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose
  for (const [i, piece] of snippet.split(/[\u0001\u0002]/).entries()) {
    if (piece) parts.push({ text: piece, hit: i % 2 === 1 });
  }
  return parts;
}

// The asks whose titles hold `words`, best first: all of them, then (if that
// finds too few) any of them. The last word matches as a prefix: it may be
// half typed. Words are letters and digits only (see titleWords).
export function findSimilarTitles(words: string[], limit: number) {
  if (!words.length) return [];
  const terms = words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? "*" : ""}`);
  const ranked = (match: string) => {
    const edge = windowStart(match);
    const conditions = [sql`search_index MATCH ${match}`, notHidden, ...(edge === null ? [] : [fromRowid(edge)])];
    return db()
      .all<{ id: number }>(sql`SELECT rowid AS id FROM search_index WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY ${rank} LIMIT ${limit}`)
      .map((r) => r.id);
  };
  let ids = ranked(`title : (${terms.join(" AND ")})`);
  if (ids.length < limit && terms.length > 1) {
    ids = [...new Set([...ids, ...ranked(`title : (${terms.join(" OR ")})`)])].slice(0, limit);
  }
  return summariesByIds(ids);
}

// Bulk writes (an import). The index's triggers rebuild an ask's row on every change to its
// comments, notes or links, and each statement that touches FTS5 makes it write its pending terms
// to disk as a new segment and merge segments: record by record, an import of 100,000 asks slowed
// to seconds per ask. A bulk writer drops the triggers inside its own transaction, builds the rows
// of the asks it changed in one statement at the end, then puts the triggers back; a rollback
// restores them with everything else, and no other connection sees them gone. Every trigger that
// writes to an FTS table whose name starts with search_index is set aside.
export function suspendSearchTriggers(): { name: string; sql: string }[] {
  const client = db().$client;
  const triggers = client
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%search_index%'",
    )
    .all();
  for (const t of triggers) client.exec(`DROP TRIGGER "${t.name}"`);
  return triggers;
}

export function rebuildSearchRows(ids: Set<number>): void {
  const client = db().$client;
  client.exec("CREATE TEMP TABLE import_reindex (id INTEGER PRIMARY KEY)");
  const add = client.prepare("INSERT INTO temp.import_reindex (id) VALUES (?)");
  for (const id of ids) add.run(id);
  client.exec(`DELETE FROM search_index WHERE rowid IN (SELECT id FROM temp.import_reindex);
    INSERT INTO search_index (rowid, title, body, notes, comments, links)
      SELECT ask_id, title, body, notes, comments, links FROM search_documents
      WHERE ask_id IN (SELECT id FROM temp.import_reindex);
    DROP TABLE temp.import_reindex;`);
}

export function resumeSearchTriggers(triggers: { name: string; sql: string }[]): void {
  for (const t of triggers) db().$client.exec(t.sql);
}
