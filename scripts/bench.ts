// Page benchmark: Asklog (Remix + express, production build) side by side
// with a framework-free baseline (scripts/baseline-server.ts) running the same
// SQL on the same database. Usage:
//   npm run bench -- [--db bench/asklog-bench.db] [--duration 10] [--connections 20] [--rounds 2] [--quick]
//     [--query "rebate payments"] [--asks 100000] [--page-cache on|off|both] [--scaling | --skip-scaling]
//     [--skip-mail] [--skip-import]
// Then the mail benchmark (scripts/bench-mail.ts) unless --skip-mail, and the import and export
// benchmark (scripts/bench-import.ts) unless --skip-import; `npm run bench:mail` and
// `npm run bench:import` run them alone.
// --quick: 3-second runs, one round. Results: tables on stdout and bench/results/<timestamp>.json.
// The page rows (home, ask page, search) are measured for a visitor and for a signed-in partner,
// with Asklog's page cache on and off; the API rows read /api/v1/asks and /api/v1/asks/<n>
// anonymously from both servers, after checking that their JSON has the same fields and asks.
// The scaling rows run Asklog and the baseline at 1 and 2 processes. The growth run
// (scripts/bench-growth.ts) measures one request at a time on databases of different sizes.

import { type ChildProcess, execSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { get as httpGet } from "node:http";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { benchImport, saveImportResult } from "./bench-import";
import { type Combined, combine, drive, percentile, type Run, sequential, type Target, tailLimit } from "./bench-load";
import { benchMail } from "./bench-mail";
import { cpuMsBetween, type MemorySummary, processTree, RssPeaks, readCpu, settle } from "./bench-process";
import { currentCommit, saveResults } from "./bench-results";
import { jsonMismatches, valueDifferences } from "./same-json";
import { freePort, serverEntry, setCookiePairs } from "./server-process";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "bench/asklog-bench.db" },
    duration: { type: "string" },
    connections: { type: "string", default: "20" },
    rounds: { type: "string" },
    quick: { type: "boolean", default: false },
    query: { type: "string", default: "rebate payments" },
    asks: { type: "string", default: "100000" },
    "page-cache": { type: "string", default: "both" },
    scaling: { type: "boolean", default: false },
    "skip-scaling": { type: "boolean", default: false },
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
  --page-cache <mode>  Asklog's page cache for the page and 304 rows: on (the default size), off
                       (PAGE_CACHE_MB=0) or both (default); the API, vote and scaling rows use the first
  --scaling            only the worker-scaling rows: Asklog (WEB_CONCURRENCY) and the baseline (--workers)
                       at 1 and 2 processes
  --skip-scaling       leave out the worker-scaling rows
  --skip-mail          leave out the mail benchmark
  --skip-import        leave out the import and export benchmark
Rows, each for a visitor ("anonymous") and a signed-in partner ("signed-in") unless said otherwise:
  home, ask page, search (Asklog with the page cache on and off, against the baseline);
  304 (If-None-Match) on the home page (Asklog only; "no ETag" when the page carries none);
  API ask list and API one ask (JSON, anonymous); vote toggle (POST, signed in).
