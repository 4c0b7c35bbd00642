// Growth run: how the cost of computing a page grows with the data. For each database, Asklog
// runs with one web process and the page cache off, and the home page, ask 1 and a search are
// loaded one request at a time (what a single visitor waits, no queueing); then the in-process
// searchAsks() latency over the query mix of `npm run bench:search`. Usage:
//   npm run bench:growth -- --db bench/growth-10k.db --db bench/asklog-bench.db [--requests 50]
//     [--warmup 5] [--query "rebate payments"] [--search-queries 200]
// Results: a table on stdout and bench/results/<timestamp>-growth.json.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { percentile, sequential, type Target } from "./bench-load";
import { currentCommit, saveResults } from "./bench-results";
import { buildIfNeeded, freePort, ServerProcess } from "./server-process";

const { values } = parseArgs({
  options: {
    db: { type: "string", multiple: true, default: [] },
    requests: { type: "string", default: "50" },
    warmup: { type: "string", default: "5" },
    query: { type: "string", default: "rebate payments" },
    "search-queries": { type: "string", default: "200" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help || !values.db.length) {
  console.log(`Usage: npm run bench:growth -- --db <file> [--db <file> …] [options]
  --db <file>               a benchmark database (npm run bench:data -- --asks N --out <file>); repeat for each size
  --requests <n>            sequential requests per page after the warm-up (default 50)
  --warmup <n>              requests per page before measuring (default 5)
  --query <words>           the search page's query (default "rebate payments")
  --search-queries <n>      queries for the in-process searchAsks() figure (default 200; bench:search's mix)
Asklog runs with WEB_CONCURRENCY=1 and PAGE_CACHE_MB=0, so each request computes its page.
Rows per database: asks, home, ask page (ask 1) and search p50 / p95 ms, searchAsks() p50 / p95 ms.`);
  process.exit(values.help ? 0 : 1);
}
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const log = (message: string) => console.error(`[growth] ${message}`);
for (const path of values.db) if (!existsSync(path)) throw new Error(`no database at ${path}`);

type Latency = { p50: number; p95: number; max: number; unexpected: number };
type Measured = {
  db: string;
  asks: number;
  searchHits: number;
  coldStartMs: number;
  pages: Record<"home" | "askPage" | "search", Latency>;
  searchAsks: { p50: number; p95: number; p99: number; max: number; queries: number } | null;
};

function inputs(path: string) {
  const data = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const { asks } = data.prepare("SELECT count(*) AS asks FROM asks").get() as { asks: number };
    const askOne = data.prepare("SELECT id, slug FROM asks WHERE id = 1").get() as { id: number; slug: string };
    const words = values.query.match(/[\p{L}\p{N}]+/gu) ?? [];
    const { hits } = data
      .prepare("SELECT count(*) AS hits FROM search_index WHERE search_index MATCH ?")
      .get(`(${words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" AND ")})`) as {
      hits: number;
    };
    return { asks, askOne, hits };
  } finally {
    data.close();
  }
}

async function latency(base: string, target: Target): Promise<Latency> {
  await sequential(base, target, warmup);
  const { times, unexpected } = await sequential(base, target, requests);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? Number.NaN, unexpected };
}

// bench:search prints "search page   p50 p95 p99 max": its figures for the search page's own call.
function searchAsksLatency(path: string): Measured["searchAsks"] {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/bench-search.ts", "--db", path, "--queries", values["search-queries"]],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  const line = output.split("\n").find((l) => l.startsWith("search page"));
  const figures = line?.slice("search page".length).trim().split(/\s+/).map(Number);
  if (!figures || figures.length < 4 || figures.some(Number.isNaN)) {
    log(`no "search page" line in the bench:search output for ${path}:\n${output.slice(-1000)}`);
    return null;
  }
  const [p50 = 0, p95 = 0, p99 = 0, max = 0] = figures;
  // bench:search adds half as many name and qualifier queries to its word queries.
  const queries = Number(values["search-queries"]);
  return { p50, p95, p99, max, queries: queries + Math.ceil(queries / 2) };
}

buildIfNeeded();
const commit = currentCommit();

const results: Measured[] = [];
for (const path of values.db) {
  const { asks, askOne, hits } = inputs(path);
  log(`${path}: ${asks.toLocaleString("en-US")} asks; search "${values.query}" matches ${hits}`);
  const server = new ServerProcess({
    databasePath: path,
    port: await freePort(),
    env: {
      SEED_DEMO: "0",
      SESSION_SECRET: "bench-only-secret",
      RATE_LIMITS: "off",
      WEB_CONCURRENCY: "1",
      PAGE_CACHE_MB: "0",
      // As `npm start` caps the heap.
      NODE_OPTIONS: "--max-old-space-size=192",
    },
  });
  const startedAt = performance.now();
  let pages: Measured["pages"];
  try {
    // A large database makes the first home page slow: allow ten minutes.
    await server.start(600_000);
    const coldStartMs = Math.round(performance.now() - startedAt);
    log(`${path}: first 200 on / after ${coldStartMs} ms`);
    const get = (p: string): Target => ({ path: p, expect: (s) => s === 200 });
    const q = encodeURIComponent(values.query).replaceAll("%20", "+");
    pages = {
      home: await latency(server.base, get("/")),
      askPage: await latency(server.base, get(`/asks/${askOne.id}-${askOne.slug}`)),
      search: await latency(server.base, get(`/search?q=${q}`)),
    };
    results.push({ db: path, asks, searchHits: hits, coldStartMs, pages, searchAsks: null });
  } catch (error) {
    log(`${path}: server output:\n${server.output.slice(-3000)}`);
    throw error;
  } finally {
    await server.stop();
  }
  log(`${path}: searchAsks() over the bench:search query mix`);
  const last = results.at(-1);
  if (last) last.searchAsks = searchAsksLatency(path);
}

const n = (x: number, digits = 1) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const pair = (l: Latency) => `${n(l.p50)} / ${n(l.p95)}${l.unexpected ? ` (${l.unexpected} not 200)` : ""}`;
const table = [
  `| database | asks | home p50 / p95 ms | ask page p50 / p95 ms | search "${values.query}" p50 / p95 ms | searchAsks() p50 / p95 ms | cold start ms |`,
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map(
    (r) =>
      `| ${r.db} | ${n(r.asks, 0)} | ${pair(r.pages.home)} | ${pair(r.pages.askPage)} | ${pair(r.pages.search)} | ${
        r.searchAsks ? `${n(r.searchAsks.p50)} / ${n(r.searchAsks.p95)}` : "–"
      } | ${n(r.coldStartMs, 0)} |`,
  ),
];
console.log(`\n${table.join("\n")}\n`);
console.log(`${requests} sequential requests per page after ${warmup} to warm up; WEB_CONCURRENCY=1, PAGE_CACHE_MB=0`);
const file = saveResults("-growth", commit, {
  machine: { cpus: cpus().length, loadavg: loadavg() },
  options: { requests, warmup, query: values.query, searchQueries: Number(values["search-queries"]) },
  databases: results,
  table: table.join("\n"),
});
console.log(`results: ${file} (commit ${commit.slice(0, 12)})`);
