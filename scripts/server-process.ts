// The production server as a child process, and a signed-in HTTP client for it:
// shared by scripts/crash-test.ts, scripts/soak.ts and the e2e tests (tests/e2e/server.ts).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Database } from "better-sqlite3";

export const host = "127.0.0.1";
// What `npm start` runs, after building.
export const serverEntry = "server/index.ts";
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Asks `check` every `everyMs` until it gives something other than undefined, or the time is up
// (then undefined): the kill tests wait for a phase, a state or a delivery this way.
export async function waitUntil<T>(
  check: () => T | undefined,
  timeoutMs: number,
  everyMs: number,
): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = check();
    if (value !== undefined) return value;
    await sleep(everyMs);
  }
  return undefined;
}

export function buildIfNeeded(): void {
  execFileSync("node", ["scripts/build-if-needed.mjs"], { stdio: "inherit" });
}

// What the load scripts hammer: a fresh demo database in their folder, served without rate limits.
export async function demoServerIn(dir: string, env: Record<string, string> = {}) {
  const databasePath = join(dir, "asklog.db");
  const server = new ServerProcess({
    databasePath,
    port: await freePort(),
    env: { RATE_LIMITS: "off", SEED_DEMO: "1", ...env },
  });
  return { databasePath, server };
}

// How a load script brings its server up: Ctrl-C kills the server rather than leaving it running.
export async function startBuiltServer(server: ServerProcess, databasePath: string, log: (message: string) => void) {
  process.on("SIGINT", () => {
    server.kill().finally(() => process.exit(130));
  });
  log("checking the production build");
  buildIfNeeded();
  await server.start();
  log(`server up at ${server.base} on ${databasePath}`);
}

// The partners a load script signs in as, oldest first; SQLite reads a limit of -1 as none.
export function activePartnerEmails(database: Database, limit = -1): string[] {
  const rows = database
    .prepare(`SELECT email FROM users WHERE role = 'member' AND blocked_at IS NULL AND disabled_at IS NULL
        ORDER BY id LIMIT ?`)
    .all(limit) as { email: string }[];
  return rows.map((r) => r.email);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// tsx runs the script in a child node process: the server is the deepest descendant that
// runs the same script. Processes the server starts itself (an import) run other scripts.
export function deepestChild(pid: number): number {
  const script = commandLine(pid).find((arg) => arg.endsWith(".ts"));
  const next = childrenOf(pid).find((child) => !script || commandLine(child).includes(script));
  return next === undefined ? pid : deepestChild(next);
}

export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export type ServerOptions = { databasePath: string; port: number; env?: Record<string, string> };

export class ServerProcess {
  readonly base: string;
  private child: ChildProcess | undefined;
  private log = "";
  // Everything the server wrote, across restarts, for error reports.
  get output(): string {
    return this.log;
  }

  constructor(private readonly options: ServerOptions) {
    this.base = `http://${host}:${options.port}`;
  }

  // Spawns `tsx server/index.ts` as `npm start` does and waits for a 200 on /.
  async start(limitMs = 120_000): Promise<void> {
    const child = spawn("node_modules/.bin/tsx", [serverEntry], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_PATH: this.options.databasePath,
        HOST: host,
        PORT: String(this.options.port),
        ...this.options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const append = (chunk: Buffer) => {
      this.log += chunk;
      // Enough to see what went wrong; a soak's request log would grow without end.
      if (this.log.length > 4_000_000) this.log = this.log.slice(-2_000_000);
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const until = Date.now() + limitMs;
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `server exited (${child.exitCode ?? child.signalCode}) before answering:\n${this.log.slice(-3000)}`,
        );
      }
      try {
        const res = await fetch(`${this.base}/`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`no 200 from ${this.base}/ within ${limitMs} ms:\n${this.log.slice(-3000)}`);
  }

  // The node process that serves (and holds the database open).
  pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error("server not started");
    return deepestChild(pid);
  }

  private exited(child: ChildProcess, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  // A crash: SIGKILL to the serving process, no chance to close anything.
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const pid = this.pid();
    if (pid !== child.pid) process.kill(pid, "SIGKILL");
    // tsx exits when its child dies; if it does not, it goes the same way.
    if (!(await this.exited(child, 5000))) child.kill("SIGKILL");
    await this.exited(child, 5000);
    this.child = undefined;
  }

  // A normal stop: SIGTERM, which server/index.ts answers by closing the database.
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill("SIGTERM");
    if (!(await this.exited(child, 10_000))) await this.kill();
    this.child = undefined;
  }
}

export type Reply = { status: number; location: string | null; body: string };

// The name=value pairs a response sets, as a browser would send them back.
export function setCookiePairs(headers: Headers): string[] {
  return headers.getSetCookie().map((cookie) => {
    const end = cookie.indexOf(";");
    return end === -1 ? cookie : cookie.slice(0, end);
  });
}

// A visitor or signed-in user talking to the server as a browser without JavaScript does.
export class Client {
  cookie = "";

  constructor(readonly base: string) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { Cookie: this.cookie } : {}), ...extra };
  }

  async get(path: string): Promise<Reply> {
    const res = await fetch(`${this.base}${path}`, {
      redirect: "manual",
      headers: this.headers(),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, location: res.headers.get("location"), body: await res.text() };
  }

  // Every form post carries Origin, as a browser's does: the server refuses writes without it.
  async post(path: string, fields: Record<string, string>): Promise<Reply> {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded", Origin: this.base }),
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(60_000),
    });
    const reply = { status: res.status, location: res.headers.get("location"), body: await res.text() };
    const cookies = setCookiePairs(res.headers);
    // Whatever the session cookie is called (asklog_session, __Host-asklog_session over https).
    if (cookies.length) this.cookie = cookies.join("; ");
    return reply;
  }

  async signIn(email: string, password: string): Promise<Reply> {
    this.cookie = "";
    return this.post("/signin", { email, password, redirectTo: "/" });
  }
}

export const isRedirect = (status: number) => status === 302 || status === 303;
