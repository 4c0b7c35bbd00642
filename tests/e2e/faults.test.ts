import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../scripts/server-process";
import { launchBrowser } from "./browser";
import { type RunningServer, startAsklog } from "./server";

// A server of its own whose database this file breaks on purpose, to see what a
// user and an operator get when something unexpected fails.

let server: RunningServer;
let database: Database.Database;

beforeAll(async () => {
  server = await startAsklog();
  database = new Database(server.databasePath);
});
afterAll(async () => {
  database.close();
  await server.stop();
});

type LogLine = {
  level: string;
  requestId: string;
  method?: string;
  path?: string;
  status?: number;
  userId?: number;
  error?: string;
  stack?: string;
};

function logLines(): LogLine[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

async function waitForLog(match: (line: LogLine) => boolean): Promise<LogLine> {
  for (let i = 0; i < 50; i++) {
    const line = logLines().find(match);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no such log line in:\n${server.output()}`);
}

describe("an unexpected error", () => {
  it("shows a friendly page with a reference that leads to the logged error, and no details", async () => {
    database.exec("ALTER TABLE votes RENAME TO votes_gone");
    try {
      const response = await fetch(`${server.baseUrl}/`);
      expect(response.status).toBe(500);
      const html = await response.text();
      expect(html).toContain("Something went wrong");
      const reference = /quote reference <code>([0-9a-f]{12})<\/code>/.exec(html)?.[1] ?? "";
      expect(reference).not.toBe("");
      expect(response.headers.get("X-Request-Id")).toBe(reference);
      expect(html).not.toMatch(/SqliteError|no such table|votes_gone|node_modules|\.server\.ts/);

      const error = await waitForLog((l) => l.level === "error" && l.requestId === reference);
      expect(error.error).toContain("no such table");
      expect(error.stack).toContain("no such table");
      expect(error.stack).toMatch(/\n\s+at /);
      const request = await waitForLog((l) => l.level === "info" && l.requestId === reference);
      expect(request).toMatchObject({ method: "GET", path: "/", status: 500 });
    } finally {
      database.exec("ALTER TABLE votes_gone RENAME TO votes");
    }
  });

  it("shows the reference after a client-side navigation too", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ baseURL: server.baseUrl });
      await page.goto("/roadmap");
      await page.waitForFunction(() => (window as { __remixContext?: unknown }).__remixContext !== undefined);
      database.exec("ALTER TABLE votes RENAME TO votes_gone");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Asks" }).click();
      await page.getByRole("heading", { name: "Something went wrong" }).waitFor();
      const reference = (await page.locator("main code").textContent()) ?? "";
      expect(reference).toMatch(/^[0-9a-f]{12}$/);
      const error = await waitForLog((l) => l.level === "error" && l.requestId === reference);
      expect(error.stack).toContain("no such table");
    } finally {
      database.exec("ALTER TABLE votes_gone RENAME TO votes");
      await browser.close();
    }
  });
});

describe("an answer below 500", () => {
  it("is logged as a request, not as an error", async () => {
    const client = new Client(server.baseUrl);
    await client.signIn("dana@contoso.example", "asklog-demo");
    const answers = await Promise.all(
      ["/no-such-page", "/asks/999999-no-such-ask", "/admin"].map((path) =>
        fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: client.cookie } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([404, 404, 403]);
    const lines = await Promise.all(
      answers.map((a) => waitForLog((l) => l.level === "info" && l.requestId === a.headers.get("X-Request-Id"))),
    );
    // The refusal read the session inside the Remix build; the request log still knows who asked.
    expect(lines[2]?.userId).toBeGreaterThan(0);
    const ids = new Set(answers.map((a) => a.headers.get("X-Request-Id")));
    expect(logLines().filter((l) => l.level !== "info" && ids.has(l.requestId))).toEqual([]);
    expect(server.output()).not.toContain("[object Object]");
  });
});

describe("/healthz", () => {
  it("answers 503 when the database cannot serve, and 200 again when it can", async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    database.exec("ALTER TABLE asks RENAME TO asks_gone");
    try {
      const response = await fetch(`${server.baseUrl}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "unavailable", database: { ok: false } });
    } finally {
      database.exec("ALTER TABLE asks_gone RENAME TO asks");
    }
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });
});
