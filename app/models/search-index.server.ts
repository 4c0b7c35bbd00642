import { type SQL, sql } from "drizzle-orm";
import { slugify } from "~/slug";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import { summariesByIds } from "./ask.server";
import { organizationNamed, organizationNameKey } from "./organization.server";

// The full-text index over each ask's whole history (migrations/0004_search-index.sql):
// one row per ask, its columns the title, description, status notes, comments, resolution
// links and the names of the people who wrote in it, with their organizations (0016). search_index_stems (0014) holds the same rows with the porter
// stemmer, so other forms of a word match too (docs/decisions/011-search-stemming.md).
// Everything here takes FTS5 expressions already built from what someone typed
// (~/services/search-query.server) and never builds one from raw text.

// A search, as one FTS5 expression per index, and the qualifiers (org:, author:, team:) it must meet.
export type IndexMatch = {
  // For search_index: every term as written, the last bare word as a prefix. The asks it
  // finds are the exact matches, ranked first. Null when the search has qualifiers only.
  exact: string | null;
  // For search_index_stems: every word and phrase, stemmed. The asks it adds are ranked after.
  // Null when the query has only phrases, which stemming cannot widen.
  stems: string | null;
  // For search_index: the phrases, which a stemmed match must still hold as written.
  phrases: string | null;
  // For search_index_stems: the excluded words and phrases; an ask mentioning any form of one is left out.
  excluded: string | null;
  // Each one narrows the search; ids resolved from the typed name (none: it names nobody).
  names: NameFilter[];
};

// org: asks its members filed, commented on (visibly) or updated; author: the same for people;
// team: asks assigned to the team or with a status update by it.
export type NameFilter = { kind: "org" | "author" | "team"; ids: number[] };

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
  // source "person": who made the ask match, by their name or a qualifier, and in what role.
  person?: MatchedPerson;
};

export type MatchedPerson = {
  role: "author" | "comment" | "status" | "team";
  name: string | null;
  organization: string | null;
  team: string | null;
  date: string;
};

export type SearchResult = ReturnType<typeof findAsks>["results"][number];

type IndexTable = "search_index" | "search_index_stems";

// Title above description above the rest, as people expect: an ask called
// "CPOR page" beats one where CPOR comes up in a comment.
// Names weigh least: an ask that says "Dell" beats one a Dell partner only commented on.
const rankIn = (table: IndexTable) => sql.raw(`bm25(${table}, 16.0, 4.0, 2.0, 2.0, 2.0, 1.0)`);
const rank = rankIn("search_index");
const columns = ["title", "description", "note", "comment", "link", "person"] as const;

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
  // Qualifiers alone are not ranked, so they need no window.
  if (match.exact === null) return null;
  const { exact, stemmed } = tiers({ ...match, exact: match.exact }, null, false);
  const edge = db().get<{ id: number } | undefined>(sql`${withTables(namedTable(match))}${exact}${
    stemmed ? sql` UNION ${stemmed}` : sql``
  }
    ORDER BY 1 DESC LIMIT 1 OFFSET ${rankingWindow - 1}`);
  return edge?.id ?? null;
}

// CAST: better-sqlite3 binds numbers as REAL, and FTS5 only narrows its scan by an INTEGER rowid.
const fromRowid = (rowid: number, table: IndexTable = "search_index") =>
  sql`${sql.raw(table)}.rowid >= CAST(${rowid} AS INTEGER)`;
// Hidden asks are few: leaving them out by id keeps the asks table out of the ranking.
const notHidden = sql`search_index.rowid NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)`;

// The asks people wrote in: filed, commented on (visible comments only) or gave a status update to.
const writtenIn = (people: SQL) => sql`SELECT id FROM asks WHERE author_id IN (${people})
  UNION SELECT ask_id FROM comments WHERE author_id IN (${people}) AND deleted_at IS NULL AND hidden_at IS NULL
  UNION SELECT ask_id FROM status_updates WHERE author_id IN (${people})`;

