// Soak test: the production server on a temporary database with the demo data, kept
// busy for a bounded time by 20 signed-in connections on loopback reading (home, ask
// pages, search, feeds) and writing (votes, comments), while its memory is sampled.
// Usage: tsx scripts/soak.ts [--seconds 300] [--connections 20] [--processes 1] [--keep]
// (--seconds defaults to SOAK_SECONDS, else 300; --processes is WEB_CONCURRENCY, and with more
// than one the memory of each web process is checked.) Exits non-zero on any 5xx, failed
// request or unexpected status, on memory that keeps growing, or on a database that
// fails its checks afterwards.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { at, pick } from "./lists";
import {
  activePartnerEmails,
  Client,
  demoServerIn,
  isRedirect,
  type Reply,
  rssMiB,
  startBuiltServer,
} from "./server-process";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: process.env.SOAK_SECONDS ?? "300" },
    connections: { type: "string", default: "20" },
    processes: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const processes = Number(values.processes);
if (!(seconds >= 15) || !(connections >= 1))
  throw new Error("--seconds must be at least 15 and --connections at least 1");
const log = (message: string) => console.error(`[soak] ${message}`);

// ---------------------------------------------------------------- the mix
type Ask = { id: number; slug: string; open: boolean };
type Kind = "home" | "ask page" | "search" | "feed" | "vote" | "comment";
type Probe = { kind: Kind; run: (c: Connection) => Promise<Reply>; expect: (r: Reply) => boolean };

const searches = ["CPOR", "rebate", "partner of record", "POE", "co-sell", "Partner Center", "incentive", "deal regi"];
const ok = (r: Reply) => r.status === 200;
const redirected = (r: Reply) => isRedirect(r.status) && !r.location?.startsWith("/signin");
const path = (a: Ask) => `/asks/${a.id}-${a.slug}`;
let asks: Ask[] = [];
let openAsks: Ask[] = [];

// Weights add up to 100: mostly reads, as on a real portal, with a steady stream of writes.
const mix: [number, Probe][] = [
  [15, { kind: "home", run: (c) => c.client.get(pick(["/", "/", "/?sort=newest", "/?sort=top"])), expect: ok }],
  [30, { kind: "ask page", run: (c) => c.client.get(path(pick(asks))), expect: ok }],
  [15, { kind: "search", run: (c) => c.client.get(`/search?q=${encodeURIComponent(pick(searches))}`), expect: ok }],
  [
    10,
    {
      kind: "feed",
      run: (c) =>
        c.client.get(
          pick([
            "/feeds/updates.atom",
            `${path(pick(asks))}/feed.atom`,
            `/search.atom?q=${encodeURIComponent(pick(searches))}`,
          ]),
        ),
      expect: ok,
    },
  ],
  [
    20,
    {
      kind: "vote",
      run: (c) => {
        // Each connection toggles its own vote, so votes are cast and retracted all along.
        const ask = pick(openAsks);
        const intent = c.voted.has(ask.id) ? "unvote" : "vote";
        if (intent === "vote") c.voted.add(ask.id);
        else c.voted.delete(ask.id);
        return c.client.post(path(ask), { intent });
      },
      expect: redirected,
    },
  ],
  [
    10,
    {
      kind: "comment",
      run: (c) =>
        c.client.post(path(pick(openAsks)), {
          intent: "comment",
          body: `Soak comment ${c.written++} from connection ${c.index}: still needed for our **rebate** reports.`,
        }),
      expect: redirected,
    },
  ],
];

function pickProbe(): Probe {
  let roll = Math.random() * 100;
  for (const [weight, request] of mix) {
    roll -= weight;
    if (roll < 0) return request;
  }
  return at(mix, 0)[1];
}

type Connection = { index: number; client: Client; voted: Set<number>; written: number };
type Stats = { count: number; statuses: Record<string, number>; ms: number[] };
const stats = new Map<Kind, Stats>();
const failures: string[] = [];
let served = 0;
let fiveHundreds = 0;

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const median = (xs: number[]) => percentile(xs, 50);

