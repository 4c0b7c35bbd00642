import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { demoAsks } from "../../db/demo-data";
import { buildIfNeeded, Client, freePort, host, ServerProcess, serverEntry } from "../../scripts/server-process";

// What `npm start` does before it serves: check the settings, then the release step
// (migrate, seed, admin), which several processes may run at the same moment.

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "asklog-startup-"));
  dirs.push(dir);
  return dir;
}

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node_modules/.bin/tsx", [serverEntry], {
      env: { ...process.env, HOST: host, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("a bad setting", () => {
  it("stops the start with one line naming the variable, its value and what is expected", async () => {
    const dir = freshDataFolder();
    const databasePath = join(dir, "asklog.db");
    const result = await run({ DATABASE_PATH: databasePath, PORT: String(await freePort()), MAX_BODY_BYTES: "1mb" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      'Asklog cannot start: MAX_BODY_BYTES="1mb" is not valid: expected a whole number of bytes, like 1048576 (no units).\n',
    );
    // Checked before anything was touched.
    expect(existsSync(databasePath)).toBe(false);
  });
});

describe("two servers started at once on a fresh data folder", () => {
  it("both come up, sharing one session secret, with the migrations and the demo data applied once", async () => {
    buildIfNeeded();
    const dir = freshDataFolder();
    const databasePath = join(dir, "asklog.db");
    const [first, second] = [
      // An empty SESSION_SECRET counts as unset, whatever the shell running the tests has.
      new ServerProcess({ databasePath, port: await freePort(), env: { SEED_DEMO: "1", SESSION_SECRET: "" } }),
      new ServerProcess({ databasePath, port: await freePort(), env: { SEED_DEMO: "1", SESSION_SECRET: "" } }),
    ];
    servers.push(first, second);
    await Promise.all([first.start(), second.start()]);

    for (const server of [first, second]) {
      expect((await fetch(`${server.base}/healthz`)).status, server.output).toBe(200);
    }

    // One secret, and no half-written draft of another left beside it.
    expect(readdirSync(dir).filter((name) => name.startsWith("session-secret"))).toEqual(["session-secret"]);
    expect(readFileSync(join(dir, "session-secret"), "utf8").trim()).not.toBe("");
    // A cookie one server signed is accepted by the other.
    const client = new Client(first.base);
    expect((await client.signIn("dana@contoso.example", "asklog-demo")).status).toBe(302);
    expect((await new Client(second.base).get("/account")).status).toBe(302);
    const other = new Client(second.base);
    other.cookie = client.cookie;
    expect((await other.get("/account")).status).toBe(200);

    const journal = JSON.parse(readFileSync("migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    const database = new Database(databasePath, { readonly: true });
    try {
      const migrations = database.prepare("SELECT hash FROM __drizzle_migrations").pluck().all();
      expect(migrations).toHaveLength(journal.entries.length);
      expect(new Set(migrations).size).toBe(migrations.length);
      expect(database.prepare("SELECT count(*) FROM asks").pluck().get()).toBe(demoAsks.length);
      expect(database.prepare("SELECT count(*) FROM users WHERE email = 'dana@contoso.example'").pluck().get()).toBe(1);
    } finally {
      database.close();
    }
    // Each printed the address, where mail goes without an SMTP server, and the sign-ins; nothing else.
    for (const server of [first, second]) {
      const banner = server.output.split("\n").filter((line) => line && !line.startsWith("{"));
      expect(banner[0]).toMatch(/^Asklog is running at http:\/\/localhost:\d+$/);
      expect(banner.slice(1)).toEqual([
        "No SMTP_URL set: mail is kept in the app, for admins at /admin/mail",
        'Sign in with the password "asklog-demo" as:',
        expect.stringMatching(/^ {2}dana@contoso\.example +partner/),
        expect.stringMatching(/^ {2}tariq@asklog\.example +program team member/),
        expect.stringMatching(/^ {2}admin@asklog\.example +admin$/),
      ]);
    }
  });
});
