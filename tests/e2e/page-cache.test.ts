import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfNeeded, freePort, ServerProcess, setCookiePairs } from "../../scripts/server-process";

// Pages kept in memory must never be stale after a write and never be someone else's.
// Two servers on one database stand for two web processes: every write goes through one,
// and the next read through the other must show it.

let dir: string;
let writer: ServerProcess;
let reader: ServerProcess;
let database: Database.Database;
let askPath: string;

type Page = { status: number; body: string; headers: Headers };

async function get(server: ServerProcess, path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await fetch(`${server.base}${path}`, { redirect: "manual", headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

async function post(server: ServerProcess, path: string, cookie: string, fields: Record<string, string>) {
  const response = await fetch(`${server.base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: server.base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  await response.arrayBuffer();
  expect([302, 303], `POST ${path} ${JSON.stringify(fields)}`).toContain(response.status);
  return response;
}

async function signIn(server: ServerProcess, email: string): Promise<string> {
  const response = await post(server, "/signin", "", { email, password: "asklog-demo", redirectTo: "/" });
  return setCookiePairs(response.headers)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

function votes(page: Page): number {
  const match = /<span class="visually-hidden">(\d+) votes?/.exec(page.body);
  if (!match) throw new Error(`no vote count on the page:\n${page.body.slice(0, 500)}`);
  return Number(match[1]);
}

async function pageCacheStats(server: ServerProcess): Promise<{ hits: number; misses: number }> {
  const health = (await (await fetch(`${server.base}/healthz`)).json()) as {
    pageCache: { hits: number; misses: number };
  };
  return health.pageCache;
}

// Who the page header says is signed in.
const accountName = (page: Page) => /class="account-name"[^>]*>([^<]+)/.exec(page.body)?.[1];

const ownValuesOut = (page: Page) =>
  page.body.replaceAll(nonces(page)[0] ?? "", "").replaceAll(page.headers.get("X-Request-Id") ?? "", "");

const nonces = (page: Page) => [...new Set([...page.body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))];

beforeAll(async () => {
  buildIfNeeded();
  dir = mkdtempSync(join(tmpdir(), "asklog-page-cache-"));
  const databasePath = join(dir, "asklog.db");
  writer = new ServerProcess({ databasePath, port: await freePort(), env: { SEED_DEMO: "1", RATE_LIMITS: "off" } });
  await writer.start();
  reader = new ServerProcess({ databasePath, port: await freePort(), env: { SEED_DEMO: "1", RATE_LIMITS: "off" } });
  await reader.start();
  database = new Database(databasePath, { readonly: true });
  // An open ask that takes votes and that neither demo partner nor team member voted for.
  const ask = database
    .prepare(
      `SELECT a.id, a.slug FROM asks a JOIN statuses s ON s.id = a.status_id
       WHERE s.accepts_votes = 1 AND a.hidden_at IS NULL AND a.comments_locked_at IS NULL AND NOT EXISTS (
         SELECT 1 FROM votes v JOIN users u ON u.id = v.user_id
         WHERE v.ask_id = a.id AND u.email IN ('dana@contoso.example', 'tariq@asklog.example'))
       ORDER BY a.id LIMIT 1`,
    )
    .get() as { id: number; slug: string };
  askPath = `/asks/${ask.id}-${ask.slug}`;
}, 180_000);

afterAll(async () => {
  database?.close();
  await writer?.stop();
  await reader?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the page cache", () => {
  it("serves a visitor's page again from memory, each time with a nonce of its own", async () => {
    const first = await get(reader, askPath);
    const { hits } = await pageCacheStats(reader);
    const second = await get(reader, askPath);
    expect((await pageCacheStats(reader)).hits).toBe(hits + 1);
    // The same page, with each answer's own nonce and request id (which error messages quote).
    expect(ownValuesOut(second)).toBe(ownValuesOut(first));
    expect(second.body).toContain(second.headers.get("X-Request-Id"));
    expect(nonces(first)).toHaveLength(1);
    expect(nonces(second)).toHaveLength(1);
    expect(nonces(second)).not.toEqual(nonces(first));
    expect(second.headers.get("Content-Security-Policy")).toContain(`'nonce-${nonces(second)[0]}'`);
  });

  it("renders a page once for many readers asking at the same moment", async () => {
    const before = await pageCacheStats(reader);
    const pages = await Promise.all(Array.from({ length: 20 }, () => get(reader, "/roadmap?days=90")));
    expect(pages.map((page) => page.status)).toEqual(Array(20).fill(200));
    const after = await pageCacheStats(reader);
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(19);
  });

  it("shows a vote, a comment and a status update made through one process on the next read through the other", async () => {
    const partner = await signIn(writer, "dana@contoso.example");
    const team = await signIn(writer, "tariq@asklog.example");
    await get(reader, askPath);
    const before = votes(await get(reader, askPath));

    await post(writer, askPath, partner, { intent: "vote" });
    expect(votes(await get(reader, askPath))).toBe(before + 1);

    const comment = `Seen at once in every process ${Date.now()}`;
    await post(writer, askPath, partner, { intent: "comment", body: comment });
    expect((await get(reader, askPath)).body).toContain(comment);

    const status = database.prepare("SELECT id FROM statuses WHERE slug = 'planned'").get() as { id: number };
    const teamId = database.prepare("SELECT team_id AS id FROM users WHERE email = 'tariq@asklog.example'").get() as {
      id: number;
    };
    const note = `Planned, and every reader sees it ${Date.now()}`;
    await post(writer, `${askPath}/status`, team, {
      intent: "create",
      statusId: String(status.id),
      teamId: String(teamId.id),
      note,
      aboutDate: "",
    });
    expect((await get(reader, askPath)).body).toContain(note);
    // The search page and the home list as well, not only the ask page.
    expect(
      (await get(reader, `/search?q=${encodeURIComponent(comment.split(" ").slice(-1)[0] ?? "")}`)).body,
    ).toContain(askPath);
  });

  it("keeps each signed-in reader's pages apart, and never gives a visitor a signed-in page", async () => {
    const dana = await signIn(reader, "dana@contoso.example");
    const tariq = await signIn(reader, "tariq@asklog.example");
    for (let round = 0; round < 2; round++) {
      const asDana = await get(reader, "/", { Cookie: dana });
      const asTariq = await get(reader, "/", { Cookie: tariq });
      const asVisitor = await get(reader, "/");
      expect(accountName(asDana)).toMatch(/^Dana /);
      expect(accountName(asTariq)).toMatch(/^Tariq /);
      expect(accountName(asVisitor)).toBeUndefined();
      expect(asVisitor.body).toMatch(/href="\/signin/);
    }
    // A session ended elsewhere is a visitor at once, though its page was kept.
    const other = await signIn(reader, "dana@contoso.example");
    expect(accountName(await get(reader, "/", { Cookie: other }))).toMatch(/^Dana /);
    await post(writer, "/signout", other, {});
    expect(accountName(await get(reader, "/", { Cookie: other }))).toBeUndefined();
  });

  it("answers a repeated request with 304 until the page changes, and tells shared caches what they may keep", async () => {
    const visitor = await get(reader, askPath);
    const etag = visitor.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(visitor.headers.get("Cache-Control")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=300");
    expect(visitor.headers.get("Vary")).toContain("Cookie");

    const again = await get(reader, askPath, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    // The browser keeps the policy that came with its copy: a new nonce would refuse its scripts.
    expect(again.headers.get("Content-Security-Policy")).toBeNull();

    const partner = await signIn(writer, "dana@contoso.example");
    const signedIn = await get(reader, askPath, { Cookie: partner });
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-cache");
    expect(signedIn.headers.get("ETag")).not.toBe(etag);

    await post(writer, askPath, partner, { intent: "follow" });
    await post(writer, askPath, partner, {
      intent: "comment",
      body: `A change makes the old ETag stale ${Date.now()}`,
    });
    const changed = await get(reader, askPath, { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
  });

  it("never keeps a page shown with a one-time notice", async () => {
    const cookie = await signIn(reader, "tariq@asklog.example");
    const signOut = await post(reader, "/account", cookie, { intent: "sign-out-everywhere" });
    const notice = setCookiePairs(signOut.headers).find((pair) => pair.startsWith("asklog_notice="));
    expect(notice, "signing out leaves a notice").toBeDefined();
    const withNotice = await get(reader, "/", { Cookie: notice ?? "" });
    expect(withNotice.body).toContain("Signed out on every device.");
    expect(withNotice.headers.get("Cache-Control")).toBe("private, no-store");
    expect((await get(reader, "/")).body).not.toContain("Signed out on every device.");
  });
});
