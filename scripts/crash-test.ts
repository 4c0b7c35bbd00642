// Crash test: the production server on its own database, written to over HTTP by
// several signed-in clients at once, killed with SIGKILL several times mid-stream and
// restarted on the same file. At the end every write the server acknowledged must be
// in the database, the counters must match their rows, and SQLite's checks must pass.
// Usage: tsx scripts/crash-test.ts [--kills 5] [--clients 6] [--min-requests 40] [--max-requests 120]
//   [--processes 1] [--keep]
// --processes is WEB_CONCURRENCY: with more than one, each kill is a SIGKILL to the primary and
// every web process at once.
// Each kill comes after a random number of requests (between the two bounds) since the
// server last came up, so a slow or busy machine still sees writes in every life.
// Exits non-zero on any lost write, failed check or unexpected response.
//
// SIGKILL is a process crash, not a power cut: what the server committed is in the
// operating system's cache and survives, which is what synchronous=NORMAL promises
// for WAL mode. A power cut may lose the last commits under that setting (never
// corrupt the file); this test does not simulate one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { pick } from "./lists";
import {
  activePartnerEmails,
  Client,
  demoServerIn,
  isRedirect,
  type Reply,
  sleep,
  startBuiltServer,
} from "./server-process";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "5" },
    clients: { type: "string", default: "6" },
    "min-requests": { type: "string", default: "40" },
    "max-requests": { type: "string", default: "120" },
    processes: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
  },
});
const kills = Number(values.kills);
const partnerCount = Number(values.clients);
const minRequests = Number(values["min-requests"]);
const maxRequests = Number(values["max-requests"]);
const processes = Number(values.processes);
const serving = processes > 1 ? `${processes} web processes` : "one process";
const log = (message: string) => console.error(`[crash-test] ${message}`);
const demoPassword = "asklog-demo";

type Kind = "ask" | "comment" | "status" | "vote" | "unvote";
type Outcome = "acknowledged" | "in-flight" | "refused" | "error";
type Attempt = {
  kind: Kind;
  client: string;
  askId: number;
  marker: string;
  outcome: Outcome;
  // Asks and comments: the id the server's redirect named.
  id?: number;
  detail?: string;
};

// ---------------------------------------------------------------- the server and its lives
const dir = mkdtempSync(join(tmpdir(), "asklog-crash-"));
const { databasePath, server } = await demoServerIn(dir, {
  ADMIN_EMAIL: "crash-admin@asklog.example",
  ADMIN_PASSWORD: "crash-test-admin-password",
  WEB_CONCURRENCY: String(processes),
});

// Which life of the server a request started in; a request whose life ended
// before it was answered was in flight at a kill.
const life = { number: 0, up: false, ready: Promise.resolve() };
let markReady = () => {};
let stopping = false;

const attempts: Attempt[] = [];
const problems: string[] = [];
let requests = 0;
let inFlightFailures = 0;
let sessionsLost = 0;

function problem(message: string) {
  problems.push(message);
  log(`PROBLEM ${message}`);
}

// ---------------------------------------------------------------- one client
type Target = { id: number; path: string };
// A reply, or why there is none: "cut" when the server was killed before it answered.
type Sent = Reply | "cut" | "failed";
const acknowledges = (r: Sent) => typeof r === "object" && isRedirect(r.status) && !r.location?.startsWith("/signin");

class Writer {
  private client = new Client(server.base);
  private count = 0;

  constructor(
    readonly email: string,
    private readonly targets: Target[],
  ) {}

  // Bracketed, so that no marker is a prefix of another.
  private marker(): string {
    this.count += 1;
    return `[crash-${this.email.split("@")[0]}-${this.count}]`;
  }

