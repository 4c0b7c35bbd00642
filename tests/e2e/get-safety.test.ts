import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { get, signIn } from "./http";

// A GET changes nothing: every route of the production build is fetched signed out
// and as each role, and every table of the server's database must read the same
// after each request as before it.

type Role = "visitor" | "partner" | "team" | "admin";
type Demo = {
  ask: string;
  askId: number;
  commentId: number;
  updateAsk: string;
  updateId: number;
  userId: number;
  teamId: number;
  categoryId: number;
};

// Sample URLs for each route's path, from the demo data. A route without an entry
// here fails the test, so a new route gets its own samples when it is added.
const samples: Record<string, (d: Demo) => string[]> = {
  "/": () => [
    "/",
    "/?sort=top",
    "/?sort=newest&status=open",
    "/?sort=updated&category=1&page=2",
    "/?sort=trending&q=CPOR",
    "/?page=abc",
  ],
  "/asks/:ask": (d) => [
    d.ask,
    `/asks/${d.askId}`,
    `${d.ask}?edit=${d.commentId}`,
    `${d.ask}?intent=vote`,
    `${d.ask}.data`,
    "/asks/999999-missing",
    "/asks/not-a-number",
  ],
  "/asks/:ask/edit": (d) => [`${d.ask}/edit`, "/asks/999999/edit"],
  "/asks/:ask/feed": (d) => [`${d.ask}/feed`, `/asks/${d.askId}/feed`, "/asks/999999/feed"],
  "/asks/:ask/feed.atom": (d) => [`${d.ask}/feed.atom`, `/asks/${d.askId}/feed.atom`, "/asks/999999/feed.atom"],
  "/asks/:ask/export.json": (d) => [`${d.ask}/export.json`, `/asks/${d.askId}/export.json`, "/asks/999999/export.json"],
  "/asks.csv": () => ["/asks.csv", "/asks.csv?sort=top&status=open&category=1", "/asks.csv?q=CPOR"],
  "/search.csv": () => ["/search.csv?q=CPOR&status=completed&from=2021-01-01", "/search.csv?q="],
  "/triage.csv": (d) => ["/triage.csv", `/triage.csv?view=by-team&team=${d.teamId}`],
  "/my-asks.csv": () => ["/my-asks.csv", "/my-asks.csv?tab=voted"],
  "/import-format.schema.json": () => ["/import-format.schema.json"],
  "/asks/:ask/status": (d) => [
    `${d.ask}/status`,
    `${d.updateAsk}/status?update=${d.updateId}`,
    `${d.ask}/status?update=999999`,
  ],
  "/asks/new": () => ["/asks/new", "/asks/new?title=Customer+page"],
  "/search": () => [
    "/search",
    "/search?q=CPOR",
    "/search?q=%22share+with+the+OSU+team%22",
    "/search?q=partner&status=completed&category=1&team=1&from=2021-01-01&to=2026-12-31&page=2",
    "/search?q=-",
    "/search?q=x&from=not-a-date",
    "/search.data?q=CPOR",
  ],
  "/search.atom": () => ["/search.atom?q=CPOR", "/search.atom"],
  "/api/search": () => ["/api/search?q=CPOR&limit=8", "/api/search?q=aka.ms%2Fabout-cp", "/api/search?q="],
  "/api/asks/similar": () => ["/api/asks/similar?title=Customer+page+explaining+CPOR", "/api/asks/similar"],
  "/api/organizations": () => ["/api/organizations?q=dell", "/api/organizations?q=%25", "/api/organizations"],
  "/feeds/updates.atom": () => ["/feeds/updates.atom"],
  "/my-asks": () => ["/my-asks", "/my-asks?tab=voted", "/my-asks?tab=commented&page=2", "/my-asks.data"],
  "/roadmap": () => ["/roadmap", "/roadmap?category=1&days=30"],
  "/triage": (d) => [
    "/triage",
    "/triage?view=mine",
    "/triage?view=by-team",
    "/triage?view=by-team&team=none",
    `/triage?view=by-team&team=${d.teamId}&page=2`,
  ],
  "/account": () => ["/account", "/account?intent=sign-out-everywhere"],
  "/admin": () => ["/admin", "/admin.data"],
  "/admin/users": (d) => ["/admin/users", "/admin/users?q=dana&role=member", `/admin/users?edit=${d.userId}`],
  "/admin/teams": (d) => ["/admin/teams", `/admin/teams?edit=${d.teamId}`],
  "/admin/categories": (d) => ["/admin/categories", `/admin/categories?edit=${d.categoryId}`],
  "/admin/statuses": () => ["/admin/statuses", "/admin/statuses?edit=1"],
  "/admin/orgs": () => ["/admin/orgs", "/admin/orgs?edit=1", "/admin/orgs?edit=not-a-number"],
  "/admin/import": () => ["/admin/import", "/admin/import.data"],
  "/admin/import/:id": () => ["/admin/import/1", "/admin/import/999999", "/admin/import/not-a-number"],
  "/admin/export": () => ["/admin/export"],
  "/admin/export.json": () => ["/admin/export.json"],
  "/admin/audit": () => ["/admin/audit", "/admin/audit?action=status_update&subject=ask&page=1"],
  "/notifications": () => ["/notifications", "/notifications?page=2", "/notifications.data"],
  "/admin/mail": () => ["/admin/mail", "/admin/mail?state=dead", "/admin/mail?state=pending&page=2"],
  "/admin/mail/:id": () => ["/admin/mail/1", "/admin/mail/999999", "/admin/mail/not-a-number"],
  "/admin/mail/:id/html": () => ["/admin/mail/1/html", "/admin/mail/999999/html"],
  "/admin/webhooks": () => ["/admin/webhooks", "/admin/webhooks.data"],
  "/admin/webhooks/:id": () => ["/admin/webhooks/1", "/admin/webhooks/999999", "/admin/webhooks/not-a-number?page=2"],
  "/admin/settings": () => ["/admin/settings", "/admin/settings.data"],
  "/admin/tokens": () => ["/admin/tokens", "/admin/tokens?page=2"],
  "/people/:person": (d) => [
    `/people/${d.userId}`,
    `/people/${d.userId}-wrong-name?show=comments`,
    `/people/${d.userId}?show=votes`,
    "/people/999999",
    "/people/not-a-number",
  ],
  "/orgs/:org": () => ["/orgs/contoso", "/orgs/contoso?show=voted&sort=top", "/orgs/no-such-org"],
  "/api/docs": () => ["/api/docs"],
  "/api/v1/openapi.json": () => ["/api/v1/openapi.json"],
  "/api/v1/*": () => ["/api/v1/no-such-thing", "/api/v1/"],
  "/api/v1/asks": () => ["/api/v1/asks", "/api/v1/asks?sort=top&limit=5", "/api/v1/asks?cursor=forged"],
  "/api/v1/asks/:number": (d) => [`/api/v1/asks/${d.askId}`, "/api/v1/asks/999999", "/api/v1/asks/abc"],
  "/api/v1/asks/:number/comments": (d) => [`/api/v1/asks/${d.askId}/comments`],
  "/api/v1/asks/:number/status-updates": (d) => [`/api/v1/asks/${d.askId}/status-updates`],
  "/api/v1/asks/:number/vote": (d) => [`/api/v1/asks/${d.askId}/vote`],
  "/api/v1/categories": () => ["/api/v1/categories"],
  "/api/v1/me": () => ["/api/v1/me"],
  "/api/v1/statuses": () => ["/api/v1/statuses"],
  "/api/v1/teams": () => ["/api/v1/teams"],
  "/confirm-email": () => ["/confirm-email"],
  "/confirm-email/:token": () => [
    "/confirm-email/not-a-token",
    "/confirm-email/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ],
  "/forgot-password": () => ["/forgot-password", "/forgot-password?email=dana%40contoso.example"],
  "/reset-password/:token": () => ["/reset-password/not-a-token"],
  // A forged token: GET shows what a link would stop and never applies it.
  "/unsubscribe/:token": () => ["/unsubscribe/eyJ1c2VySWQiOjF9.forged", "/unsubscribe/not-a-token"],
  "/signin": () => ["/signin", "/signin?redirectTo=%2Fmy-asks"],
  "/signup": () => ["/signup", "/signup?redirectTo=%2Fasks%2Fnew"],
  "/statuses.css": () => ["/statuses.css"],
  "/styleguide": () => ["/styleguide", "/styleguide.data"],
  // POST only: a GET must not set a theme cookie, whatever it carries.
  "/theme": () => ["/theme", "/theme?theme=dark&redirectTo=%2F"],
  // POST only: a GET (a link, a prefetch, an <img src>) must not sign anyone out.
  "/signout": () => ["/signout", "/signout?intent=signout"],
};

// Served outside the Remix routes. Static files are the same for everyone.
const staticFiles = ["/favicon.svg"];
const extraUrls = ["/healthz", ...staticFiles, "/no-such-page"];

type Route = { id: string; path?: string; parentId?: string; index?: boolean };

// The full path of each route, as the router matches it.
function routePaths(routes: Record<string, Route>): Map<string, string[]> {
  const full = (id: string): string => {
    const route = routes[id];
    if (!route) throw new Error(`The build has no route ${id}`);
    const parent = route.parentId ? full(route.parentId) : "";
    return route.path === undefined ? parent : `${parent.replace(/\/$/, "")}/${route.path}`;
  };
  const paths = new Map<string, string[]>();
  for (const id of Object.keys(routes)) {
    const path = full(id) || "/";
    paths.set(path, [...(paths.get(path) ?? []), id]);
  }
  return paths;
}

let database: Database.Database;
const cookies: Record<Role, string | undefined> = { visitor: undefined, partner: "", team: "", admin: "" };
let demo: Demo;

beforeAll(async () => {
  cookies.partner = await signIn("dana@contoso.example", "asklog-demo");
  cookies.team = await signIn("tariq@asklog.example", "asklog-demo");
  cookies.admin = await signIn("admin@asklog.example", "asklog-demo");
  // Read only, beside the server's own connection (WAL lets readers and the writer run together).
  database = new Database(inject("databasePath"), { readonly: true, fileMustExist: true });
  const one = <T>(sql: string, ...params: unknown[]) => database.prepare(sql).get(...params) as T;
  const userId = (email: string) => one<{ id: number }>("SELECT id FROM users WHERE email = ?", email).id;
  const askPath = (id: number) => {
    const { slug } = one<{ slug: string }>("SELECT slug FROM asks WHERE id = ?", id);
    return `/asks/${id}-${slug}`;
  };
  const dana = userId("dana@contoso.example");
  const tariq = userId("tariq@asklog.example");
  const comment = one<{ id: number; askId: number }>(
    "SELECT id, ask_id AS askId FROM comments WHERE author_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
    dana,
  );
  const update = one<{ id: number; askId: number }>(
    "SELECT id, ask_id AS askId FROM status_updates WHERE author_id = ? ORDER BY id LIMIT 1",
    tariq,
  );
  expect(comment, "a demo comment by dana").toBeDefined();
  expect(update, "a demo status update by tariq").toBeDefined();
  demo = {
    ask: askPath(comment.askId),
    askId: comment.askId,
    commentId: comment.id,
    updateAsk: askPath(update.askId),
    updateId: update.id,
    userId: dana,
    teamId: one<{ teamId: number }>("SELECT team_id AS teamId FROM users WHERE id = ?", tariq).teamId,
    categoryId: one<{ id: number }>("SELECT id FROM categories ORDER BY position LIMIT 1").id,
  };
});

afterAll(() => {
  database?.close();
});

// Every table's rows, hashed. FTS5 keeps its index in shadow tables; the FTS table
// itself is read instead, which gives its content.
function snapshot(): Map<string, string> {
  const tables = database.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
    sql: string | null;
  }[];
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? "")).map((t) => t.name);
  const shadow = (name: string) =>
    virtual.some((v) => ["data", "idx", "content", "docsize", "config"].some((s) => name === `${v}_${s}`));
  const hashes = new Map<string, string>();
  for (const { name } of tables) {
    if (shadow(name)) continue;
    const columns = virtual.includes(name) ? "rowid, *" : "*";
    const rows = database
      .prepare(`SELECT ${columns} FROM "${name.replaceAll('"', '""')}"`)
      .raw()
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
    hashes.set(name, createHash("sha256").update(rows.join("\n")).digest("hex"));
  }
  return hashes;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

