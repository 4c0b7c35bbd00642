// Page benchmark: Asklog (Remix + express, production build) side by side
// with a framework-free baseline (scripts/baseline-server.ts) running the same
// SQL on the same database. Usage:
//   npm run bench -- [--db bench/asklog-bench.db] [--duration 10] [--connections 20] [--rounds 2] [--quick]
//     [--query "rebate payments"] [--asks 100000] [--skip-mail] [--skip-import]
// Then the mail benchmark (scripts/bench-mail.ts) unless --skip-mail, and the import and export
// benchmark (scripts/bench-import.ts) unless --skip-import; `npm run bench:mail` and
// `npm run bench:import` run them alone.
// --quick: 3-second runs, one round. Results: a table on stdout and bench/results/<timestamp>.json.
// The API rows read /api/v1/asks and /api/v1/asks/<n> anonymously from both servers, after
// checking that their JSON has the same fields and asks.
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { benchImport, saveImportResult } from "./bench-import";
import { benchMail } from "./bench-mail";
import { jsonMismatches, valueDifferences } from "./same-json";
import { deepestChild, freePort, rssMiB, serverEntry, setCookiePairs } from "./server-process";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "bench/asklog-bench.db" },
    duration: { type: "string" },
    connections: { type: "string", default: "20" },
    rounds: { type: "string" },
    quick: { type: "boolean", default: false },
    query: { type: "string", default: "rebate payments" },
    asks: { type: "string", default: "100000" },
    "skip-mail": { type: "boolean", default: false },
    "skip-import": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench -- [options]
  --db <file>          the benchmark database (default bench/asklog-bench.db; made with --asks asks if missing)
  --duration <s>       seconds per measured run (default 10, 3 with --quick)
  --connections <n>    concurrent connections (default 20)
  --rounds <n>         measured runs per row and server (default 2, 1 with --quick)
  --quick              3-second runs, one round
  --query <words>      the search row's query (default "rebate payments")
  --asks <n>           asks in a generated database (default 100000)
  --skip-mail          leave out the mail benchmark
  --skip-import        leave out the import and export benchmark
Rows: home, ask page, search, API ask list (JSON), API one ask (JSON), vote toggle.`);
  process.exit(0);
}
const quick = values.quick;
const duration = Number(values.duration ?? (quick ? 3 : 10));
const connections = Number(values.connections);
const rounds = Number(values.rounds ?? (quick ? 1 : 2));
const warmup = 2;
const host = "127.0.0.1";
const dbPath = values.db;

// ---------------------------------------------------------------- helpers
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => console.error(`[bench] ${message}`);

async function fetchWithTimeout(url: string, init: RequestInit = {}, ms = 60_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

const children: ChildProcess[] = [];
function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout?.on("data", (d) => {
    output[name] = (output[name] ?? "") + d;
    // The server's first line says it is listening.
    listeningAt[name] ??= performance.now();
  });
  child.stderr?.on("data", (d) => {
    output[name] = (output[name] ?? "") + d;
  });
  return child;
}
const output: Record<string, string> = {};
const listeningAt: Record<string, number> = {};

async function stopAll() {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

async function waitFor200(url: string, child: ChildProcess, limitMs = 120_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before answering ${url}`);
    try {
      const res = await fetchWithTimeout(url, {}, 30_000);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`no 200 from ${url} within ${limitMs} ms`);
}

type Run = {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  bad: number; // 4xx, 5xx, errors, timeouts
  codes: Record<string, number>;
};

type Target = {
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  bodies?: string[];
  expect: (status: number) => boolean;
};

async function drive(base: string, target: Target, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: `${base}${target.path}`,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    ...(target.headers ? { headers: target.headers } : {}),
    ...(target.method ? { method: target.method } : {}),
    ...(target.bodies
      ? { requests: target.bodies.map((body) => ({ method: target.method ?? "GET", body, headers: target.headers })) }
      : {}),
  });
  const codes: Record<string, number> = {};
  let unexpected = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    codes[code] = stat.count ?? 0;
    if (!target.expect(Number(code))) unexpected += stat.count ?? 0;
  }
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: unexpected + result.errors + result.timeouts,
    codes,
  };
}