// ---------------------------------------------------------------- memory
// Two series, over windows of a fifth of the run (at most 60 s): RSS of the serving
// process every 2 s, read from /proc, and the heap it still uses right after a full
// garbage collection every 5 s, written by scripts/heap-probe.cjs loaded into it.
// The first window is warm-up (JIT, caches, V8 sizing its heap) and sets no baseline;
// the median of the second window is the baseline; the run fails if the median of the
// last window is more than 50% above it, for either series. Medians of 6–30 samples
// ride over single collections, and a 50% rise that lasts to the end is growth, not
// noise. The forced collections are what make RSS usable: without them V8 lets
// garbage pile up in proportion to the request rate, and RSS wandered between 160
// and 340 MiB with no leak (its heap capped at 100 MiB, the same load ran flat).
const memoryGrowthLimit = 1.5;
const window = Math.min(60, seconds / 5);
// At most every 5 s, and often enough for four heap samples in a window: a 20-second run
// (4-second windows) would otherwise have windows without any.
const heapEveryMs = Math.max(1000, Math.min(5000, Math.floor((window * 1000) / 4)));
type Sample = { at: number; mib: number };
// Per web process, by pid.
const rssSamples = new Map<number, Sample[]>();

function growth(samples: Sample[], elapsed: number, window: number) {
  const within = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to).map((s) => s.mib);
  const baseline = median(within(window, 2 * window));
  const last = median(within(elapsed - window, elapsed + 1));
  const trace: string[] = [];
  for (let at = 0; at + 5 < elapsed; at += 10) trace.push(median(within(at, at + 10)).toFixed(0));
  return {
    warmUp: median(within(0, window)),
    baseline,
    last,
    peak: Math.max(...samples.map((s) => s.mib)),
    ratio: last / baseline,
    ok: baseline > 0 && last / baseline <= memoryGrowthLimit,
    trace: trace.join(" "),
    count: samples.length,
  };
}

function heapSamples(file: string, pid: number, startedAt: number): Sample[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const [time = 0, from = 0, heapUsed = 0] = line.split(" ").map(Number);
      return { time, from, heapUsed };
    })
    .filter(({ time, from }) => from === pid && time >= startedAt)
    .map(({ time, heapUsed }) => ({ at: (time - startedAt) / 1000, mib: heapUsed / 1024 / 1024 }));
}

