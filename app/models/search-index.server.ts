import { type SQL, sql } from "drizzle-orm";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import { summariesByIds } from "./ask.server";

// The full-text index over each ask's whole history (migrations/0004_search-index.sql):
// one row per ask, its columns the title, description, status notes, comments and
// resolution links. search_index_stems (0014) holds the same rows with the porter
// stemmer, so other forms of a word match too (docs/decisions/011-search-stemming.md).
// Everything here takes FTS5 expressions already built from what someone typed
// (~/services/search-query.server) and never builds one from raw text.

// A search, as one FTS5 expression per index.
export type IndexMatch = {
  // For search_index: every term as written, the last bare word as a prefix. The asks it
  // finds are the exact matches, ranked first.
  exact: string;
  // For search_index_stems: every word and phrase, stemmed. The asks it adds are ranked after.
  // Null when the query has only phrases, which stemming cannot widen.
  stems: string | null;
  // For search_index: the phrases, which a stemmed match must still hold as written.
  phrases: string | null;
  // For search_index_stems: the excluded words and phrases; an ask mentioning any form of one is left out.
  excluded: string | null;
};

export type IndexQuery = {
  match: IndexMatch;
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

type IndexTable = "search_index" | "search_index_stems";

// Title above description above the rest, as people expect: an ask called
// "CPOR page" beats one where CPOR comes up in a comment.
const rankIn = (table: IndexTable) => sql.raw(`bm25(${table}, 16.0, 4.0, 2.0, 2.0, 2.0)`);
const rank = rankIn("search_index");
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

// The same over the asks found either way (`tiers`), merging both indexes' walks in rowid order.
function searchWindowStart(match: IndexMatch): number | null {
  const { exact, stemmed } = tiers(match, null, false);
  const edge = db().get<{ id: number } | undefined>(sql`${exact}${stemmed ? sql` UNION ${stemmed}` : sql``}
    ORDER BY 1 DESC LIMIT 1 OFFSET ${rankingWindow - 1}`);
  return edge?.id ?? null;
}

// CAST: better-sqlite3 binds numbers as REAL, and FTS5 only narrows its scan by an INTEGER rowid.
const fromRowid = (rowid: number, table: IndexTable = "search_index") =>
  sql`${sql.raw(table)}.rowid >= CAST(${rowid} AS INTEGER)`;
// Hidden asks are few: leaving them out by id keeps the asks table out of the ranking.
const notHidden = sql`search_index.rowid NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)`;

// The asks a search finds, in two tiers: `exact`, the asks holding the words as written (the
// last one as a prefix), and `stemmed`, the asks holding any form of each word (the last one
// whole) and each phrase as written. Null `stemmed`: stemming cannot add any ask.
function tiers(match: IndexMatch, edge: number | null, scored: boolean) {
  const tier = (table: IndexTable, expression: string, conditions: SQL[]) => {
    const where = [sql`${sql.raw(table)} MATCH ${expression}`, ...conditions];
    if (edge !== null) where.push(fromRowid(edge, table));
    return sql`SELECT ${sql.raw(table)}.rowid AS id${scored ? sql`, ${rankIn(table)} AS score` : sql``}
      FROM ${sql.raw(table)} WHERE ${sql.join(where, sql` AND `)}`;
  };
  return {
    exact: tier(
      "search_index",
      match.exact,
      match.excluded
        ? [
            sql`search_index.rowid NOT IN
              (SELECT rowid FROM search_index_stems WHERE search_index_stems MATCH ${match.excluded})`,
          ]
        : [],
    ),
    stemmed:
      match.stems &&
      tier(
        "search_index_stems",
        match.stems,
        match.phrases
          ? // The unary + keeps the list from being handed to FTS5, which would run the MATCH once per id in it.
            [
              sql`+search_index_stems.rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH ${match.phrases})`,
            ]
          : [],
      ),
  };
}

// Both tiers, each ask once: ranked by tier, then by its own index's bm25. MATERIALIZED: each
// index is searched once, not once per row of the other.
function found(match: IndexMatch, edge: number | null, scored: boolean): SQL {
  const { exact, stemmed } = tiers(match, edge, scored);
  const score = scored ? sql`, score` : sql``;
  if (!stemmed) return sql`WITH found AS (SELECT id, 0 AS tier${score} FROM (${exact}))`;
  return sql`WITH exact AS MATERIALIZED (${exact}),
    stemmed AS MATERIALIZED (SELECT * FROM (${stemmed}) WHERE id NOT IN (SELECT id FROM exact)),
    found AS (SELECT id, 0 AS tier${score} FROM exact UNION ALL SELECT id, 1 AS tier${score} FROM stemmed)`;
}

// The ids of the asks a search finds, hidden ones included, for lists that sort them their own way.
export function matchingAskIds(match: IndexMatch): SQL {
  return sql`${found(match, null, false)} SELECT id FROM found`;
}

// The asks matching a query, best first (exact matches before stemmed ones), each with the place it matched.
export function findAsks(query: IndexQuery) {
  const { match } = query;
  const client = db();
  const edge = searchWindowStart(match);

  const filters: SQL[] = [];
  if (query.status) filters.push(sql`s.slug = ${query.status}`);
  if (query.categoryId) filters.push(sql`a.category_id = ${query.categoryId}`);
  if (query.teamId) filters.push(sql`a.team_id = ${query.teamId}`);
  if (query.from) filters.push(sql`a.created_at >= ${query.from}`);
  if (query.to) filters.push(sql`a.created_at < date(${query.to}, '+1 day')`);
  if (!query.includeHidden) filters.push(sql`found.id NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)`);
  const where = filters.length ? sql`WHERE ${sql.join(filters, sql` AND `)}` : sql``;
  const joined = sql`FROM found JOIN asks a ON a.id = found.id JOIN statuses s ON s.id = a.status_id`;
  const from = query.status || query.categoryId || query.teamId || query.from || query.to ? joined : sql`FROM found`;

  const limit = query.limit ?? pageSize;
  // The total comes with the page, so the indexes are searched once; only a page past the end
  // (no rows to carry it) counts separately.
  const ranked = client.all<{ id: number; total: number }>(sql`${found(match, edge, true)}
    SELECT found.id AS id, count(*) OVER () AS total ${from} ${where}
    ORDER BY found.tier, found.score, found.id DESC LIMIT ${limit} OFFSET ${(query.page - 1) * limit}`);
  const counted =
    ranked[0] ??
    (query.page > 1
      ? client.get<{ total: number } | undefined>(
          sql`${found(match, edge, false)} SELECT count(*) AS total ${from} ${where}`,
        )
      : undefined);

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
// Snippets come from the stemmed index when the ask matches there, which marks the other forms
// too. It has no prefix: FTS5 reads and merges every doclist under a prefix for each snippet
// query, about 10 ms for a common word on 100,000 asks, 20 times a page. Only an ask found
// through the prefix alone ("plann" for "planned") is described from the exact index.
function describeMatch(askId: number, match: IndexMatch): SearchMatch {
  return placeOf(
    askId,
    (match.stems === null ? null : snippetsIn("search_index_stems", askId, match.stems)) ??
      snippetsIn("search_index", askId, match.exact) ??
      [],
  );
}

// The five columns' snippets of one ask's row, in column order, or null when the row does not match.
function snippetsIn(table: IndexTable, askId: number, match: string): (string | null)[] | null {
  const t = sql.raw(table);
  // One ask's row at a time: FTS5 seeks straight to an INTEGER rowid (hence the CAST).
  const row = db().get<{ snippets: string } | undefined>(sql`SELECT json_array(
      snippet(${t}, 0, char(1), char(2), '…', 12),
      snippet(${t}, 1, char(1), char(2), '…', 16),
      snippet(${t}, 2, char(1), char(2), '…', 16),
      snippet(${t}, 3, char(1), char(2), '…', 16),
      snippet(${t}, 4, char(1), char(2), '…', 16)) AS snippets
    FROM ${t} WHERE ${t} MATCH ${match} AND rowid = CAST(${askId} AS INTEGER)`);
  return row ? (JSON.parse(row.snippets) as (string | null)[]) : null;
}

function placeOf(askId: number, snippets: (string | null)[]): SearchMatch {
  const found = snippets.findIndex((s) => s?.includes("\u0001"));
  const index = found === -1 ? 0 : found;
  const source = columns[index] ?? "title";
  // Titles and links are plain text; descriptions, notes and comments are markdown.
  const snippet = snippets[index] ?? "";
  const parts = snippetParts(source === "title" || source === "link" ? snippet : plainSnippet(snippet));
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

// The index holds the markdown people wrote. Its punctuation separates words for FTS5, so a
// link's title and URL are both found; a snippet of it is shown here as the text a reader sees:
// a link as its title then its URL, emphasis, code, headings, quotes and list markers gone.
// A snippet may start or end inside a link, so half a link's brackets go too. Written over the
// marked text: the markers are control characters, which none of these patterns touch.
export function plainSnippet(snippet: string): string {
  return (
    snippet
      // [title](url "tooltip"), ![alt](url): the title, then the URL a search may have matched.
      .replace(/!?\[([^\]\n]*)\]\(\s*<?([^\s)>]*)>?(?:\s+["'(][^)\n]*)?\)/g, (_, title: string, url: string) =>
        title.trim() && title !== url ? `${title} (${url})` : url,
      )
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
      // Half a link, cut by the snippet's edge: "…Claiming…](https://aka.ms/about-cpor" or "[About Claiming".
      .replace(/\]\(/g, " (")
      .replace(/(^|\n)[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+/g, "$1")
      .replace(/(?<!\\)(?:\*+|~~|`+|\[|\])/g, "")
      // Underscores for emphasis stand next to a space or punctuation; inside a word (snake_case) they stay.
      .replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, "")
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, "$1")
      .replace(/\s+/g, " ")
  );
}

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
  // Every FTS table gets the same rows, from search_documents.
  for (const table of ["search_index", "search_index_stems"] satisfies IndexTable[]) {
    client.exec(`DELETE FROM ${table} WHERE rowid IN (SELECT id FROM temp.import_reindex);
      INSERT INTO ${table} (rowid, title, body, notes, comments, links)
        SELECT ask_id, title, body, notes, comments, links FROM search_documents
        WHERE ask_id IN (SELECT id FROM temp.import_reindex);`);
  }
  client.exec("DROP TABLE temp.import_reindex");
}

export function resumeSearchTriggers(triggers: { name: string; sql: string }[]): void {
  for (const t of triggers) db().$client.exec(t.sql);
}