Scaling rows: home and ask page for both audiences, and the vote toggle, at 1 and 2 processes.
Every row has p99OverP50, flagged when above ${tailLimit}, and Asklog's CPU ms per request.
Growth on databases of several sizes: npm run bench:growth -- --help`);
  process.exit(0);
}
const pageCacheModes = { on: ["on"], off: ["off"], both: ["on", "off"] } as const;
const pageCaches = pageCacheModes[values["page-cache"] as keyof typeof pageCacheModes];
if (!pageCaches) throw new Error(`--page-cache takes on, off or both, not ${values["page-cache"]}`);
if (values.scaling && values["skip-scaling"]) throw new Error("--scaling and --skip-scaling exclude each other");
const runMain = !values.scaling;
const runScaling = values.scaling || !values["skip-scaling"];
const quick = values.quick;
const duration = Number(values.duration ?? (quick ? 3 : 10));
const connections = Number(values.connections);
const rounds = Number(values.rounds ?? (quick ? 1 : 2));
const warmup = 2;
const host = "127.0.0.1";
const dbPath = values.db;
const sessionSecret = "bench-only-secret";

// ---------------------------------------------------------------- helpers
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => console.error(`[bench] ${message}`);

async function fetchWithTimeout(url: string, init: RequestInit = {}, ms = 60_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

type PageCache = "on" | "off";
type Server = {
  name: string;
  kind: "asklog" | "baseline";
  processes: number;
  pageCache: PageCache | null;
  url: string;
  child: ChildProcess;
  // The process the bench started: the primary that forks the workers, or the only one.
  root: number;
  memory: RssPeaks;
  output: string;
  listeningAt: number | null;
  // Distinct pids /healthz answered with over fresh connections: the processes actually serving.
  answering: number | null;
};
const servers: Server[] = [];
// Each Asklog server's process memory, kept when it stops.
const memory: Record<string, MemorySummary & { processesAnswering: number | null }> = {};

async function start(
  name: string,
  kind: Server["kind"],
  processes: number,
  pageCache: PageCache | null,
  args: string[],
  env: Record<string, string>,
): Promise<Server> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: host, PORT: String(port), ...env };
  // The default page cache is the app's own default, whatever the shell running the bench says.
  if (kind === "asklog" && pageCache === "on") delete childEnv.PAGE_CACHE_MB;
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server: Server = {
    name,
    kind,
    processes,
    pageCache,
    url: `http://${host}:${port}`,
    child,
    root: child.pid as number,
    memory: new RssPeaks(child.pid as number),
    output: "",
    listeningAt: null,
    answering: null,
  };
  servers.push(server);
  const append = (d: Buffer) => {
    server.output = (server.output + d).slice(-20_000);
  };
  child.stdout?.on("data", (d: Buffer) => {
    append(d);
    // The server's first line says it is listening.
    server.listeningAt ??= performance.now();
  });
  child.stderr?.on("data", append);
  return server;
}

function startAsklog(pageCache: PageCache, processes: number): Promise<Server> {
  // Started as `npm start` starts it, heap cap included.
  return start(
    `Asklog (page cache ${pageCache}, ${processes} ${processes === 1 ? "process" : "processes"})`,
    "asklog",
    processes,
    pageCache,
    ["--max-old-space-size=192", serverEntry],
    {
      NODE_ENV: "production",
      SEED_DEMO: "0",
      DATABASE_PATH: dbPath,
      SESSION_SECRET: sessionSecret,
      WEB_CONCURRENCY: String(processes),
      ...(pageCache === "off" ? { PAGE_CACHE_MB: "0" } : {}),
      // The vote run votes thousands of times a minute as one partner: with limits on it would measure 429s.
      RATE_LIMITS: "off",
    },
  );
}

function startBaseline(processes: number): Promise<Server> {
  return start(
    `baseline (${processes} ${processes === 1 ? "process" : "processes"})`,
    "baseline",
    processes,
    null,
    ["scripts/baseline-server.ts", "--workers", String(processes)],
    { DATABASE_PATH: dbPath, SESSION_SECRET: sessionSecret },
  );
}