// The asks one qualifier allows. A qualifier that names nobody allows none.
function namedAsks({ kind, ids }: NameFilter): SQL {
  const list = sql`SELECT value FROM json_each(${JSON.stringify(ids)})`;
  if (kind === "org") return writtenIn(sql`SELECT id FROM users WHERE organization_id IN (${list})`);
  if (kind === "author") return writtenIn(list);
  return sql`SELECT id FROM asks WHERE team_id IN (${list})
    UNION SELECT ask_id FROM status_updates WHERE team_id IN (${list})`;
}

// The asks every qualifier allows, listed once per statement (MATERIALIZED) for both indexes'
// tiers to look up: checking each match against the ask's comments and updates instead took
// seconds when a common word met a person's name, as every match up to the window was checked.
function namedTable(match: IndexMatch): SQL[] {
  const [first, ...rest] = match.names;
  if (!first) return [];
  const where = rest.map((filter) => sql`id IN (${namedAsks(filter)})`);
  return [
    sql`named AS MATERIALIZED (SELECT id FROM (${namedAsks(first)})${
      where.length ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``
    })`,
  ];
}

// WITH and the tables, or nothing when there are none.
const withTables = (tables: SQL[]) => (tables.length ? sql`WITH ${sql.join(tables, sql`, `)} ` : sql``);

