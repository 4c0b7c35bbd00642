// The baseline for `npm run bench`: the three read pages of Asklog (home,
// ask page, search) answered by plain node:http and better-sqlite3, with the
// same SQL the app runs and the HTML built from template strings. No
// framework, no React, no markdown rendering (bodies are escaped as text), no
// page cache: the cheapest server that does the same database work. A request
// carrying the app's session cookie is answered as that person: the session and
// the user are read as the app reads them, and the page shows their votes (and,
// on an ask, whether they follow it). Also the API's two anonymous reads
// (/api/v1/asks and /api/v1/asks/<n>), as the same JSON.
//   PORT=3001 DATABASE_PATH=bench/asklog-bench.db SESSION_SECRET=… tsx scripts/baseline-server.ts [--workers 2]
// --workers N: N node:cluster processes share the port, as WEB_CONCURRENCY does for the app.
import cluster from "node:cluster";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { sessionIdFromCookie } from "./bench-session";

const { values: args } = parseArgs({ options: { workers: { type: "string", default: "1" } } });
const workers = Number(args.workers);
if (!Number.isInteger(workers) || workers < 1)
  throw new Error(`--workers wants a whole number from 1, not ${args.workers}`);
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? "127.0.0.1";
const path = process.env.DATABASE_PATH ?? "bench/asklog-bench.db";

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) console.log(`Baseline listening on http://${host}:${port} with ${workers} processes`);
  });
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) console.error(`baseline process ${worker.process.pid} exited (${code ?? signal})`);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    const exitWhenAlone = setInterval(() => {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
    }, 50);
    setTimeout(() => {
      clearInterval(exitWhenAlone);
      process.exit(0);
    }, 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  serve();
}