async function stop(server: Server): Promise<void> {
  const { child } = server;
  const tree = processTree(server.root);
  if (server.kind === "asklog")
    memory[server.name] = { ...server.memory.summary(), processesAnswering: server.answering };
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
  // A worker its primary left behind is still one of the processes this bench started.
  for (const pid of tree.slice(1)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  servers.splice(servers.indexOf(server), 1);
}

async function waitFor200(server: Server, path: string, limitMs = 120_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited (${server.child.exitCode}) before answering ${path}`);
    }
    try {
      const res = await fetchWithTimeout(`${server.url}${path}`, {}, 30_000);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`no 200 from ${server.name} ${path} within ${limitMs} ms`);
}

// A fresh connection per request (node:cluster hands out connections, not requests), so the
// pids show how many processes take turns; null when /healthz names none (before the pid field).
async function answeringProcesses(server: Server, probes = 24): Promise<number | null> {
  const pids = new Set<number>();
  for (let i = 0; i < probes; i++) {
    const body = await new Promise<string>((resolve, reject) => {
      httpGet(`${server.url}/healthz`, { agent: false }, (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve(text));
      }).on("error", reject);
    });
    const pid = (JSON.parse(body) as { pid?: unknown }).pid;
    if (typeof pid !== "number") return null;
    pids.add(pid);
  }
  return pids.size;
}

async function ready(server: Server, path: string): Promise<void> {
  await waitFor200(server, path);
  // The first process to listen answers before the others have loaded: give them 15 seconds.
  const until = Date.now() + 15_000;
  server.answering = await answeringProcesses(server);
  while (server.answering !== null && server.answering < server.processes && Date.now() < until) {
    await sleep(500);
    server.answering = await answeringProcesses(server);
  }
  log(
    `${server.name} ready at ${server.url}; processes answering /healthz: ${server.answering ?? "unknown (no pid in /healthz)"}`,
  );
  if (server.answering !== null && server.answering < server.processes) {
    log(`${server.name}: only ${server.answering} of ${server.processes} processes answered 24 fresh connections`);
  }
}

// ---------------------------------------------------------------- measuring
type Side = { server: Server; target: Target };
type Measured = { combined: Combined; single: number };

// A warm-up and the median of 5 requests one at a time per side, then `rounds` runs per side,
// the sides alternating so that a noisy moment on the machine falls on all of them.
async function measure(label: string, sides: Side[]): Promise<Map<Server, Measured>> {
  const runs = new Map<Server, Run[]>(sides.map((s) => [s.server, []]));
  const single = new Map<Server, number>();
  for (const { server, target } of sides) {
    log(`${label} · ${server.name}: ${warmup} s warm-up`);
    await drive(server.url, target, warmup, connections);
    await settle(server.root, log);
    const { times, unexpected } = await sequential(server.url, target, 5);
    if (unexpected) log(`${label} · ${server.name}: ${unexpected} of 5 single requests had an unexpected status`);
    single.set(server, percentile(times, 50));
  }
  for (let round = 1; round <= rounds; round++) {
    for (const { server, target } of sides) {
      const before = readCpu(server.root);
      const run = await drive(server.url, target, duration, connections);
      // Read when the load stops, not once the server settles: the requests still in flight then
      // are not among the completed ones.
      const after = readCpu(server.root);
      run.cpuMsPerRequest = run.requests ? cpuMsBetween(before, after) / run.requests : null;
      await settle(server.root, log);
      log(
        `${label} · ${server.name} round ${round}: ${run.reqPerSec.toFixed(1)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, CPU ${run.cpuMsPerRequest?.toFixed(2) ?? "–"} ms/request, codes ${JSON.stringify(run.codes)}, bad ${run.bad}`,
      );
      runs.get(server)?.push(run);
    }
  }
  return new Map(
    sides.map(({ server }) => [server, { combined: combine(runs.get(server) ?? []), single: single.get(server) ?? 0 }]),
  );
}

type Audience = "anonymous" | "signed-in";
type Row = {
  route: string;
  audience: Audience;
  pageCache: PageCache | null;
  processes: number;
  asklog: Combined | null;
  baseline: Combined | null;
  ratio: number | null;
  p99OverP50: number | null;
  single: { asklog: number | null; baseline: number | null };
  note?: string;
};

function row(
  route: string,
  audience: Audience,
  app: Server | null,
  base: Server | null,
  results: Map<Server, Measured>,
): Row {
  const a = app ? results.get(app) : undefined;
  const b = base ? results.get(base) : undefined;
  return {
    route,
    audience,
    pageCache: app?.pageCache ?? null,
    processes: app?.processes ?? base?.processes ?? 1,
    asklog: a?.combined ?? null,
    baseline: b?.combined ?? null,
    ratio: a && b ? a.combined.reqPerSec / b.combined.reqPerSec : null,
    p99OverP50: a?.combined.p99OverP50 ?? null,
    single: { asklog: a?.single ?? null, baseline: b?.single ?? null },
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
  .prepare(`SELECT email, display_name AS displayName FROM users WHERE role = 'member' AND blocked_at IS NULL
    AND disabled_at IS NULL AND email NOT LIKE '%@contoso.example' ORDER BY id LIMIT 1`)
  .get() as { email: string; displayName: string };
const words = values.query.match(/[\p{L}\p{N}]+/gu) ?? [];
const { hits } = data
  .prepare("SELECT count(*) AS hits FROM search_index WHERE search_index MATCH ?")
  // As the app searches: the last word is a prefix (a search also finds other forms and names, so at least these).
  .get(`(${words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" AND ")})`) as { hits: number };
data.close();
if (!hits) throw new Error(`the search query "${values.query}" finds nothing in ${dbPath}; pass another --query`);
log(`search "${values.query}": ${hits} matching asks; voting on ask ${voteAsk.id} as ${partner.email}`);

const commit = currentCommit();

const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const tail = (c: Combined | null) =>
  c?.p99OverP50 == null ? "–" : `${n(c.p99OverP50, 1)}${c.tailFlagged ? ` ⚠ > ${tailLimit}` : ""}`;
const askPath = `/asks/${askOne.id}-${askOne.slug}`;
const q = encodeURIComponent(values.query).replaceAll("%20", "+");
const pages = [
  { name: "home (trending, page 1)", path: "/" },
  { name: "ask page (ask 1: 50 comments, 10 updates)", path: askPath },
  { name: `search "${values.query}"`, path: `/search?q=${q}` },
];
const routeNames = { notModified: "304 (If-None-Match)", vote: "vote toggle (POST, signed in)" };

let sampler: NodeJS.Timeout | undefined;
const rows: Row[] = [];
const scalingRows: Row[] = [];
const notes: string[] = [];
let cold: { coldStartMs: number; listeningAfterMs: number } | null = null;
let clientJs: { files: number; rawBytes: number; gzipBytes: number } | null = null;
try {
  // ---------------------------------------------------------------- cold start
  const spawnedAt = performance.now();
  const main = await startAsklog(pageCaches[0], 1);
  await waitFor200(main, "/");
  cold = {
    coldStartMs: Math.round(performance.now() - spawnedAt),
    listeningAfterMs: Math.round((main.listeningAt ?? Number.NaN) - spawnedAt),
  };
  log(`Asklog cold start: ${cold.coldStartMs} ms to the first 200 on / (listening after ${cold.listeningAfterMs} ms)`);
  await ready(main, "/");
  sampler = setInterval(() => {
    for (const server of servers) server.memory.sample();
  }, 250);
  const base = await startBaseline(1);
  await ready(base, "/asks/1");
  const apps = [main];
  if (runMain && pageCaches[1]) {
    const second = await startAsklog(pageCaches[1], 1);
    await ready(second, "/");
    apps.push(second);
  }

  // ---------------------------------------------------------------- client JS of a first visit
  const homeHtml = await (await fetchWithTimeout(`${main.url}/`)).text();
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
    const bytes = Buffer.from(await (await fetchWithTimeout(`${main.url}${asset}`)).arrayBuffer());
    jsRaw += bytes.length;
    jsGzip += gzipSync(bytes).length;
  }
  clientJs = { files: scripts.length, rawBytes: jsRaw, gzipBytes: jsGzip };
  log(`client JS on a first visit: ${scripts.length} files, ${(jsGzip / 1024).toFixed(1)} kB gzipped`);

  // ---------------------------------------------------------------- sign in: the signed-in rows and the vote run
  const signin = await fetchWithTimeout(`${main.url}/signin`, {
    method: "POST",
    redirect: "manual",
    // Writes must name their origin, as a browser's do.
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: main.url },
    body: new URLSearchParams({ email: partner.email, password: "asklog-bench", redirectTo: "/" }).toString(),
  });
  const cookie = setCookiePairs(signin.headers).find((c) => c.startsWith("asklog_session="));
  if (!cookie) throw new Error(`sign-in as ${partner.email} failed: ${signin.status}`);
  const audiences: { audience: Audience; headers: Record<string, string> }[] = [
    { audience: "anonymous", headers: {} },
    { audience: "signed-in", headers: { Cookie: cookie } },
  ];
  const get = (path: string, headers: Record<string, string>): Target => ({
    path,
    headers,
    expect: (s) => s === 200,
  });
  const vote = (server: Server): Target => ({
    path: `/asks/${voteAsk.id}-${voteAsk.slug}`,
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: server.url },
    bodies: ["intent=vote", "intent=unvote"],
    expect: (s) => s === 302 || s === 303,
  });

  // Both servers must see the partner, or the signed-in ratio would compare a visitor's page with a partner's.
  for (const server of [main, base]) {
    const html = await (await fetchWithTimeout(`${server.url}/`, { headers: { Cookie: cookie } })).text();
    if (!html.includes('action="/signout"')) {
      throw new Error(
        `${server.name} does not show ${partner.email} as signed in with the session cookie from /signin`,
      );
    }
  }

  if (runMain) {
    // ---------------------------------------------------------------- pages by audience
    for (const page of pages) {
      for (const { audience, headers } of audiences) {
        const results = await measure(`${page.name} · ${audience}`, [
          ...apps.map((server) => ({ server, target: get(page.path, headers) })),
          { server: base, target: get(page.path, headers) },
        ]);
        for (const app of apps) rows.push(row(page.name, audience, app, base, results));
      }
    }

    // ---------------------------------------------------------------- conditional GETs
    for (const app of apps) {
      for (const audience of audiences) {
        // The ETag names one variant (the page varies by cookie and language): fetch sends an
        // Accept-Language of its own and autocannon none, so both send the same one.
        const headers = { ...audience.headers, "Accept-Language": "en-US,en;q=0.9" };
        const first = await fetchWithTimeout(`${app.url}/`, { headers });
        await first.arrayBuffer();
        const etag = first.headers.get("etag");
        if (!etag) {
          log(`${routeNames.notModified} · ${audience.audience} · ${app.name}: the home page carries no ETag`);
          rows.push({ ...row(routeNames.notModified, audience.audience, app, null, new Map()), note: "no ETag" });
          continue;
        }
        // An ETag that changes while the page does not (a nonce in the hash) never matches: say so
        // beside the bad responses it causes.
        const again = await fetchWithTimeout(`${app.url}/`, { headers });
        await again.arrayBuffer();
        const unstable = again.headers.get("etag") !== etag;
        if (unstable)
          log(
            `${routeNames.notModified} · ${audience.audience} · ${app.name}: the ETag of / changed between two requests`,
          );
        const results = await measure(`${routeNames.notModified} · ${audience.audience}`, [
          {
            server: app,
            target: { path: "/", headers: { ...headers, "If-None-Match": etag }, expect: (s) => s === 304 },
          },
        ]);
        const measured = row(routeNames.notModified, audience.audience, app, null, results);
        rows.push(unstable ? { ...measured, note: "ETag changes per request" } : measured);
      }
    }

    // ---------------------------------------------------------------- API, anonymous
    const api = [
      { name: "API ask list (JSON)", path: "/api/v1/asks" },
      { name: "API one ask (JSON)", path: `/api/v1/asks/${askOne.id}` },
    ];
    // A ratio means something only if both servers answer the same JSON: check before measuring.
    for (const { name, path } of api) {
      const answers = await Promise.all(
        [main, base].map(async (server) => {
          const res = await fetchWithTimeout(`${server.url}${path}`);
          const text = await res.text();
          if (res.status !== 200)
            throw new Error(`${name}: ${server.name} answered ${res.status}: ${text.slice(0, 300)}`);
          return JSON.parse(text) as unknown;
        }),
      );
      const mismatches = jsonMismatches(answers[0], answers[1]);
      if (mismatches.length) {
        throw new Error(
          `${name}: Asklog and the baseline answer different JSON, so their ratio would compare unlike work. Bring scripts/baseline-server.ts in line with app/services/api-operations.server.ts:\n  ${mismatches.join("\n  ")}`,
        );
      }
      const differences = valueDifferences(answers[0], answers[1], [main.url, base.url]);
      log(
        `${name}: same fields and asks from both servers${differences.length ? `; values differ in ${differences.length} places, first ${differences.slice(0, 3).join("; ")}` : ", same values"}`,
      );
      const results = await measure(name, [
        { server: main, target: get(path, {}) },
        { server: base, target: get(path, {}) },
      ]);
      rows.push(row(name, "anonymous", main, base, results));
    }

    // ---------------------------------------------------------------- vote (writes: last of the main rows)
    const voted = await measure(routeNames.vote, [{ server: main, target: vote(main) }]);
    rows.push(row(routeNames.vote, "signed-in", main, null, voted));
    for (const app of apps.slice(1)) await stop(app);
  }

  // ---------------------------------------------------------------- worker scaling
  if (runScaling) {
    const app2 = await startAsklog(main.pageCache ?? "on", 2);
    await ready(app2, "/");
    const base2 = await startBaseline(2);
    await ready(base2, "/asks/1");
    for (const page of pages.slice(0, 2)) {
      for (const { audience, headers } of audiences) {
        const results = await measure(`scaling · ${page.name} · ${audience}`, [
          { server: main, target: get(page.path, headers) },
          { server: app2, target: get(page.path, headers) },
          { server: base, target: get(page.path, headers) },
          { server: base2, target: get(page.path, headers) },
        ]);
        scalingRows.push(row(page.name, audience, main, base, results), row(page.name, audience, app2, base2, results));
      }
    }
    const voted = await measure(`scaling · ${routeNames.vote}`, [
      { server: main, target: vote(main) },
      { server: app2, target: vote(app2) },
    ]);
    scalingRows.push(
      row(routeNames.vote, "signed-in", main, null, voted),
      row(routeNames.vote, "signed-in", app2, null, voted),
    );
    if (app2.answering !== null && app2.answering < 2) {
      notes.push(`Asklog with WEB_CONCURRENCY=2 answered /healthz from ${app2.answering} process(es)`);
    }
  }
} catch (error) {
  for (const server of servers) log(`${server.name} output:\n${server.output.slice(-2000)}`);
  throw error;
} finally {
  if (sampler) clearInterval(sampler);
  for (const server of [...servers]) await stop(server);
}

// ---------------------------------------------------------------- report
const mainTable = [
  "| route | audience | page cache | Asklog req/s | baseline req/s | ratio | Asklog p50 / p99 ms | Asklog p99/p50 | baseline p50 / p99 ms | Asklog CPU ms/request | Asklog bad responses | one request at a time, Asklog / baseline ms |",
  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map((r) =>
    !r.asklog
      ? `| ${r.route} | ${r.audience} | ${r.pageCache ?? "–"} | ${r.note ?? "–"} | – | – | – | – | – | – | – | – |`
      : `| ${r.route}${r.note ? ` (${r.note})` : ""} | ${r.audience} | ${r.pageCache ?? "–"} | ${r.asklog ? n(r.asklog.reqPerSec, 1) : "–"} | ${
          r.baseline ? n(r.baseline.reqPerSec, 1) : "–"
        } | ${r.ratio === null ? "–" : `${n(r.ratio * 100)}%`} | ${r.asklog ? `${n(r.asklog.p50)} / ${n(r.asklog.p99)}` : "–"} | ${tail(
          r.asklog,
        )} | ${r.baseline ? `${n(r.baseline.p50)} / ${n(r.baseline.p99)}` : "–"} | ${
          r.asklog?.cpuMsPerRequest == null ? "–" : n(r.asklog.cpuMsPerRequest, 2)
        } | ${r.asklog?.bad ?? "–"} | ${r.single.asklog === null ? "–" : n(r.single.asklog, 1)} / ${
          r.single.baseline === null ? "–" : n(r.single.baseline, 1)
        } |`,
  ),
];

// Speed-up from the second process: req/s at 2 processes over req/s at 1.
const scalingPairs = scalingRows
  .filter((r) => r.processes === 1)
  .map((one) => ({
    one,
    two: scalingRows.find((r) => r.processes === 2 && r.route === one.route && r.audience === one.audience),
  }));
const scaling = scalingPairs.map(({ one, two }) => {
  const ratio = (x?: Combined | null, y?: Combined | null) =>
    x && y && x.reqPerSec > 0 ? y.reqPerSec / x.reqPerSec : null;
  return {
    route: one.route,
    audience: one.audience,
    asklog: { oneProcess: one.asklog?.reqPerSec ?? null, twoProcesses: two?.asklog?.reqPerSec ?? null },
    baseline: one.baseline
      ? { oneProcess: one.baseline.reqPerSec, twoProcesses: two?.baseline?.reqPerSec ?? null }
      : null,
    speedUpPerAddedProcess: { asklog: ratio(one.asklog, two?.asklog), baseline: ratio(one.baseline, two?.baseline) },
    p99OverP50: { oneProcess: one.asklog?.p99OverP50 ?? null, twoProcesses: two?.asklog?.p99OverP50 ?? null },
  };
});
const times = (x: number | null) => (x === null ? "–" : `×${n(x, 2)}`);
const rps = (x: number | null | undefined) => (x == null ? "–" : n(x, 1));
const scalingTable = [
  "| route | audience | Asklog req/s, 1 / 2 processes | Asklog speed-up per added process | baseline req/s, 1 / 2 processes | baseline speed-up per added process | Asklog p99/p50, 1 / 2 processes |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ...scaling.map(
    (s, i) =>
      `| ${s.route} | ${s.audience} | ${rps(s.asklog.oneProcess)} / ${rps(s.asklog.twoProcesses)} | ${times(
        s.speedUpPerAddedProcess.asklog,
      )} | ${s.baseline ? `${rps(s.baseline.oneProcess)} / ${rps(s.baseline.twoProcesses)}` : "–"} | ${times(
        s.speedUpPerAddedProcess.baseline,
      )} | ${tail(scalingPairs[i]?.one.asklog ?? null)} / ${tail(scalingPairs[i]?.two?.asklog ?? null)} |`,
  ),
];

if (rows.length) console.log(`\n${mainTable.join("\n")}\n`);
if (scaling.length)
  console.log(`Worker scaling (page cache ${scalingRows[0]?.pageCache}):\n\n${scalingTable.join("\n")}\n`);
for (const note of notes) console.log(note);
const measuredRows = [...rows, ...scalingRows].filter((r) => r.asklog);
const flagged = measuredRows.filter((r) => r.asklog?.tailFlagged).length;
console.log(`Asklog p99 above ${tailLimit} × p50 (⚠ in the tables): ${flagged} of ${measuredRows.length} rows`);
for (const [name, m] of Object.entries(memory)) {
  console.log(
    `peak RSS, ${name}: primary ${m.primaryPeakRssMiB ?? "–"} MiB, largest single process ${m.maxProcessPeakRssMiB} MiB, ${m.processes} process${m.processes === 1 ? "" : "es"} sampled`,
  );
}
if (cold) {
  console.log(
    `cold start (spawn to first 200 on /): ${n(cold.coldStartMs)} ms; listening after ${cold.listeningAfterMs} ms`,
  );
}
if (clientJs) {
  console.log(
    `client JS on a first visit to /: ${clientJs.files} files, ${n(clientJs.rawBytes / 1024, 1)} kB raw, ${n(clientJs.gzipBytes / 1024, 1)} kB gzipped`,
  );
}
const mainMemory = Object.values(memory)[0];
const file = saveResults("", commit, {
  machine: { cpus: cpus().length, loadavg: loadavg() },
  options: {
    db: dbPath,
    duration,
    connections,
    rounds,
    warmup,
    quick,
    query: values.query,
    pageCache: values["page-cache"],
    scaling: runScaling,
    main: runMain,
  },
  inputs: { askPage: askOne, voteAsk, partner: partner.email, searchHits: hits },
  rows,
  scalingRows,
  scaling,
  // The first Asklog server's largest process, as before the per-process figures.
  peakRssMiB: mainMemory?.maxProcessPeakRssMiB ?? null,
  memory,
  ...cold,
  clientJs,
  notes,
  table: mainTable.join("\n"),
  scalingTable: scalingTable.join("\n"),
});
console.log(`results: ${file} (commit ${commit.slice(0, 12)})`);

if (!values["skip-mail"]) {
  const mail = await benchMail(quick ? { followers: 2_000, posts: 5 } : {});
  const mailFile = saveResults("-mail", commit, mail);
  console.log(`mail results: ${mailFile}`);
}

if (!values["skip-import"]) {
  const imported = await benchImport({ asks: Number(values.asks) });
  console.log(`import results: ${saveImportResult(imported, commit)}`);
}
