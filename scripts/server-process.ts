// The production server as a child process, and a signed-in HTTP client for it:
// shared by scripts/crash-test.ts, scripts/soak.ts and the e2e tests (tests/e2e/server.ts).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
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
  // The last child that exited, for its exit status.
  private ended: ChildProcess | undefined;
  private log = "";
  // Everything the server wrote, across restarts, for error reports.
  get output(): string {
    return this.log;
  }

  constructor(private readonly options: ServerOptions) {
    this.base = `http://${host}:${options.port}`;
  }

  // Spawns `node --import tsx server/index.ts` as `npm start` does and waits for a 200 on /.
  // One web process unless the test's env asks for more, so a test means what it meant
  // before WEB_CONCURRENCY existed (its default is one process per CPU).
  async start(limitMs = 120_000): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", serverEntry], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_PATH: this.options.databasePath,
        HOST: host,
        PORT: String(this.options.port),
        WEB_CONCURRENCY: "1",
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

  // The process `npm start` runs: the server itself, or with WEB_CONCURRENCY above 1 the
  // primary that started the web processes and replaces them.
  pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error("server not started");
    return pid;
  }

  // The processes that answer requests and hold the database open: the web processes the
  // primary started (not an import it runs), or the server itself when it is alone.
  webPids(): number[] {
    const primary = this.pid();
    const web = childrenOf(primary).filter((child) => commandLine(child).some((arg) => arg.endsWith(serverEntry)));
    return web.length ? web : [primary];
  }

  // The web process that answered one request, as /healthz tells. Each call opens a connection
  // of its own: a kept-alive one would always reach the same process.
  async answeringPid(): Promise<number> {
    const reply = await freshGet(`${this.base}/healthz`);
    if (reply.status !== 200) throw new Error(`/healthz answered ${reply.status}: ${reply.body}`);
    return (JSON.parse(reply.body) as { pid: number }).pid;
  }

  // How the server ended: its exit code, or the signal that killed it; undefined while it runs.
  exitStatus(): number | NodeJS.Signals | undefined {
    const child = this.child ?? this.ended;
    return child?.exitCode ?? child?.signalCode ?? undefined;
  }

  // Resolves with exitStatus() once the server has exited, or undefined if it is still running after `ms`.
  async waitForExit(ms: number): Promise<number | NodeJS.Signals | undefined> {
    const child = this.child ?? this.ended;
    if (child) await this.exited(child, ms);
    return this.exitStatus();
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

  // A crash: SIGKILL to every process of the server at once (the primary and the web
  // processes), no chance to close anything; returns when all of them are gone.
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const pids = child.exitCode === null && child.signalCode === null ? [...this.webPids(), child.pid] : [];
    for (const pid of pids) {
      try {
        if (pid !== undefined) process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await this.exited(child, 5000);
    await waitUntil(() => (pids.some((pid) => pid !== undefined && running(pid)) ? undefined : true), 5000, 20);
    this.ended = child;
    this.child = undefined;
  }

  // A normal stop: SIGTERM, which server/index.ts answers by finishing the requests in flight
  // and closing the database, in every web process.
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill("SIGTERM");
    if (!(await this.exited(child, 15_000))) await this.kill();
    this.ended = child;
    this.child = undefined;
  }
}

// Whether a process still runs: a killed child waiting to be reaped (a zombie) does not.
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export type Reply = { status: number; location: string | null; body: string };

// A GET over a connection of its own, closed after the answer: which web process answers is
// the primary's choice for each new connection.
export function freshGet(url: string, timeoutMs = 30_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body }));
      res.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

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