// A slow page leaves requests queued in the server after autocannon stops
// (express answers a static file in between, so a probe request proves
// nothing): wait until the server process stops using CPU.
function cpuTicks(pid: number): number {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

async function settle(pid: number, limitMs = 120_000) {
  const until = Date.now() + limitMs;
  let before = cpuTicks(pid);
  while (Date.now() < until) {
    await sleep(300);
    const now = cpuTicks(pid);
    if (now - before <= 1) return; // at most 10 ms of CPU in 300 ms
    before = now;
  }
  log(`server ${pid} still busy after ${limitMs} ms`);
}

// One request at a time: what a single visitor waits, without queueing.
async function sequential(base: string, target: Target, count = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetchWithTimeout(`${base}${target.path}`, {
      method: target.method ?? "GET",
      redirect: "manual",
      headers: target.headers,
      body: target.bodies?.[i % target.bodies.length],
    });
    await res.arrayBuffer();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
}

function combine(runs: Run[]): Run & { runs: Run[] } {
  const mean = (f: (r: Run) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const codes: Record<string, number> = {};
  for (const r of runs) for (const [c, n] of Object.entries(r.codes)) codes[c] = (codes[c] ?? 0) + n;
  return {
    reqPerSec: mean((r) => r.reqPerSec),
    p50: mean((r) => r.p50),
    p99: Math.max(...runs.map((r) => r.p99)),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    bad: runs.reduce((s, r) => s + r.bad, 0),
    codes,
    runs,
  };
}

// ---------------------------------------------------------------- setup
if (!existsSync(dbPath)) {
  log(`no database at ${dbPath}; generating one with ${values.asks} asks`);
  execSync(`npm run bench:data -- --asks ${Number(values.asks)} --out ${JSON.stringify(dbPath)}`, { stdio: "inherit" });
}
log("checking the production build");
execSync("node scripts/build-if-needed.mjs", { stdio: "inherit" });

// Inputs taken from the data: ask 1 (the ask-page case), an open ask to vote
// on, a partner to vote as, and a check that the search query finds something.
const data = new Database(dbPath, { readonly: true, fileMustExist: true });
const askOne = data.prepare("SELECT id, slug FROM asks WHERE id = 1").get() as { id: number; slug: string };
const voteAsk = data
  .prepare(`SELECT a.id, a.slug FROM asks a JOIN statuses s ON s.id = a.status_id
    WHERE s.accepts_votes = 1 AND s.is_closed = 0 AND a.hidden_at IS NULL AND a.duplicate_of_id IS NULL
    ORDER BY a.id LIMIT 1`)
  .get() as { id: number; slug: string };
const partner = data
  .prepare(`SELECT email FROM users WHERE role = 'member' AND blocked_at IS NULL AND disabled_at IS NULL
    AND email NOT LIKE '%@contoso.example' ORDER BY id LIMIT 1`)
  .get() as { email: string };
const words = values.query.match(/[\p{L}\p{N}]+/gu) ?? [];
const { hits } = data
  .prepare("SELECT count(*) AS hits FROM search_index WHERE search_index MATCH ?")
  // As the app searches: the last word is a prefix (a search also finds other forms and names, so at least these).
  .get(`(${words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" AND ")})`) as { hits: number };
data.close();
if (!hits) throw new Error(`the search query "${values.query}" finds nothing in ${dbPath}; pass another --query`);
log(`search "${values.query}": ${hits} matching asks; voting on ask ${voteAsk.id} as ${partner.email}`);

const commit = (() => {
  try {
    return execSync("git rev-parse HEAD", { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();

let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;
try {
  const [appPort, basePort] = [await freePort(), await freePort()];
  const app = `http://${host}:${appPort}`;
  const base = `http://${host}:${basePort}`;

  // ---------------------------------------------------------------- cold start
  const spawnedAt = performance.now();
  // Started as `npm start` starts it, heap cap included.
  const asklog = start("asklog", ["--max-old-space-size=192", serverEntry], {
    NODE_ENV: "production",
    SEED_DEMO: "0",
    DATABASE_PATH: dbPath,
    HOST: host,
    PORT: String(appPort),
    SESSION_SECRET: "bench-only-secret",
    // The vote run votes thousands of times a minute as one partner: with limits on it would measure 429s.
    RATE_LIMITS: "off",
  });
  await waitFor200(`${app}/`, asklog);
  const coldStartMs = performance.now() - spawnedAt;
  const readyIn = Math.round((listeningAt.asklog ?? Number.NaN) - spawnedAt);
  log(`Asklog cold start: ${Math.round(coldStartMs)} ms to the first 200 on / (listening after ${readyIn} ms)`);

  const pid = deepestChild(asklog.pid as number);
  sampler = setInterval(() => {
    const rss = rssMiB(pid);
    if (rss !== null) peakRss = Math.max(peakRss, rss);
  }, 250);

  const baseline = start("baseline", ["scripts/baseline-server.ts"], {
    DATABASE_PATH: dbPath,
    HOST: host,
    PORT: String(basePort),
  });
  await waitFor200(`${base}/asks/1`, baseline);
  const basePid = deepestChild(baseline.pid as number);

  // ---------------------------------------------------------------- client JS of a first visit
  const homeHtml = await (await fetchWithTimeout(`${app}/`)).text();
  const assets = new Set<string>();
  for (const [, src = ""] of homeHtml.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) assets.add(src);
  for (const m of homeHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*>/g)) {
    const href = /href="([^"]+)"/.exec(m[0])?.[1];
    if (href) assets.add(href);
  }
  let jsRaw = 0;
  let jsGzip = 0;
  const scripts = [...assets].filter((a) => a.startsWith("/build/"));
  for (const asset of scripts) {
    const bytes = Buffer.from(await (await fetchWithTimeout(`${app}${asset}`)).arrayBuffer());
    jsRaw += bytes.length;
    jsGzip += gzipSync(bytes).length;
  }
  log(`client JS on a first visit: ${scripts.length} files, ${(jsGzip / 1024).toFixed(1)} kB gzipped`);

  // ---------------------------------------------------------------- sign in for the vote run
  const signin = await fetchWithTimeout(`${app}/signin`, {
    method: "POST",
    redirect: "manual",
    // Writes must name their origin, as a browser's do.
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app },
    body: new URLSearchParams({ email: partner.email, password: "asklog-bench", redirectTo: "/" }).toString(),
  });
  const cookie = setCookiePairs(signin.headers).find((c) => c.startsWith("asklog_session="));
  if (!cookie) throw new Error(`sign-in as ${partner.email} failed: ${signin.status}`);

  // ---------------------------------------------------------------- runs
  const q = encodeURIComponent(values.query).replaceAll("%20", "+");
  const get = (path: string): Target => ({ path, expect: (s) => s === 200 });
  const pages: { name: string; asklog: Target; baseline: Target | null; sameJson?: boolean }[] = [
    { name: "home (trending, page 1)", asklog: get("/"), baseline: get("/") },
    {
      name: "ask page (ask 1: 50 comments, 10 updates)",
      asklog: get(`/asks/${askOne.id}-${askOne.slug}`),
      baseline: get(`/asks/${askOne.id}-${askOne.slug}`),
    },
    { name: `search "${values.query}"`, asklog: get(`/search?q=${q}`), baseline: get(`/search?q=${q}`) },
    // Anonymous, as a visitor's script reads them: the default list (newest first, first page,
    // default limit) and the ask of the ask page row, with its status updates and comments.
    { name: "API ask list (JSON)", asklog: get("/api/v1/asks"), baseline: get("/api/v1/asks"), sameJson: true },
    {
      name: "API one ask (JSON)",
      asklog: get(`/api/v1/asks/${askOne.id}`),
      baseline: get(`/api/v1/asks/${askOne.id}`),
      sameJson: true,
    },
    {
      name: "vote toggle (POST, signed in)",
      asklog: {
        path: `/asks/${voteAsk.id}-${voteAsk.slug}`,
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: app },
        bodies: ["intent=vote", "intent=unvote"],
        expect: (s) => s === 302 || s === 303,
      },
      baseline: null,
    },
  ];

  // A ratio means something only if both servers answer the same JSON: check before measuring.
  for (const page of pages) {
    if (!page.sameJson || !page.baseline) continue;
    const answers = await Promise.all(
      [`${app}${page.asklog.path}`, `${base}${page.baseline.path}`].map(async (url) => {
        const res = await fetchWithTimeout(url);
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${page.name}: ${url} answered ${res.status}: ${text.slice(0, 300)}`);
        return JSON.parse(text) as unknown;
      }),
    );
    const mismatches = jsonMismatches(answers[0], answers[1]);
    if (mismatches.length) {
      throw new Error(
        `${page.name}: Asklog and the baseline answer different JSON, so their ratio would compare unlike work. Bring scripts/baseline-server.ts in line with app/services/api-operations.server.ts:\n  ${mismatches.join("\n  ")}`,
      );
    }
    const differences = valueDifferences(answers[0], answers[1], [app, base]);
    log(
      `${page.name}: same fields and asks from both servers${differences.length ? `; values differ in ${differences.length} places, first ${differences.slice(0, 3).join("; ")}` : ", same values"}`,
    );
  }

  const rows = [];
  for (const page of pages) {
    const measured: Record<"asklog" | "baseline", Run[]> = { asklog: [], baseline: [] };
    const single: Record<"asklog" | "baseline", number | null> = { asklog: null, baseline: null };
    const sides = [
      { key: "asklog" as const, url: app, pid, target: page.asklog },
      ...(page.baseline ? [{ key: "baseline" as const, url: base, pid: basePid, target: page.baseline }] : []),
    ];
    for (const side of sides) {
      log(`${page.name} · ${side.key}: ${warmup} s warm-up`);
      await drive(side.url, side.target, warmup);
      await settle(side.pid);
      single[side.key] = await sequential(side.url, side.target);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const side of sides) {
        const run = await drive(side.url, side.target, duration);
        await settle(side.pid);
        log(
          `${page.name} · ${side.key} round ${round}: ${run.reqPerSec.toFixed(1)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, codes ${JSON.stringify(run.codes)}, bad ${run.bad}`,
        );
        measured[side.key].push(run);
      }
    }
    const a = combine(measured.asklog);
    const b = measured.baseline.length ? combine(measured.baseline) : null;
    rows.push({ route: page.name, asklog: a, baseline: b, ratio: b ? a.reqPerSec / b.reqPerSec : null, single });
  }
  clearInterval(sampler);

  // ---------------------------------------------------------------- report
  const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
  const lines = [
    "| route | Asklog req/s | baseline req/s | ratio | Asklog p50 / p99 ms | baseline p50 / p99 ms | Asklog bad responses | one request at a time, Asklog / baseline ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.route} | ${n(r.asklog.reqPerSec, 1)} | ${r.baseline ? n(r.baseline.reqPerSec, 1) : "–"} | ${
          r.ratio === null ? "–" : `${n(r.ratio * 100)}%`
        } | ${n(r.asklog.p50)} / ${n(r.asklog.p99)} | ${
          r.baseline ? `${n(r.baseline.p50)} / ${n(r.baseline.p99)}` : "–"
        } | ${r.asklog.bad} | ${n(r.single.asklog ?? 0, 1)} / ${r.single.baseline === null ? "–" : n(r.single.baseline, 1)} |`,
    ),
  ];
  const summary = {
    peakRssMiB: Math.round(peakRss),
    coldStartMs: Math.round(coldStartMs),
    listeningAfterMs: readyIn,
    clientJs: { files: scripts.length, rawBytes: jsRaw, gzipBytes: jsGzip },
  };
  console.log(`\n${lines.join("\n")}\n`);
  console.log(`peak RSS (Asklog server process): ${summary.peakRssMiB} MiB`);
  console.log(`cold start (spawn to first 200 on /): ${n(coldStartMs)} ms; listening after ${readyIn} ms`);
  console.log(
    `client JS on a first visit to /: ${scripts.length} files, ${n(jsRaw / 1024, 1)} kB raw, ${n(jsGzip / 1024, 1)} kB gzipped`,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${stamp}.json`;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        commit,
        machine: { cpus: cpus().length, loadavg: loadavg() },
        options: { db: dbPath, duration, connections, rounds, warmup, quick, query: values.query },
        inputs: { askPage: askOne, voteAsk, partner: partner.email, searchHits: hits },
        rows,
        ...summary,
        table: lines.join("\n"),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results: ${file} (commit ${commit.slice(0, 12)})`);
} catch (error) {
  for (const [name, text] of Object.entries(output)) log(`${name} output:\n${text.slice(-2000)}`);
  throw error;
} finally {
  if (sampler) clearInterval(sampler);
  await stopAll();
}

if (!values["skip-mail"]) {
  const mail = await benchMail(quick ? { followers: 2_000, posts: 5 } : {});
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, "-")}-mail.json`;
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), commit, ...mail }, null, 2)}\n`);
  console.log(`mail results: ${file}`);
}

if (!values["skip-import"]) {
  const imported = await benchImport({ asks: Number(values.asks) });
  console.log(`import results: ${saveImportResult(imported, commit)}`);
}