function serve() {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");

  const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (c) => escapes[c] ?? c);

  type Row = Record<string, unknown>;
  const pageSize = 20;

  // ---------------------------------------------------------------- home: listAsks({ sort: "trending", page: 1 })
  const statusesSql = sqlite.prepare("SELECT * FROM statuses ORDER BY position, id");
  const categoriesSql = sqlite.prepare("SELECT * FROM categories ORDER BY position, name");
  const teamsSql = sqlite.prepare("SELECT * FROM teams ORDER BY name");
  // The same two steps as trendingPage() in app/models/ask.server.ts: the last 30 days'
  // votes counted once, the recently voted asks first, then the rest by all-time votes.
  const summaryColumns = `asks.id, asks.slug, asks.title, asks.vote_count AS voteCount,
    asks.comment_count AS commentCount, asks.created_at AS createdAt, asks.updated_at AS updatedAt,
    users.display_name AS author, organizations.name AS organization, categories.name AS category,
    statuses.slug AS statusSlug, statuses.name AS statusName, statuses.color AS statusColor,
    EXISTS (SELECT 1 FROM resolution_links WHERE resolution_links.ask_id = asks.id) AS hasResolution
  FROM asks
  INNER JOIN users ON users.id = asks.author_id
  LEFT JOIN organizations ON organizations.id = users.organization_id
  INNER JOIN categories ON categories.id = asks.category_id
  INNER JOIN statuses ON statuses.id = asks.status_id`;
  const recentVotesSql = sqlite.prepare(
    "SELECT ask_id AS askId, count(*) AS n FROM votes WHERE created_at > ? GROUP BY ask_id",
  );
  const recentAsksSql = sqlite.prepare(`SELECT asks.id, asks.vote_count AS voteCount FROM asks
  INNER JOIN statuses ON statuses.id = asks.status_id
  WHERE asks.hidden_at IS NULL AND asks.id IN (SELECT value FROM json_each(?))`);
  const summariesSql = sqlite.prepare(`SELECT ${summaryColumns} WHERE asks.id IN (SELECT value FROM json_each(?))`);
  const restSql = sqlite.prepare(`SELECT ${summaryColumns}
  WHERE asks.hidden_at IS NULL AND asks.id NOT IN (SELECT value FROM json_each(?))
  ORDER BY asks.vote_count DESC, asks.id DESC LIMIT ?`);

  // Like keepUntilChange() in db/client.ts: the ranking and the total are kept until the
  // database changes, or for a minute.
  const changesSql = sqlite.prepare("SELECT total_changes()").pluck();
  const kept = new Map<string, { stamp: string; at: number; value: unknown }>();
  function keepUntilChange<T>(key: string, compute: () => T): T {
    const stamp = `${changesSql.get()}:${sqlite.pragma("data_version", { simple: true })}`;
    const entry = kept.get(key);
    if (entry && entry.stamp === stamp && Date.now() - entry.at < 60_000) return entry.value as T;
    const value = compute();
    kept.set(key, { stamp, at: Date.now(), value });
    return value;
  }

  function trendingRanking(): number[] {
    return keepUntilChange("trending", () => {
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const recent = new Map((recentVotesSql.all(since) as { askId: number; n: number }[]).map((r) => [r.askId, r.n]));
      return (recentAsksSql.all(JSON.stringify([...recent.keys()])) as { id: number; voteCount: number }[])
        .sort((a, b) => (recent.get(b.id) ?? 0) - (recent.get(a.id) ?? 0) || b.voteCount - a.voteCount || b.id - a.id)
        .map((a) => a.id);
    });
  }

  function trendingFirstPage(): Row[] {
    const ranked = trendingRanking();
    const top = ranked.slice(0, pageSize);
    const byId = new Map((summariesSql.all(JSON.stringify(top)) as Row[]).map((r) => [r.id as number, r]));
    const rest = top.length < pageSize ? (restSql.all(JSON.stringify(ranked), pageSize - top.length) as Row[]) : [];
    return [...top.map((id) => byId.get(id) as Row), ...rest];
  }
  const totalSql = sqlite.prepare(`SELECT count(*) AS total FROM asks
  INNER JOIN statuses ON statuses.id = asks.status_id WHERE asks.hidden_at IS NULL`);

  // ---------------------------------------------------------------- who is asking: the app's session cookie
  // As the app's getUser(): the cookie as Remix signs it (cookie-signature: the base64 JSON of the
  // session id, a dot, the HMAC-SHA256 of that under SESSION_SECRET in base64 without padding),
  // the session row, the active user, and the root loader's count of unread notifications.
  const secret = process.env.SESSION_SECRET ?? "";
  const sessionSql = sqlite.prepare("SELECT data FROM sessions WHERE id = ? AND expires_at > ?");
  const userSql = sqlite.prepare(`SELECT users.id, users.display_name AS displayName, users.role,
    organizations.name AS organization, teams.name AS team, users.locale, users.time_zone AS timeZone,
    users.blocked_at IS NOT NULL AS blocked, users.email_verified_at IS NOT NULL AS emailConfirmed
  FROM users
  LEFT JOIN organizations ON organizations.id = users.organization_id
  LEFT JOIN teams ON teams.id = users.team_id
  WHERE users.id = ? AND users.disabled_at IS NULL`);
  const unreadSql = sqlite.prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL");
  const votedAmongSql = sqlite
    .prepare("SELECT ask_id AS askId FROM votes WHERE user_id = ? AND ask_id IN (SELECT value FROM json_each(?))")
    .pluck();
  const votedSql = sqlite.prepare("SELECT 1 FROM votes WHERE ask_id = ? AND user_id = ?");
  const followingSql = sqlite.prepare(
    "SELECT 1 FROM subscriptions WHERE ask_id = ? AND user_id = ? AND unfollowed_at IS NULL",
  );

  type Viewer = { id: number; displayName: string; organization: string | null; unread: number };

  function viewerOf(cookieHeader: string | undefined): Viewer | null {
    const id = sessionIdFromCookie(cookieHeader, "asklog_session", secret);
    const session = id ? (sessionSql.get(id, new Date().toISOString()) as { data: string } | undefined) : undefined;
    const userId = session ? (JSON.parse(session.data) as { userId?: number }).userId : undefined;
    const user = userId ? (userSql.get(userId) as Row | undefined) : undefined;
    if (!user) return null;
    const { n } = unreadSql.get(user.id) as { n: number };
    return {
      id: user.id as number,
      displayName: user.displayName as string,
      organization: user.organization as string | null,
      unread: n,
    };
  }

  function votedAmong(viewer: Viewer | null, ids: number[]): Set<number> {
    return new Set(viewer ? (votedAmongSql.all(viewer.id, JSON.stringify(ids)) as number[]) : []);
  }

  function layout(title: string, main: string, viewer: Viewer | null): string {
    const who = viewer
      ? `<span>${esc(viewer.displayName)}${viewer.organization ? ` (${esc(viewer.organization)})` : ""}</span>
<a href="/notifications">Notifications (${viewer.unread})</a><form method="post" action="/signout"><button>Sign out</button></form>`
      : `<a href="/signin">Sign in</a>`;
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head><body>
<header><a href="/">Asklog</a> <a href="/search">Search</a> ${who}</header><main>${main}</main></body></html>`;
  }

  // Signed in, the vote button says whether this person has voted; signed out, it leads to sign-in.
  function voteButton(a: Row, viewer: Viewer | null, voted: boolean): string {
    if (!viewer) return `<a href="/signin?redirectTo=/asks/${a.id}">Vote</a>`;
    return `<form method="post" action="/asks/${a.id}-${esc(a.slug)}"><button name="intent" value="${
      voted ? "unvote" : "vote"
    }" aria-pressed="${voted}">${voted ? "Voted" : "Vote"}</button></form>`;
  }

  function askRow(a: Row, viewer: Viewer | null, voted: Set<number>): string {
    return `<li>${voteButton(a, viewer, voted.has(a.id as number))}<a href="/asks/${a.id}-${esc(a.slug)}">${esc(a.title)}</a>
<span class="badge" style="background:${esc(a.statusColor)}">${esc(a.statusName)}</span>
${a.voteCount} votes · ${a.commentCount} comments · ${esc(a.author)}${a.organization ? ` (${esc(a.organization)})` : ""}
· ${esc(a.category)} · ${esc(String(a.createdAt).slice(0, 10))}${a.hasResolution ? " · resolved" : ""}</li>`;
  }

  function home(viewer: Viewer | null): string {
    const statuses = statusesSql.all() as Row[];
    const categories = categoriesSql.all() as Row[];
    const rows = trendingFirstPage();
    const voted = votedAmong(
      viewer,
      rows.map((r) => r.id as number),
    );
    const { total } = keepUntilChange("count", () => totalSql.get() as { total: number });
    return layout(
      "Asks · Asklog",
      `<h1>Asks</h1><form method="get"><select name="status">${statuses
        .map((s) => `<option value="${esc(s.slug)}">${esc(s.name)}</option>`)
        .join("")}</select><select name="category">${categories
        .map((c) => `<option value="${c.id}">${esc(c.name)}</option>`)
        .join("")}</select></form><p>${total} asks</p><ol>${rows.map((r) => askRow(r, viewer, voted)).join("\n")}</ol>`,
      viewer,
    );
  }

  // ---------------------------------------------------------------- ask page: getAsk, listStatusUpdates, listComments
  const askSql = sqlite.prepare(`SELECT asks.id, asks.slug, asks.title, asks.vote_count AS voteCount,
    asks.comment_count AS commentCount, asks.created_at AS createdAt, asks.updated_at AS updatedAt,
    users.display_name AS author, organizations.name AS organization, categories.name AS category,
    EXISTS (SELECT 1 FROM resolution_links WHERE resolution_links.ask_id = asks.id) AS hasResolution,
    asks.body, asks.author_id AS authorId, teams.name AS team, asks.hidden_at AS hiddenAt,
    asks.hidden_reason AS hiddenReason, asks.comments_locked_at AS commentsLockedAt, asks.duplicate_of_id AS duplicateOfId,
    statuses.slug AS statusSlug, statuses.name AS statusName, statuses.color AS statusColor,
    statuses.is_closed AS isClosed, statuses.accepts_votes AS acceptsVotes
  FROM asks
  INNER JOIN users ON users.id = asks.author_id
  LEFT JOIN organizations ON organizations.id = users.organization_id
  INNER JOIN categories ON categories.id = asks.category_id
  INNER JOIN statuses ON statuses.id = asks.status_id
  LEFT JOIN teams ON teams.id = asks.team_id
  WHERE asks.id = ?`);
  const askLinksSql = sqlite.prepare("SELECT url, title FROM resolution_links WHERE ask_id = ? ORDER BY id");
  const relatedSql = sqlite.prepare("SELECT id, slug, title FROM asks WHERE id = ?");
  const mergedSql = sqlite.prepare("SELECT id, slug, title FROM asks WHERE duplicate_of_id = ? ORDER BY id");
  const updatesSql = sqlite.prepare(`SELECT su.id, su.author_id AS authorId, su.about_date AS aboutDate,
    su.recorded_at AS recordedAt, su.edited_at AS editedAt, teams.name AS team, users.display_name AS author,
    su.note, fs.name AS fromStatus, statuses.name AS toStatus, statuses.color AS toColor
  FROM status_updates su
  INNER JOIN users ON users.id = su.author_id
  INNER JOIN statuses ON statuses.id = su.to_status_id
  LEFT JOIN statuses fs ON fs.id = su.from_status_id
  LEFT JOIN teams ON teams.id = su.team_id
  WHERE su.ask_id = ?
  ORDER BY su.about_date, su.recorded_at, su.id`);
  const updateLinksSql = sqlite.prepare(`SELECT status_update_id AS statusUpdateId, url, title FROM resolution_links
  WHERE ask_id = ? ORDER BY id`);
  const commentsSql = sqlite.prepare(`SELECT c.id, c.author_id AS authorId, users.display_name AS author,
    organizations.name AS organization, c.body, c.created_at AS createdAt, c.edited_at AS editedAt,
    c.deleted_at AS deletedAt, c.is_official AS isOfficial, teams.name AS team, c.hidden_at AS hiddenAt,
    c.hidden_reason AS hiddenReason, users.role <> 'member' AS byTeam, users.blocked_at IS NOT NULL AS authorBlocked
  FROM comments c
  INNER JOIN users ON users.id = c.author_id
  LEFT JOIN organizations ON organizations.id = users.organization_id
  LEFT JOIN teams ON teams.id = users.team_id
  WHERE c.ask_id = ?
  ORDER BY c.created_at, c.id`);

  function askPage(id: number, viewer: Viewer | null): string | null {
    const ask = askSql.get(id) as Row | undefined;
    if (!ask || ask.hiddenAt) return null;
    const voted = viewer ? votedSql.get(id, viewer.id) !== undefined : false;
    const following = viewer ? followingSql.get(id, viewer.id) !== undefined : false;
    const links = askLinksSql.all(id) as Row[];
    const duplicateOf = ask.duplicateOfId ? (relatedSql.get(ask.duplicateOfId) as Row | undefined) : undefined;
    const merged = mergedSql.all(id) as Row[];
    const updates = updatesSql.all(id) as Row[];
    const updateLinks = updates.length ? (updateLinksSql.all(ask.id) as Row[]) : ([] as Row[]);
    const comments = commentsSql.all(id) as Row[];
    const timeline = updates
      .map(
        (u) =>
          `<li><time>${esc(u.aboutDate)}</time> · ${esc(u.team ?? u.author)} · ${esc(u.fromStatus)} → ${esc(
            u.toStatus,
          )}<p>${esc(u.note)}</p>${updateLinks
            .filter((l) => l.statusUpdateId === u.id)
            .map((l) => `<a href="${esc(l.url)}">${esc(l.title)}</a>`)
            .join(" ")}</li>`,
      )
      .join("\n");
    const thread = comments
      .map((c) =>
        c.deletedAt || c.hiddenAt
          ? `<li id="comment-${c.id}"><em>Comment removed</em></li>`
          : `<li id="comment-${c.id}"><b>${esc(c.author)}</b>${c.organization ? ` (${esc(c.organization)})` : ""}${
              c.team ? ` · ${esc(c.team)}` : ""
            }${c.isOfficial ? " · official response" : ""} · <time>${esc(c.createdAt)}</time><p>${esc(c.body)}</p></li>`,
      )
      .join("\n");
    return layout(
      `${ask.title} · Asklog`,
      `<article><h1>${esc(ask.title)}</h1>
<p><span class="badge" style="background:${esc(ask.statusColor)}">${esc(ask.statusName)}</span> ${ask.voteCount} votes ·
${esc(ask.author)}${ask.organization ? ` (${esc(ask.organization)})` : ""} · ${esc(ask.category)}${
        ask.team ? ` · ${esc(ask.team)}` : ""
      }</p>
${voteButton(ask, viewer, voted)}${
  viewer
    ? `<form method="post"><button name="intent" value="${following ? "unfollow" : "follow"}">${
        following ? "Unfollow" : "Follow"
      }</button></form>`
    : ""
}
<div>${esc(ask.body)}</div>
${duplicateOf ? `<p>Duplicate of <a href="/asks/${duplicateOf.id}-${esc(duplicateOf.slug)}">${esc(duplicateOf.title)}</a></p>` : ""}
${merged.map((m) => `<p>Merged: <a href="/asks/${m.id}-${esc(m.slug)}">${esc(m.title)}</a></p>`).join("")}
${links.map((l) => `<p><a href="${esc(l.url)}">${esc(l.title)}</a></p>`).join("")}
<h2>Status details</h2><ol>${timeline}</ol>
<h2>Comments (${ask.commentCount})</h2><ol>${thread}</ol></article>`,
      viewer,
    );
  }

  // ---------------------------------------------------------------- search: searchAsks({ q, page: 1 }) without filters
  // The same two tiers as findAsks() in app/models/search-index.server.ts: the asks holding the
  // words as written (the last one as a prefix) in search_index, then the ones holding another
  // form of them in search_index_stems, each ranked by its own bm25, the total counted with the
  // page; past 2,000 matches found either way only the most recent are ranked.
  const rankingWindow = 2000;
  const rank = (table: string) => `bm25(${table}, 16.0, 4.0, 2.0, 2.0, 2.0, 1.0)`;
  const tier = (table: string, edge: boolean, scored: boolean) =>
    `SELECT ${table}.rowid AS id${scored ? `, ${rank(table)} AS score` : ""} FROM ${table}
    WHERE ${table} MATCH ?${edge ? ` AND ${table}.rowid >= CAST(? AS INTEGER)` : ""}`;
  const windowSql =
    sqlite.prepare(`${tier("search_index", false, false)} UNION ${tier("search_index_stems", false, false)}
  ORDER BY 1 DESC LIMIT 1 OFFSET ?`);
  const rankedSql = (edge: boolean) =>
    sqlite.prepare(`WITH exact AS MATERIALIZED (${tier("search_index", edge, true)}),
    stemmed AS MATERIALIZED (SELECT * FROM (${tier("search_index_stems", edge, true)}) WHERE id NOT IN (SELECT id FROM exact)),
    found AS (SELECT id, 0 AS tier, score FROM exact UNION ALL SELECT id, 1 AS tier, score FROM stemmed)
  SELECT found.id AS id, count(*) OVER () AS total FROM found
  WHERE found.id NOT IN (SELECT id FROM asks WHERE hidden_at IS NOT NULL)
  ORDER BY found.tier, found.score, found.id DESC LIMIT ? OFFSET ?`);
  const rankedAllSql = rankedSql(false);
  const rankedWindowSql = rankedSql(true);
  const detailsSql =
    sqlite.prepare(`SELECT a.id, a.slug, a.title, a.vote_count AS voteCount, a.comment_count AS commentCount,
    a.created_at AS createdAt, a.updated_at AS updatedAt, u.display_name AS author, o.name AS organization,
    c.name AS category, s.name AS statusName, s.color AS statusColor,
    EXISTS (SELECT 1 FROM resolution_links r WHERE r.ask_id = a.id) AS hasResolution
  FROM asks a
  JOIN statuses s ON s.id = a.status_id
  JOIN users u ON u.id = a.author_id
  LEFT JOIN organizations o ON o.id = u.organization_id
  JOIN categories c ON c.id = a.category_id
  WHERE a.id IN (SELECT value FROM json_each(?))`);
  const snippetsSql = (table: string) =>
    sqlite.prepare(`SELECT json_array(
    snippet(${table}, 0, char(1), char(2), '…', 12),
    snippet(${table}, 1, char(1), char(2), '…', 16),
    snippet(${table}, 2, char(1), char(2), '…', 16),
    snippet(${table}, 3, char(1), char(2), '…', 16),
    snippet(${table}, 4, char(1), char(2), '…', 16),
    snippet(${table}, 5, char(1), char(2), '…', 16)) AS snippets
  FROM ${table} WHERE ${table} MATCH ? AND rowid = CAST(? AS INTEGER)`);
  const stemSnippetsSql = snippetsSql("search_index_stems");
  const exactSnippetsSql = snippetsSql("search_index");
  const noteSql = sqlite.prepare(`SELECT su.about_date AS aboutDate, t.name AS team FROM status_updates su
  LEFT JOIN teams t ON t.id = su.team_id
  WHERE su.ask_id = ? AND instr(lower(su.note), ?) > 0 ORDER BY su.about_date, su.id LIMIT 1`);
  const commentAuthorSql =
    sqlite.prepare(`SELECT u.display_name AS author FROM comments cm JOIN users u ON u.id = cm.author_id
  WHERE cm.ask_id = ? AND cm.deleted_at IS NULL AND cm.hidden_at IS NULL AND instr(lower(cm.body), ?) > 0
  ORDER BY cm.id LIMIT 1`);
  // Who an ask found through a name comes from: the author, else a commenter, else a status update's author.
  const personSql = sqlite.prepare(`SELECT role, name, organization FROM (
    SELECT 'filed by' AS role, u.display_name AS name, o.name AS organization, 0 AS place FROM asks a
      JOIN users u ON u.id = a.author_id LEFT JOIN organizations o ON o.id = u.organization_id WHERE a.id = @id
    UNION ALL SELECT 'comment by', u.display_name, o.name, 1 FROM comments c JOIN users u ON u.id = c.author_id
      LEFT JOIN organizations o ON o.id = u.organization_id
      WHERE c.ask_id = @id AND c.deleted_at IS NULL AND c.hidden_at IS NULL
    UNION ALL SELECT 'status update by', u.display_name, o.name, 2 FROM status_updates su
      JOIN users u ON u.id = su.author_id LEFT JOIN organizations o ON o.id = u.organization_id WHERE su.ask_id = @id)
  WHERE instr(lower(name || ' ' || coalesce(organization, '')), @hit) > 0 ORDER BY place LIMIT 1`);
  const sources = ["title", "description", "note", "comment", "link", "person"];

  // The app's parseSearchQuery for plain words: each word quoted, all required, the last one a prefix
  // in the exact index and whole in the stemmed one.
  function toMatch(q: string): { exact: string; stems: string } | null {
    const words = q.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
    if (!words.length) return null;
    const quoted = words.map((w) => `"${w}"`);
    return {
      exact: `(${quoted.map((w, i) => (i === words.length - 1 ? `${w}*` : w)).join(" AND ")})`,
      stems: `(${quoted.join(" AND ")})`,
    };
  }

  function snippetHtml(snippet: string): { html: string; hit: string } {
    let hit = "";
    // biome-ignore lint/suspicious/noControlCharactersInRegex: FTS5 snippet markers are control characters
    const html = snippet.split(/[\u0001\u0002]/).map((piece, i) => {
      if (i % 2 === 0) return esc(piece);
      hit ||= piece.toLowerCase();
      return `<mark>${esc(piece)}</mark>`;
    });
    return { html: html.join(""), hit };
  }

  function search(q: string, viewer: Viewer | null): string {
    statusesSql.all();
    categoriesSql.all();
    teamsSql.all();
    const match = toMatch(q);
    if (!match) return layout("Search · Asklog", "<h1>Search</h1><p>Type a word to search for.</p>", viewer);
    const edge = (windowSql.get(match.exact, match.stems, rankingWindow - 1) as { id: number } | undefined)?.id ?? null;
    const ranked = (
      edge === null
        ? rankedAllSql.all(match.exact, match.stems, pageSize, 0)
        : rankedWindowSql.all(match.exact, edge, match.stems, edge, pageSize, 0)
    ) as { id: number; total: number }[];
    const total = ranked[0]?.total ?? 0;
    const ids = ranked.map((r) => r.id);
    const voted = votedAmong(viewer, ids);
    const details = new Map((detailsSql.all(JSON.stringify(ids)) as Row[]).map((r) => [r.id as number, r]));
    const items = ids.map((id) => {
      const a = details.get(id) as Row;
      const row = (stemSnippetsSql.get(match.stems, id) ?? exactSnippetsSql.get(match.exact, id)) as
        | { snippets: string }
        | undefined;
      const list = JSON.parse(row?.snippets ?? "[]") as (string | null)[];
      const index = Math.max(
        0,
        list.findIndex((s) => s?.includes("\u0001")),
      );
      const { html, hit } = snippetHtml(list[index] ?? "");
      let where = sources[index];
      if (where === "note") {
        const note = noteSql.get(id, hit) as Row | undefined;
        where = `status note ${esc(note?.aboutDate)} ${esc(note?.team)}`;
      } else if (where === "comment") {
        const comment = commentAuthorSql.get(id, hit) as Row | undefined;
        where = `comment by ${esc(comment?.author)}`;
      } else if (where === "person") {
        const person = personSql.get({ id, hit }) as Row | undefined;
        where = `${esc(person?.role)} ${esc(person?.name)} (${esc(person?.organization)})`;
      }
      return `${askRow(a, viewer, voted)}<p>${where}: ${html}</p>`;
    });
    return layout(
      `“${q}” · Search · Asklog`,
      `<h1>Search</h1><p>${edge === null ? total : `More than ${rankingWindow}`} asks match “${esc(q)}”</p><ol>${items.join("\n")}</ol>`,
      viewer,
    );
  }

  // ---------------------------------------------------------------- API: listAsks and getAsk operations, anonymous
  // The fields and their order are those of summaryOf() and detailOf() in
  // app/services/api-operations.server.ts; the bench compares both servers' keys before measuring.
  const apiListSql = sqlite.prepare(`SELECT asks.id, asks.slug, asks.title, substr(asks.body, 1, 300) AS excerpt,
    statuses.slug AS statusSlug, statuses.name AS statusName, categories.name AS category,
    users.display_name AS author, organizations.name AS organization, asks.vote_count AS voteCount,
    asks.comment_count AS commentCount,
    EXISTS (SELECT 1 FROM resolution_links WHERE resolution_links.ask_id = asks.id) AS hasResolution,
    asks.created_at AS createdAt, asks.updated_at AS updatedAt
  FROM asks
  INNER JOIN users ON users.id = asks.author_id
  LEFT JOIN organizations ON organizations.id = users.organization_id
  INNER JOIN categories ON categories.id = asks.category_id
  INNER JOIN statuses ON statuses.id = asks.status_id
  WHERE asks.hidden_at IS NULL
  ORDER BY asks.created_at DESC, asks.id DESC LIMIT ?`);
  const apiAskSql = sqlite.prepare(`SELECT asks.id, asks.slug, asks.title, substr(asks.body, 1, 300) AS excerpt,
    asks.body, asks.category_id AS categoryId, categories.name AS category, users.display_name AS author,
    organizations.name AS organization, asks.vote_count AS voteCount, asks.comment_count AS commentCount,
    EXISTS (SELECT 1 FROM resolution_links WHERE resolution_links.ask_id = asks.id) AS hasResolution,
    asks.created_at AS createdAt, asks.updated_at AS updatedAt, teams.name AS team, asks.hidden_at AS hiddenAt,
    asks.comments_locked_at AS commentsLockedAt, asks.duplicate_of_id AS duplicateOfId,
    statuses.slug AS statusSlug, statuses.name AS statusName, statuses.is_closed AS isClosed,
    statuses.accepts_votes AS acceptsVotes
  FROM asks
  INNER JOIN users ON users.id = asks.author_id
  LEFT JOIN organizations ON organizations.id = users.organization_id
  INNER JOIN categories ON categories.id = asks.category_id
  INNER JOIN statuses ON statuses.id = asks.status_id
  LEFT JOIN teams ON teams.id = asks.team_id
  WHERE asks.id = ?`);
  const apiUpdatesSql = sqlite.prepare(`SELECT su.id, su.about_date AS aboutDate, su.recorded_at AS recordedAt,
    su.edited_at AS editedAt, fs.name AS fromStatus, statuses.slug AS toSlug, statuses.name AS toName,
    teams.name AS team, users.display_name AS author, su.note
  FROM status_updates su
  INNER JOIN users ON users.id = su.author_id
  INNER JOIN statuses ON statuses.id = su.to_status_id
  LEFT JOIN statuses fs ON fs.id = su.from_status_id
  LEFT JOIN teams ON teams.id = su.team_id
  WHERE su.ask_id = ?
  ORDER BY su.about_date, su.recorded_at, su.id`);

  // A page of the default list ends with a cursor naming that list and its last row, as encodeCursor() does.
  const newestListFingerprint = createHash("sha256")
    .update(JSON.stringify(["newest", null, null, null]))
    .digest("base64url")
    .slice(0, 16);

  function apiLinks(origin: string, ask: Row) {
    return { url: `${origin}/asks/${ask.id}-${ask.slug}`, apiUrl: `${origin}/api/v1/asks/${ask.id}` };
  }

  function apiSummary(origin: string, a: Row) {
    return {
      number: a.id,
      title: a.title,
      excerpt: a.excerpt,
      status: { slug: a.statusSlug, name: a.statusName },
      category: a.category,
      author: { name: a.author, organization: a.organization },
      voteCount: a.voteCount,
      commentCount: a.commentCount,
      hasResolution: Boolean(a.hasResolution),
      voted: null,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      ...apiLinks(origin, a),
    };
  }

  function apiAskList(origin: string): string {
    statusesSql.all();
    const rows = apiListSql.all(pageSize + 1) as Row[];
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    const { total } = keepUntilChange("count", () => totalSql.get() as { total: number });
    const nextCursor =
      rows.length > pageSize && last
        ? Buffer.from(JSON.stringify({ l: newestListFingerprint, k: [last.createdAt, last.id] })).toString("base64url")
        : null;
    return JSON.stringify({ asks: page.map((a) => apiSummary(origin, a)), total, nextCursor });
  }

  function apiAsk(origin: string, id: number): string | null {
    const ask = apiAskSql.get(id) as Row | undefined;
    if (!ask || ask.hiddenAt) return null;
    const related = (a: Row) => ({ number: a.id, title: a.title, ...apiLinks(origin, a) });
    const duplicateOf = ask.duplicateOfId ? (relatedSql.get(ask.duplicateOfId) as Row | undefined) : undefined;
    const resolutionLinks = askLinksSql.all(id) as Row[];
    const merged = mergedSql.all(id) as Row[];
    const updates = apiUpdatesSql.all(id) as Row[];
    const updateLinks = updates.length ? (updateLinksSql.all(id) as Row[]) : ([] as Row[]);
    const comments = commentsSql.all(id) as Row[];
    return JSON.stringify({
      ...apiSummary(origin, ask),
      body: ask.body,
      categoryId: ask.categoryId,
      team: ask.team,
      status: {
        slug: ask.statusSlug,
        name: ask.statusName,
        isClosed: Boolean(ask.isClosed),
        acceptsVotes: Boolean(ask.acceptsVotes),
      },
      hidden: false,
      commentsLocked: ask.commentsLockedAt !== null,
      duplicateOf: duplicateOf ? related(duplicateOf) : null,
      mergedFrom: merged.map(related),
      resolutionLinks: resolutionLinks.map((l) => ({ url: l.url, title: l.title })),
      statusUpdates: updates.map((u) => ({
        id: u.id,
        date: u.aboutDate,
        recordedAt: u.recordedAt,
        editedAt: u.editedAt,
        fromStatus: u.fromStatus,
        toStatus: { slug: u.toSlug, name: u.toName },
        team: u.team,
        author: u.author,
        note: u.note,
        links: updateLinks.filter((l) => l.statusUpdateId === u.id).map((l) => ({ url: l.url, title: l.title })),
      })),
      // An anonymous reader: deleted and hidden comments keep their place without their text.
      comments: comments.map((c) => {
        const hidden = c.hiddenAt !== null;
        return {
          id: c.id,
          author: { name: c.author, organization: c.organization },
          team: c.team,
          body: c.deletedAt || hidden ? "" : c.body,
          official: Boolean(c.isOfficial),
          deleted: c.deletedAt !== null,
          hidden,
          hiddenReason: hidden ? c.hiddenReason : null,
          createdAt: c.createdAt,
          editedAt: c.editedAt,
        };
      }),
    });
  }

  const notFoundJson = JSON.stringify({
    type: "/api/docs#problem-404",
    title: "Not found",
    status: 404,
    detail: "There is no ask with this number.",
  });

  // ---------------------------------------------------------------- server
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let html: string | null = null;
    try {
      if (req.method !== "GET") {
        res.writeHead(405).end();
        return;
      }
      // As the app's: the pid tells apart the processes behind one port.
      if (url.pathname === "/healthz") {
        res
          .writeHead(200, { "Content-Type": "application/json" })
          .end(JSON.stringify({ status: "ok", pid: process.pid }));
        return;
      }
      if (url.pathname.startsWith("/api/v1/")) {
        const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
        const one = /^\/api\/v1\/asks\/(\d+)$/.exec(url.pathname);
        const json = url.pathname === "/api/v1/asks" ? apiAskList(origin) : one ? apiAsk(origin, Number(one[1])) : null;
        const body = json ?? notFoundJson;
        res.writeHead(json === null ? 404 : 200, {
          "Content-Type": json === null ? "application/problem+json" : "application/json",
          "Content-Length": Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      const viewer = viewerOf(req.headers.cookie);
      if (url.pathname === "/") html = home(viewer);
      else if (url.pathname === "/search")
        html = search((url.searchParams.get("q") ?? "").trim().slice(0, 200), viewer);
      else {
        const m = /^\/asks\/(\d+)(?:-[^/]*)?$/.exec(url.pathname);
        if (m) html = askPage(Number(m[1]), viewer);
      }
    } catch (error) {
      console.error(error);
      res.writeHead(500, { "Content-Type": "text/plain" }).end("Server error");
      return;
    }
    if (html === null) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html) });
    res.end(html);
  });

  server.listen(port, host, () => console.log(`Baseline listening on http://${host}:${port} (database: ${path})`));
  const shutdown = () => server.close(() => process.exit(0));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