// ---------------------------------------------------------------- run
const dir = mkdtempSync(join(tmpdir(), "asklog-soak-"));
const heapLog = join(dir, "heap.log");
const { databasePath, server } = await demoServerIn(dir, {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require "${fileURLToPath(new URL("./heap-probe.cjs", import.meta.url))}"`,
  ASKLOG_HEAP_LOG: heapLog,
  ASKLOG_HEAP_EVERY_MS: String(heapEveryMs),
  WEB_CONCURRENCY: String(processes),
});
let failed = true;
let sampler: NodeJS.Timeout | undefined;

try {
  await startBuiltServer(server, databasePath, log);

  const setup = new Database(databasePath, { readonly: true, fileMustExist: true });
  asks = setup
    .prepare(`SELECT a.id, a.slug, s.accepts_votes = 1 AND s.is_closed = 0 AND a.duplicate_of_id IS NULL
        AND a.comments_locked_at IS NULL AS open
      FROM asks a JOIN statuses s ON s.id = a.status_id WHERE a.hidden_at IS NULL`)
    .all() as Ask[];
  openAsks = asks.filter((a) => a.open);
  const partners = activePartnerEmails(setup);
  setup.close();
  if (!openAsks.length || !partners.length) throw new Error("the demo data has no open asks or no partners");

  const pool: Connection[] = [];
  for (let index = 0; index < connections; index++) {
    const client = new Client(server.base);
    const reply = await client.signIn(at(partners, index % partners.length), "asklog-demo");
    if (!redirected(reply)) throw new Error(`sign-in answered ${reply.status}`);
    pool.push({ index, client, voted: new Set(), written: 0 });
  }

  const pids = server.webPids();
  if (pids.length !== processes) throw new Error(`expected ${processes} web processes, found ${pids.length}`);
  const startedAt = performance.now();
  const startedAtEpoch = Date.now();
  const deadline = startedAt + seconds * 1000;
  const sample = () => {
    for (const pid of pids) {
      const mib = rssMiB(pid);
      if (mib === null) continue;
      const samples = rssSamples.get(pid) ?? [];
      rssSamples.set(pid, samples);
      samples.push({ at: (performance.now() - startedAt) / 1000, mib });
    }
  };
  sample();
  sampler = setInterval(sample, 2000);
  let lastReport = startedAt;
  log(`${connections} connections for ${seconds} s`);

  await Promise.all(
    pool.map(async (connection) => {
      while (performance.now() < deadline) {
        const request = pickProbe();
        const t0 = performance.now();
        let reply: Reply | undefined;
        try {
          reply = await request.run(connection);
        } catch (error) {
          failures.push(`${request.kind}: ${(error as Error).cause ?? error}`);
        }
        const s = stats.get(request.kind) ?? { count: 0, statuses: {}, ms: [] };
        stats.set(request.kind, s);
        s.count += 1;
        s.ms.push(performance.now() - t0);
        if (!reply) continue;
        served += 1;
        s.statuses[reply.status] = (s.statuses[reply.status] ?? 0) + 1;
        if (reply.status >= 500) fiveHundreds += 1;
        if (!request.expect(reply)) {
          failures.push(`${request.kind} answered ${reply.status} ${reply.location ?? ""} ${reply.body.slice(0, 200)}`);
        }
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          const rss = pids.map((pid) => `${(rssSamples.get(pid)?.at(-1)?.mib ?? 0).toFixed(0)}`).join(" + ");
          log(`${Math.round((lastReport - startedAt) / 1000)} s: ${served} served, RSS ${rss} MiB`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  clearInterval(sampler);
  await server.stop();

  // The database after all that: sound, and its counters still match their rows.
  const db = new Database(databasePath, { fileMustExist: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  const foreignKeyProblems = (db.pragma("foreign_key_check") as unknown[]).length;
  const counterMismatches = (
    db
      .prepare(`SELECT count(*) AS n FROM asks a
        WHERE a.vote_count <> (SELECT count(*) FROM votes v WHERE v.ask_id = a.id)
           OR a.comment_count <> (SELECT count(*) FROM comments c WHERE c.ask_id = a.id
                                  AND c.deleted_at IS NULL AND c.hidden_at IS NULL)
           OR a.organization_count <> (SELECT count(DISTINCT u.organization_id) FROM votes v
                                       JOIN users u ON u.id = v.user_id WHERE v.ask_id = a.id)`)
      .get() as { n: number }
  ).n;
  db.close();

  // ---------------------------------------------------------------- report
  const label = (name: string, pid: number) => (pids.length > 1 ? `${name} of web process ${pid}` : name);
  const series = pids.flatMap((pid) => [
    [label("server RSS", pid), growth(rssSamples.get(pid) ?? [], elapsed, window)] as const,
    [label("heap after a full GC", pid), growth(heapSamples(heapLog, pid, startedAtEpoch), elapsed, window)] as const,
  ]);

  console.log(
    `\nsoak: ${connections} connections, ${processes} web process${processes > 1 ? "es" : ""}, ${elapsed.toFixed(0)} s, ${served} requests served (${(served / elapsed).toFixed(1)}/s)`,
  );
  console.log("| requests | count | statuses | p50 ms | p95 ms | p99 ms |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: |");
  for (const [kind, s] of stats) {
    const codes = Object.entries(s.statuses)
      .map(([code, n]) => `${code}: ${n}`)
      .join(", ");
    console.log(
      `| ${kind} | ${s.count} | ${codes} | ${median(s.ms).toFixed(0)} | ${percentile(s.ms, 95).toFixed(0)} | ${percentile(s.ms, 99).toFixed(0)} |`,
    );
  }
  console.log(`5xx responses: ${fiveHundreds}; failed or unexpected: ${failures.length}`);
  const percent = (ratio: number) => `${ratio >= 1 ? "+" : ""}${((ratio - 1) * 100).toFixed(0)}%`;
  for (const [name, g] of series) {
    console.log(
      `${name} (MiB, medians of ${window.toFixed(0)} s windows): warm-up ${g.warmUp.toFixed(0)}, ` +
        `after warm-up ${g.baseline.toFixed(0)}, last ${g.last.toFixed(0)} (${percent(g.ratio)}; ` +
        `limit ${percent(memoryGrowthLimit)}), peak ${g.peak.toFixed(0)}; ${g.count} samples`,
    );
    console.log(`  every 10 s: ${g.trace}`);
  }
  console.log(
    `database afterwards: integrity_check ${integrity}, foreign_key_check ${foreignKeyProblems} rows, ` +
      `counters not matching rows: ${counterMismatches} asks`,
  );
  for (const f of failures.slice(0, 20)) console.log(`  FAILED ${f}`);

  failed =
    fiveHundreds > 0 ||
    failures.length > 0 ||
    series.some(([, g]) => !g.ok) ||
    integrity !== "ok" ||
    foreignKeyProblems > 0 ||
    counterMismatches > 0 ||
    served === 0;
  if (fiveHundreds || failures.length)
    console.log(`\nserver output (last 4,000 characters):\n${server.output.slice(-4000)}`);
  console.log(failed ? "\nsoak FAILED" : "\nsoak passed");
} finally {
  if (sampler) clearInterval(sampler);
  await server.kill();
  if (failed || values.keep) log(`database kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