describe("GET never changes the database, and no shared cache may keep a signed-in page", () => {
  it("notices a write: signing in adds a session", async () => {
    const before = snapshot();
    await signIn("dana@contoso.example", "asklog-demo");
    expect(changedTables(before, snapshot())).toContain("sessions");
  });

  it("has sample URLs for every route in the production build", async () => {
    const build = (await import(pathToFileURL(resolve("build/index.js")).href)) as { routes: Record<string, Route> };
    const missing = [...routePaths(build.routes)]
      .filter(([path]) => !samples[path])
      .map(([path, ids]) => `no sample URL for route ${path} (${ids.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("fetches every route signed out and as partner, team member and admin, and nothing changes", async () => {
    const urls = [...Object.values(samples).flatMap((sample) => sample(demo)), ...extraUrls];
    const problems: string[] = [];
    let fetched = 0;
    let before = snapshot();
    for (const role of Object.keys(cookies) as Role[]) {
      for (const path of urls) {
        const response = await get(path, cookies[role]);
        await response.arrayBuffer();
        fetched++;
        const after = snapshot();
        // The API counts every call against its caller's rate limit, reads included; that counter
        // is all a GET there may change.
        const changed = changedTables(before, after).filter(
          (table) => !(path.startsWith("/api/v1/") && table === "rate_limits"),
        );
        if (changed.length) problems.push(`GET ${path} as ${role} changed ${changed.join(", ")}`);
        if (response.status >= 500) problems.push(`GET ${path} as ${role} answered ${response.status}`);
        // A shared cache (a CDN) must never keep what a signed-in person was shown.
        const cacheControl = response.headers.get("Cache-Control") ?? "";
        if (role !== "visitor" && !staticFiles.includes(path) && !/\bprivate\b|\bno-store\b/.test(cacheControl)) {
          problems.push(`GET ${path} as ${role} may be kept by a shared cache: Cache-Control "${cacheControl}"`);
        }
        if (role !== "visitor" && !staticFiles.includes(path) && /\bpublic\b|s-maxage/.test(cacheControl)) {
          problems.push(`GET ${path} as ${role} is marked for shared caches: Cache-Control "${cacheControl}"`);
        }
        if (path.startsWith("/signout") && response.headers.getSetCookie().length) {
          problems.push(`GET ${path} as ${role} set a cookie: ${response.headers.getSetCookie().join(" | ")}`);
        }
        before = after;
      }
    }
    console.log(`GET safety: ${urls.length} URLs × ${Object.keys(cookies).length} roles = ${fetched} requests`);
    expect(problems).toEqual([]);

    // Still signed in after all those GETs of /signout and /account?intent=…
    for (const role of ["partner", "team", "admin"] as const) {
      const response = await get("/my-asks", cookies[role]);
      expect(response.status, `${role} is still signed in`).toBe(200);
    }
  }, 300_000);
});