// The asks a search finds, in two tiers: `exact`, the asks holding the words as written (the
// last one as a prefix), and `stemmed`, the asks holding any form of each word (the last one
// whole) and each phrase as written. Null `stemmed`: stemming cannot add any ask. Both meet
// every qualifier.
function tiers(match: IndexMatch & { exact: string }, edge: number | null, scored: boolean) {
  const tier = (table: IndexTable, expression: string, conditions: SQL[]) => {
    const where = [sql`${sql.raw(table)} MATCH ${expression}`, ...conditions];
    // The unary + keeps the list from being handed to FTS5, which would run the MATCH once per id in it.
    if (match.names.length) where.push(sql`+${sql.raw(table)}.rowid IN (SELECT id FROM named)`);
    if (edge !== null) where.push(fromRowid(edge, table));
    return sql`SELECT ${sql.raw(table)}.rowid AS id${scored ? sql`, ${rankIn(table)} AS score` : sql``}
      FROM ${sql.raw(table)} WHERE ${sql.join(where, sql` AND `)}`;
  };
  return {
    exact: tier(
      "search_index",
      match.exact,
      match.excluded ? [excludedFrom("search_index.rowid", match.excluded)] : [],
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

const excludedFrom = (column: string, excluded: string) =>
  sql`${sql.raw(column)} NOT IN (SELECT rowid FROM search_index_stems WHERE search_index_stems MATCH ${excluded})`;

// Both tiers, each ask once: ranked by tier, then by its own index's bm25. MATERIALIZED: each
// index is searched once, not once per row of the other. Qualifiers without words: the asks
// they allow, most recent first.
function found(match: IndexMatch, edge: number | null, scored: boolean): SQL {
  const score = scored ? sql`, score` : sql``;
  if (match.exact === null) {
    const [first, ...rest] = match.names;
    if (!first) return sql`WITH found AS (SELECT 0 AS id, 0 AS tier${score} WHERE 0)`;
    const where = [
      ...rest.map((filter) => sql`id IN (${namedAsks(filter)})`),
      ...(match.excluded ? [excludedFrom("id", match.excluded)] : []),
    ];
    return sql`WITH found AS (SELECT id, 0 AS tier${scored ? sql`, 0 AS score` : sql``}
      FROM (${namedAsks(first)})${where.length ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``})`;
  }
  const { exact, stemmed } = tiers({ ...match, exact: match.exact }, edge, scored);
  const named = namedTable(match);
  if (!stemmed) return withTables([...named, sql`found AS (SELECT id, 0 AS tier${score} FROM (${exact}))`]);
  return withTables([
    ...named,
    sql`exact AS MATERIALIZED (${exact})`,
    sql`stemmed AS MATERIALIZED (SELECT * FROM (${stemmed}) WHERE id NOT IN (SELECT id FROM exact))`,
    sql`found AS (SELECT id, 0 AS tier${score} FROM exact UNION ALL SELECT id, 1 AS tier${score} FROM stemmed)`,
  ]);
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
// description, else a status note, a comment or a resolution link, else a person's name. For
// notes and comments it names the one holding the first highlighted word; for a name, the person
// and what they wrote. A search of qualifiers only names the person (or team) that met the first.
// Snippets come from the stemmed index when the ask matches there, which marks the other forms
// too. It has no prefix: FTS5 reads and merges every doclist under a prefix for each snippet
// query, about 10 ms for a common word on 100,000 asks, 20 times a page. Only an ask found
// through the prefix alone ("plann" for "planned") is described from the exact index.
function describeMatch(askId: number, match: IndexMatch): SearchMatch {
  if (match.exact === null) {
    const [first] = match.names;
    const person = first ? peopleIn(askId).find((p) => meets(p, first)) : undefined;
    return person ? personMatch(person) : { source: "title", parts: [] };
  }
  return placeOf(
    askId,
    (match.stems === null ? null : snippetsIn("search_index_stems", askId, match.stems)) ??
      snippetsIn("search_index", askId, match.exact) ??
      [],
  );
}

// The six columns' snippets of one ask's row, in column order, or null when the row does not match.
function snippetsIn(table: IndexTable, askId: number, match: string): (string | null)[] | null {
  const t = sql.raw(table);
  // One ask's row at a time: FTS5 seeks straight to an INTEGER rowid (hence the CAST).
  const row = db().get<{ snippets: string } | undefined>(sql`SELECT json_array(
      snippet(${t}, 0, char(1), char(2), '…', 12),
      snippet(${t}, 1, char(1), char(2), '…', 16),
      snippet(${t}, 2, char(1), char(2), '…', 16),
      snippet(${t}, 3, char(1), char(2), '…', 16),
      snippet(${t}, 4, char(1), char(2), '…', 16),
      snippet(${t}, 5, char(1), char(2), '…', 16)) AS snippets
    FROM ${t} WHERE ${t} MATCH ${match} AND rowid = CAST(${askId} AS INTEGER)`);
  return row ? (JSON.parse(row.snippets) as (string | null)[]) : null;
}

function placeOf(askId: number, snippets: (string | null)[]): SearchMatch {
  const found = snippets.findIndex((s) => s?.includes("\u0001"));
  const index = found === -1 ? 0 : found;
  const source = columns[index] ?? "title";
  if (source === "person") {
    // The names that matched, as the index holds them: the person whose name or organization holds one.
    const hits = snippetParts(snippets[index] ?? "")
      .filter((p) => p.hit)
      .map((p) => p.text.toLowerCase());
    const person = peopleIn(askId).find(
      (p) => p.role !== "team" && hits.some((hit) => `${p.name} ${p.organization ?? ""}`.toLowerCase().includes(hit)),
    );
    if (person) return personMatch(person);
  }
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

// Everyone an ask's names come from, in the order a reader meets them: its author, then its
// visible comments' authors, then its status updates' (with their teams), and its assigned team.
type PersonInAsk = MatchedPerson & {
  userId: number | null;
  organizationId: number | null;
  teamId: number | null;
  text: string;
};

function peopleIn(askId: number): PersonInAsk[] {
  return db().all<PersonInAsk>(sql`
    SELECT 'author' AS role, u.id AS userId, u.display_name AS name, o.id AS organizationId, o.name AS organization,
      NULL AS teamId, NULL AS team, substr(a.created_at, 1, 10) AS date, a.body AS text, 0 AS place
    FROM asks a JOIN users u ON u.id = a.author_id LEFT JOIN organizations o ON o.id = u.organization_id WHERE a.id = ${askId}
    UNION ALL
    SELECT 'comment', u.id, u.display_name, o.id, o.name, NULL, NULL, substr(c.created_at, 1, 10), c.body, 1
    FROM comments c JOIN users u ON u.id = c.author_id LEFT JOIN organizations o ON o.id = u.organization_id
    WHERE c.ask_id = ${askId} AND c.deleted_at IS NULL AND c.hidden_at IS NULL
    UNION ALL
    SELECT 'status', u.id, u.display_name, o.id, o.name, t.id, t.name, su.about_date, su.note, 2
    FROM status_updates su JOIN users u ON u.id = su.author_id LEFT JOIN organizations o ON o.id = u.organization_id
      LEFT JOIN teams t ON t.id = su.team_id
    WHERE su.ask_id = ${askId}
    UNION ALL
    SELECT 'team', NULL, NULL, NULL, NULL, t.id, t.name, substr(a.created_at, 1, 10), '', 3
    FROM asks a JOIN teams t ON t.id = a.team_id WHERE a.id = ${askId}
    ORDER BY place, date`);
}

function meets(person: PersonInAsk, filter: NameFilter): boolean {
  const id = { org: person.organizationId, author: person.userId, team: person.teamId }[filter.kind];
  return id !== null && filter.ids.includes(id);
}

// What the person wrote, from its start: the snippet of a match through their name.
const excerptWords = 24;

function personMatch({ role, name, organization, team, date, text }: PersonInAsk): SearchMatch {
  const words = plainSnippet(text).trim().split(" ");
  const excerpt = words.slice(0, excerptWords).join(" ") + (words.length > excerptWords ? "…" : "");
  return {
    source: "person",
    parts: excerpt ? [{ text: excerpt, hit: false }] : [],
    person: { role, name, organization, team, date },
  };
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
// writes to an FTS table whose name starts with search_index is set aside, except those on
// people and organizations: they fire only when a name really changes (an import naming a
// placeholder), and the asks that person wrote in may be ones the import does not touch.
export function suspendSearchTriggers(): { name: string; sql: string }[] {
  const client = db().$client;
  const triggers = client
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%search_index%'
        AND tbl_name NOT IN ('users', 'organizations')`,
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
      INSERT INTO ${table} (rowid, title, body, notes, comments, links, people)
        SELECT ask_id, title, body, notes, comments, links, people FROM search_documents
        WHERE ask_id IN (SELECT id FROM temp.import_reindex);`);
  }
  client.exec("DROP TABLE temp.import_reindex");
}

export function resumeSearchTriggers(triggers: { name: string; sql: string }[]): void {
  for (const t of triggers) db().$client.exec(t.sql);
}

// What a qualifier's value names: the ids it stands for and the name to show on its chip
// (null when it names nothing, and then the search finds nothing).
export type NamedIds = { ids: number[]; label: string | null };

// The words of a name folded as organizations fold theirs: case, width and runs of spaces ignored.
const fold = organizationNameKey;

// org:dell, org:"dell technologies", org:dell-technologies: by folded name or by page address.
export function organizationsNamed(value: string): NamedIds {
  const organization = organizationNamed(value);
  return organization ? { ids: [organization.id], label: organization.name } : { ids: [], label: null };
}

// author:"raj mehta": everyone with that name, folded; failing that, everyone whose name holds
// each typed word as a whole word (author:mehta).
export function peopleNamed(value: string): NamedIds {
  const typed = fold(value).split(" ").filter(Boolean);
  if (!typed.length) return { ids: [], label: null };
  // LIKE narrows the scan (it folds ASCII case only); the fold below decides.
  const likes = typed.map((w) => sql`display_name LIKE ${`%${w.replace(/[%_\\]/g, "\\$&")}%`} ESCAPE '\\'`);
  const candidates = db().all<{ id: number; name: string }>(
    sql`SELECT id, display_name AS name FROM users WHERE ${sql.join(likes, sql` AND `)} ORDER BY id`,
  );
  const whole = candidates.filter((c) => fold(c.name) === typed.join(" "));
  const found = whole.length
    ? whole
    : candidates.filter((c) => {
        const words = new Set(fold(c.name).split(" "));
        return typed.every((w) => words.has(w));
      });
  return { ids: found.map((c) => c.id), label: found[0]?.name ?? null };
}

// team:epx, team:"program team", team:program-team.
export function teamsNamed(value: string): NamedIds {
  const found = db()
    .all<{ id: number; name: string }>(sql`SELECT id, name FROM teams ORDER BY id`)
    .filter((t) => fold(t.name) === fold(value) || slugify(t.name, "") === fold(value));
  return { ids: found.map((t) => t.id), label: found[0]?.name ?? null };
}
