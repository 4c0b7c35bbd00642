// The HTTP edge of two commits side by side (Express against node:http, or any two), on the
// same database and machine: each commit is unpacked into a folder of its own with its own
// production build, and their servers take turns, round after round, so a change in the
// machine's load falls on both. Usage:
//   tsx scripts/bench-edge.ts <commit> <commit> [--rounds 3] [--seconds 8] [--connections 20]
//     [--db bench/asklog-bench.db] [--query "rebate payments"]
// Rows, each after an unmeasured 2 s warm-up: a page-cache hit on the search page, a 304 on the home page (If-None-Match), the search
// page rendered with the page cache off (PAGE_CACHE_MB=0), and /healthz. One web process, no rate
// limits. Prints the median requests per second of each row and commit, and every run.
import { type ChildProcess, execFileSync, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { drive, type Target } from "./bench-load";
import { freePort, host } from "./server-process";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "8" },
    connections: { type: "string", default: "20" },
    db: { type: "string", default: "bench/asklog-bench.db" },
    query: { type: "string", default: "rebate payments" },
  },
});
if (positionals.length !== 2) {
  console.error("Usage: tsx scripts/bench-edge.ts <commit> <commit> [--rounds 3] [--seconds 8] [--connections 20]");
  process.exit(2);
}
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const databasePath = resolve(values.db);
const searchPath = `/search?q=${encodeURIComponent(values.query).replaceAll("%20", "+")}`;
const repo = process.cwd();
// A page is kept and validated per language (its dates): every request names the same one.
const headers = { "Accept-Language": "en-US" };
const warmUpSeconds = 2;

type Variant = { commit: string; label: string; dir: string };

// The commit's files as they are in git, whatever is uncommitted here, with this checkout's packages.
function unpack(commit: string): Variant {
  const sha = execFileSync("git", ["rev-parse", "--short", commit], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), `asklog-edge-${sha}-`));
  execSync(`git archive ${sha} | tar -x -C ${dir}`, { stdio: "inherit" });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  console.error(`building ${sha} in ${dir}`);
  execFileSync("npx", ["remix", "build"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, NODE_ENV: "production" },
  });
  return { commit: sha, label: commit, dir };
}

type Server = { child: ChildProcess; base: string };

async function start(variant: Variant, pageCache: boolean): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: host,
    PORT: String(port),
    DATABASE_PATH: databasePath,
    WEB_CONCURRENCY: "1",
    RATE_LIMITS: "off",
    SEED_DEMO: "0",
    SESSION_SECRET: "bench-only-secret",
  };
  if (pageCache) delete env.PAGE_CACHE_MB;
  else env.PAGE_CACHE_MB = "0";
  // As `npm start` runs it, heap cap included.
  const child = spawn(process.execPath, ["--max-old-space-size=192", "--import", "tsx", "server/index.ts"], {
    cwd: variant.dir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk).slice(-4000);
  });
  const base = `http://${host}:${port}`;
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server of ${variant.commit} exited:\n${errors}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, base };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`the server of ${variant.commit} did not come up:\n${errors}`);
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}

const rows = ["page-cache hit", "304", "render, cache off", "/healthz"] as const;
type Row = (typeof rows)[number];
const results = new Map<string, number[]>();
const record = (variant: Variant, row: Row, reqPerSec: number, bad: number) => {
  const key = `${variant.commit}\t${row}`;
  results.set(key, [...(results.get(key) ?? []), reqPerSec]);
  console.error(`  ${variant.commit} ${row}: ${Math.round(reqPerSec)} req/s${bad ? ` (${bad} unexpected)` : ""}`);
};

async function measure(variant: Variant): Promise<void> {
  const cached = await start(variant, true);
  try {
    const home = await fetch(`${cached.base}/`, { headers });
    await home.arrayBuffer();
    const etag = home.headers.get("ETag");
    if (!etag) throw new Error(`${variant.commit}: the home page has no ETag`);
    const targets: [Row, Target][] = [
      ["page-cache hit", { path: searchPath, headers, expect: (s) => s === 200 }],
      ["304", { path: "/", headers: { ...headers, "If-None-Match": etag }, expect: (s) => s === 304 }],
      ["/healthz", { path: "/healthz", headers, expect: (s) => s === 200 }],
    ];
    for (const [row, target] of targets) {
      // Unmeasured: the page is kept and the code is compiled hot before the measured run.
      await drive(cached.base, target, warmUpSeconds, connections);
      const run = await drive(cached.base, target, seconds, connections);
      record(variant, row, run.reqPerSec, run.bad);
    }
  } finally {
    await stop(cached);
  }
  const uncached = await start(variant, false);
  try {
    const target: Target = { path: searchPath, headers, expect: (s) => s === 200 };
    await drive(uncached.base, target, warmUpSeconds, connections);
    const run = await drive(uncached.base, target, seconds, connections);
    record(variant, "render, cache off", run.reqPerSec, run.bad);
  } finally {
    await stop(uncached);
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const variants = positionals.map(unpack);
const loadBefore = loadavg()[0] as number;
try {
  for (let round = 1; round <= rounds; round++) {
    // A, B then B, A: a load that rises or falls through a round weighs on both alike.
    const order = round % 2 ? variants : [...variants].reverse();
    console.error(`round ${round} of ${rounds}`);
    for (const variant of order) await measure(variant);
  }
} finally {
  for (const variant of variants) rmSync(variant.dir, { recursive: true, force: true });
}
const loadAfter = loadavg()[0] as number;

const [a, b] = variants as [Variant, Variant];
console.log(
  `${new Date().toISOString()} · ${cpus().length} CPUs · load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} · ` +
    `${rounds} rounds of ${seconds} s, ${connections} connections, median req/s`,
);
console.log(`| row | ${a.label} (${a.commit}) | ${b.label} (${b.commit}) | change |`);
console.log("|---|---:|---:|---:|");
for (const row of rows) {
  const x = median(results.get(`${a.commit}\t${row}`) ?? []);
  const y = median(results.get(`${b.commit}\t${row}`) ?? []);
  console.log(
    `| ${row} | ${Math.round(x)} | ${Math.round(y)} | ${y >= x ? "+" : ""}${Math.round((y / x - 1) * 100)} % |`,
  );
}
console.log("\nEvery run (req/s):");
for (const [key, runs] of results) console.log(`${key.replace("\t", " ")}: ${runs.map(Math.round).join(", ")}`);