  private async send(request: () => Promise<Reply>, describe: string): Promise<Sent> {
    await life.ready;
    const started = life.number;
    requests += 1;
    try {
      const reply = await request();
      if (reply.status >= 500) {
        problem(`${describe} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
      } else if (reply.status === 302 && reply.location?.startsWith("/signin")) {
        // The session the server acknowledged at sign-in is gone.
        sessionsLost += 1;
        problem(`${describe}: session of ${this.email} lost (sent to ${reply.location})`);
        await this.signIn();
      }
      return reply;
    } catch (error) {
      if (life.number !== started || !life.up) {
        inFlightFailures += 1;
        return "cut";
      }
      problem(`${describe} failed while the server was up: ${(error as Error).cause ?? error}`);
      return "failed";
    }
  }

  async signIn(): Promise<void> {
    for (let tries = 0; tries < 20; tries++) {
      const reply = await this.send(() => this.client.signIn(this.email, demoPassword), `sign-in ${this.email}`);
      if (acknowledges(reply)) return;
      if (typeof reply === "object") throw new Error(`sign-in as ${this.email} answered ${reply.status}`);
    }
    throw new Error(`sign-in as ${this.email} failed 20 times`);
  }

  private record(attempt: Omit<Attempt, "client" | "outcome">, reply: Sent, ok = acknowledges) {
    let outcome: Outcome = reply === "cut" ? "in-flight" : "error";
    if (typeof reply === "object") outcome = ok(reply) ? "acknowledged" : reply.status >= 500 ? "error" : "refused";
    if (outcome === "refused" && typeof reply === "object") {
      problem(`${attempt.kind} ${attempt.marker} on ask ${attempt.askId} refused with ${reply.status}`);
    }
    const full: Attempt = { ...attempt, client: this.email, outcome };
    attempts.push(full);
    return full;
  }

  async fileAsk(): Promise<void> {
    const marker = this.marker();
    const fields = {
      title: `${pick(["Partner rebate report", "Clearer CPOR guidance", "Export of co-sell deals"])} ${marker}`,
      body: `Filed by the crash test (${marker}).`,
      categoryId: String(pick(categoryIds)),
      intent: "file",
    };
    const describe = `POST /asks/new ${marker}`;
    let reply = await this.send(() => this.client.post("/asks/new", fields), describe);
    // The first submit may answer with similar asks; "File anyway" sends confirmed=1.
    if (typeof reply === "object" && reply.status === 200 && reply.body.includes('name="confirmed"')) {
      reply = await this.send(() => this.client.post("/asks/new", { ...fields, confirmed: "1" }), describe);
    }
    const location = typeof reply === "object" ? (reply.location ?? "") : "";
    const id = Number(/^\/asks\/(\d+)-/.exec(location)?.[1]);
    const attempt = this.record({ kind: "ask", askId: id || 0, marker }, reply, (r) => acknowledges(r) && id > 0);
    if (attempt.outcome === "acknowledged") {
      attempt.id = id;
      allTargets.push({ id, path: location });
      this.targets.push({ id, path: location });
    }
  }

  async comment(): Promise<void> {
    const target = pick(allTargets);
    const marker = this.marker();
    const reply = await this.send(
      () => this.client.post(target.path, { intent: "comment", body: `Crash test comment ${marker}` }),
      `POST ${target.path} comment ${marker}`,
    );
    const id = Number(/#comment-(\d+)$/.exec(typeof reply === "object" ? (reply.location ?? "") : "")?.[1]);
    const attempt = this.record({ kind: "comment", askId: target.id, marker }, reply, (r) => acknowledges(r) && id > 0);
    if (attempt.outcome === "acknowledged") attempt.id = id;
  }

  async vote(): Promise<void> {
    const target = pick(this.targets.length ? this.targets : allTargets);
    const intent = Math.random() < 0.6 ? "vote" : "unvote";
    const reply = await this.send(
      () => this.client.post(target.path, { intent }),
      `POST ${target.path} ${intent} as ${this.email}`,
    );
    this.record({ kind: intent, askId: target.id, marker: "" }, reply);
  }

  async statusUpdate(): Promise<void> {
    const target = pick(allTargets);
    const marker = this.marker();
    const path = `${target.path}/status`;
    const reply = await this.send(
      () =>
        this.client.post(path, {
          intent: "create",
          statusId: String(pick(openStatusIds)),
          teamId: String(teamId),
          note: `Crash test status note ${marker}`,
          aboutDate: "",
        }),
      `POST ${path} ${marker}`,
    );
    this.record({ kind: "status", askId: target.id, marker }, reply);
  }
}

// ---------------------------------------------------------------- run
let categoryIds: number[] = [];
let openStatusIds: number[] = [];
let teamId = 0;
const allTargets: Target[] = [];
let failed = true;
const restartMs: number[] = [];
const startedAt = performance.now();

async function partner(writer: Writer) {
  await writer.signIn();
  while (!stopping) {
    const roll = Math.random();
    if (roll < 0.15) await writer.fileAsk();
    else if (roll < 0.45) await writer.comment();
    else await writer.vote();
  }
}

async function team(writer: Writer) {
  await writer.signIn();
  while (!stopping) {
    if (Math.random() < 0.7) await writer.statusUpdate();
    else await writer.comment();
  }
}

try {
  await startBuiltServer(server, databasePath, log);
  life.number = 1;
  life.up = true;

  // The inputs a browser would read off the pages: demo partners, open asks, the choices of the forms.
  const setup = new Database(databasePath, { readonly: true, fileMustExist: true });
  const partners = activePartnerEmails(setup, partnerCount);
  const openAsks = setup
    .prepare(`SELECT a.id, a.slug FROM asks a JOIN statuses s ON s.id = a.status_id
      WHERE s.accepts_votes = 1 AND s.is_closed = 0 AND a.hidden_at IS NULL AND a.duplicate_of_id IS NULL
        AND a.comments_locked_at IS NULL`)
    .all() as { id: number; slug: string }[];
  // Status updates move asks only between open statuses that take votes, so no vote is refused.
  openStatusIds = (
    setup.prepare("SELECT id FROM statuses WHERE accepts_votes = 1 AND is_closed = 0").all() as { id: number }[]
  ).map((r) => r.id);
  categoryIds = (setup.prepare("SELECT id FROM categories").all() as { id: number }[]).map((r) => r.id);
  teamId = (
    setup.prepare("SELECT team_id FROM users WHERE email = 'tariq@asklog.example'").get() as { team_id: number }
  ).team_id;
  setup.close();
  for (const a of openAsks) allTargets.push({ id: a.id, path: `/asks/${a.id}-${a.slug}` });
  if (partners.length < partnerCount || !openAsks.length || !openStatusIds.length || !teamId) {
    throw new Error("the demo data is missing partners, open asks, statuses or the EPX team");
  }

  // Each partner votes on a few asks of their own, so some (user, ask) pairs see many toggles.
  const writers = partners.map(
    (email, i) =>
      new Writer(
        email,
        allTargets.filter((_, j) => j % partners.length === i),
      ),
  );
  const clients = [...writers.map((w) => partner(w)), team(new Writer("tariq@asklog.example", []))].map((c) =>
    c.catch((error: Error) => problem(`a client stopped: ${error.message}`)),
  );
  log(`${partners.length} partners and 1 team member writing; ${kills} kills ahead`);

  // Counted from when the server is back up, so every life sees writes however slow the machine.
  const afterRequests = async (n: number) => {
    const until = requests + n;
    const limit = Date.now() + 180_000;
    while (requests < until) {
      if (Date.now() > limit) throw new Error(`no ${n} requests within 180 s:\n${problems.slice(-5).join("\n")}`);
      await sleep(20);
    }
  };
  for (let k = 1; k <= kills; k++) {
    await afterRequests(Math.round(minRequests + Math.random() * (maxRequests - minRequests)));
    life.up = false;
    life.number += 1;
    life.ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const killedAt = performance.now();
    await server.kill();
    log(`kill ${k}: SIGKILL to ${serving} after ${requests} requests; restarting`);
    await server.start();
    restartMs.push(performance.now() - killedAt);
    life.up = true;
    markReady();
  }
  await afterRequests(minRequests);
  stopping = true;
  await Promise.all(clients);
  await server.stop();
  const seconds = (performance.now() - startedAt) / 1000;

  // ---------------------------------------------------------------- what is in the file
  const db = new Database(databasePath, { fileMustExist: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  const foreignKeyProblems = (db.pragma("foreign_key_check") as unknown[]).length;
  const counterMismatches = db
    .prepare(`SELECT a.id, a.vote_count, a.comment_count, a.organization_count,
        (SELECT count(*) FROM votes v WHERE v.ask_id = a.id) AS votes,
        (SELECT count(*) FROM comments c WHERE c.ask_id = a.id AND c.deleted_at IS NULL AND c.hidden_at IS NULL) AS comments,
        (SELECT count(DISTINCT u.organization_id) FROM votes v JOIN users u ON u.id = v.user_id WHERE v.ask_id = a.id)
          AS organizations
      FROM asks a WHERE a.vote_count <> votes OR a.comment_count <> comments OR a.organization_count <> organizations`)
    .all();
  const copies: Record<"ask" | "comment" | "status", Database.Statement> = {
    ask: db.prepare("SELECT id FROM asks WHERE instr(title, ?) > 0"),
    comment: db.prepare("SELECT id FROM comments WHERE instr(body, ?) > 0"),
    status: db.prepare("SELECT id FROM status_updates WHERE instr(note, ?) > 0"),
  };
  const voted = db.prepare("SELECT 1 FROM votes WHERE ask_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)");

  const acknowledged: Record<string, { total: number; found: number }> = {};
  const inFlight = { total: 0, present: 0 };
  const tally = (kind: string, found: boolean) => {
    acknowledged[kind] ??= { total: 0, found: 0 };
    acknowledged[kind].total += 1;
    if (found) acknowledged[kind].found += 1;
  };
  const lost: string[] = [];

  for (const a of attempts) {
    if (a.kind === "vote" || a.kind === "unvote") continue;
    const rows = copies[a.kind].all(a.marker) as { id: number }[];
    if (rows.length > 1) problem(`${a.kind} ${a.marker} is in the database ${rows.length} times`);
    if (a.outcome === "acknowledged") {
      const found = rows.length === 1 && (a.id === undefined || rows[0]?.id === a.id);
      tally(a.kind === "status" ? "status updates" : `${a.kind}s`, found);
      if (!found) lost.push(`${a.kind} ${a.marker} (id ${a.id ?? "?"}, by ${a.client})`);
    } else if (a.outcome === "in-flight") {
      inFlight.total += 1;
      if (rows.length) inFlight.present += 1;
    }
  }

  // Votes: each client votes in sequence, so the last acknowledged vote or retraction
  // on an ask is its final state, unless a later one was in flight at a kill.
  const pairs = new Map<string, Attempt[]>();
  for (const a of attempts) {
    if (a.kind !== "vote" && a.kind !== "unvote") continue;
    const key = `${a.client} ${a.askId}`;
    pairs.set(key, [...(pairs.get(key) ?? []), a]);
  }
  const votes = { pairs: 0, checked: 0, found: 0, unsure: 0 };
  for (const [key, list] of pairs) {
    votes.pairs += 1;
    let lastAcknowledged = list.length - 1;
    while (lastAcknowledged >= 0 && list[lastAcknowledged]?.outcome !== "acknowledged") lastAcknowledged -= 1;
    const last = list[lastAcknowledged];
    if (!last) continue;
    if (list.slice(lastAcknowledged + 1).some((a) => a.outcome === "in-flight" || a.outcome === "error")) {
      votes.unsure += 1;
      continue;
    }
    votes.checked += 1;
    const present = voted.get(last.askId, last.client) !== undefined;
    if (present === (last.kind === "vote")) votes.found += 1;
    else
      lost.push(
        `${last.kind} by ${key.replace(" ", " on ask ")}: the database says ${present ? "voted" : "not voted"}`,
      );
  }
  const voteChanges = attempts.filter((a) => a.kind === "vote" || a.kind === "unvote");
  const voteChangesAcknowledged = voteChanges.filter((a) => a.outcome === "acknowledged").length;
  const voteChangesInFlight = voteChanges.filter((a) => a.outcome === "in-flight").length;
  db.close();

  // ---------------------------------------------------------------- report
  const writes = Object.values(acknowledged).reduce((s, t) => s + t.total, 0);
  const found = Object.values(acknowledged).reduce((s, t) => s + t.found, 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `\ncrash test: ${kills} SIGKILLs, ${kills + 1} starts on one database, ${serving}, ${seconds.toFixed(0)} s`,
  );
  console.log(
    `  back up after a kill in ${(median(restartMs) / 1000).toFixed(1)} s (median; longest ${(Math.max(0, ...restartMs) / 1000).toFixed(1)} s)`,
  );
  console.log(`  requests: ${requests} (${inFlightFailures} cut off by a kill); sessions lost: ${sessionsLost}`);
  for (const [kind, t] of Object.entries(acknowledged)) {
    console.log(
      `  ${kind.padEnd(15)} acknowledged ${String(t.total).padStart(5)}, found ${String(t.found).padStart(5)}`,
    );
  }
  console.log(
    `  vote changes    acknowledged ${String(voteChangesAcknowledged).padStart(5)}; final state of ${votes.checked} ` +
      `(partner, ask) pairs as acknowledged: ${votes.found} (${votes.unsure} more left open by a vote in flight at a kill)`,
  );
  console.log(
    `  in flight at a kill (unacknowledged): ${inFlight.total} asks, comments and status updates, ` +
      `${inFlight.present} present afterwards and ${inFlight.total - inFlight.present} absent; ${voteChangesInFlight} vote changes`,
  );
  console.log(
    `  acknowledged writes: ${writes + voteChangesAcknowledged}; found: ${found} of ${writes} records and ` +
      `${votes.found} of ${votes.checked} final vote states; lost: ${lost.length}`,
  );
  console.log(
    `  integrity_check: ${integrity}; foreign_key_check: ${foreignKeyProblems} rows; ` +
      `counters not matching rows: ${counterMismatches.length} asks`,
  );
  console.log(`  errors (unexpected responses or failures): ${problems.length}`);
  for (const l of lost) console.log(`  LOST ${l}`);
  for (const m of counterMismatches) console.log(`  COUNTER ${JSON.stringify(m)}`);
  for (const p of problems.slice(0, 20)) console.log(`  ERROR ${p}`);

  failed =
    lost.length > 0 ||
    found !== writes ||
    integrity !== "ok" ||
    foreignKeyProblems > 0 ||
    counterMismatches.length > 0 ||
    problems.length > 0 ||
    writes === 0;
  if (problems.length) console.log(`\nserver output (last 4,000 characters):\n${server.output.slice(-4000)}`);
  console.log(failed ? "\ncrash test FAILED" : "\ncrash test passed: nothing acknowledged was lost");
} finally {
  stopping = true;
  await server.kill();
  if (failed || values.keep) log(`database kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
