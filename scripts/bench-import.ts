// Import and export benchmark at bench size: the bench data document (bench/asklog-bench.json,
// written by `npm run bench:data`) imported into an empty database, imported again (a run that
// finds nothing to change), then the whole site exported as an admin. Each step runs in a child
// process of its own, which reports its own peak RSS as it exits. Runs at the end of
// `npm run bench` (unless --skip-import), or alone:
//   npm run bench:import -- [--json bench/asklog-bench.json] [--asks 100000] [--keep]
// --keep leaves the imported database and the export in bench/. Results: stdout and
// bench/results/<timestamp>-import.json.

import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { currentCommit, saveResults } from "./bench-results";

const log = (message: string) => console.error(`[bench:import] ${message}`);
const script = fileURLToPath(import.meta.url);

// The targets for bench-size data.
export const importTargets = {
  importSeconds: 90,
  importPeakRssMiB: 400,
  exportSeconds: 60,
  exportPeakRssMiB: 300,
  reimportRatio: 0.5,
};

type StepResult = { seconds: number; changed?: number; records?: number; bytes?: number };
type ChildResult = StepResult & { peakRssMiB: number };

export type ImportBenchResult = {
  json: string;
  jsonBytes: number;
  records: number;
  import: { seconds: number; peakRssMiB: number };
  reimport: { seconds: number; peakRssMiB: number; ratio: number; changed: number };
  export: { seconds: number; peakRssMiB: number; bytes: number };
  targets: typeof importTargets;
  met: { import: boolean; reimport: boolean; export: boolean };
};

// Runs this file as a child doing one step, and reads the one JSON line it prints last.
function step(args: string[]): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("error", fail);
    child.once("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return fail(new Error(`${args.join(" ")} exited with ${code}: ${last}`));
      done(JSON.parse(last) as ChildResult);
    });
  });
}

const mib = (kib: number) => Math.round(kib / 1024);

export async function benchImport({
  json = "bench/asklog-bench.json",
  asks = 100_000,
  keep = false,
}: {
  json?: string;
  asks?: number;
  keep?: boolean;
} = {}): Promise<ImportBenchResult> {
  const jsonPath = resolve(json);
  if (!existsSync(jsonPath)) {
    log(`no document at ${jsonPath}; writing one with ${asks} asks`);
    execFileSync("npx", ["tsx", "scripts/bench-data.ts", "--asks", String(asks), "--json", jsonPath, "--json-only"], {
      stdio: "inherit",
    });
  }
  const dbPath = resolve("bench/import-bench.db");
  const exportPath = resolve("bench/import-bench-export.json");
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}.lock`, exportPath];
  for (const file of files) rmSync(file, { force: true });
  try {
    log(`importing ${jsonPath} into an empty database`);
    const first = await step(["--child", "import", "--db", dbPath, "--json", jsonPath]);
    log(`first import: ${first.seconds} s, peak RSS ${first.peakRssMiB} MiB`);
    const second = await step(["--child", "import", "--db", dbPath, "--json", jsonPath]);
    log(`second import: ${second.seconds} s, peak RSS ${second.peakRssMiB} MiB, ${second.changed} records changed`);
    const exported = await step(["--child", "export", "--db", dbPath, "--json", exportPath]);
    log(`export: ${exported.seconds} s, peak RSS ${exported.peakRssMiB} MiB`);

    const ratio = Math.round((second.seconds / first.seconds) * 100) / 100;
    const t = importTargets;
    const result: ImportBenchResult = {
      json: jsonPath,
      jsonBytes: statSync(jsonPath).size,
      records: first.records ?? 0,
      import: { seconds: first.seconds, peakRssMiB: first.peakRssMiB },
      reimport: { seconds: second.seconds, peakRssMiB: second.peakRssMiB, ratio, changed: second.changed ?? 0 },
      export: { seconds: exported.seconds, peakRssMiB: exported.peakRssMiB, bytes: exported.bytes ?? 0 },
      targets: t,
      met: {
        import: first.seconds < t.importSeconds && first.peakRssMiB < t.importPeakRssMiB,
        reimport: ratio < t.reimportRatio && second.changed === 0,
        export: exported.seconds < t.exportSeconds && exported.peakRssMiB < t.exportPeakRssMiB,
      },
    };
    const yes = (ok: boolean) => (ok ? "met" : "MISSED");
    const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      [
        `| step | seconds | peak RSS MiB | target | |`,
        `| --- | ---: | ---: | --- | --- |`,
        `| import ${size(result.jsonBytes)} into an empty database | ${first.seconds} | ${first.peakRssMiB} | < ${t.importSeconds} s, < ${t.importPeakRssMiB} MiB | ${yes(result.met.import)} |`,
        `| import the same file again (${second.changed} changed) | ${second.seconds} (${ratio} of the first) | ${second.peakRssMiB} | < ${t.reimportRatio} of the first | ${yes(result.met.reimport)} |`,
        `| export the whole site (admin), ${size(result.export.bytes)} | ${exported.seconds} | ${exported.peakRssMiB} | < ${t.exportSeconds} s, < ${t.exportPeakRssMiB} MiB | ${yes(result.met.export)} |`,
      ].join("\n"),
    );
    return result;
  } finally {
    if (!keep) for (const file of files) rmSync(file, { force: true });
  }
}

export function saveImportResult(result: ImportBenchResult, commit: string): string {
  return saveResults("-import", commit, result);
}

// ---------------------------------------------------------------- a child's one step

async function runStep(kind: string, dbPath: string, jsonPath: string): Promise<StepResult> {
  // Set before any database module loads: the client opens DATABASE_PATH.
  process.env.DATABASE_PATH = dbPath;
  process.env.SESSION_SECRET ??= "bench-only-secret";
  if (kind === "export") {
    const { siteExport } = await import("../app/models/export.server");
    const started = performance.now();
    const stream = siteExport("admin") as unknown as WebReadableStream<Uint8Array>;
    await pipeline(Readable.fromWeb(stream), createWriteStream(jsonPath));
    return { seconds: elapsed(started), bytes: statSync(jsonPath).size };
  }
  const { startup } = await import("../server/startup");
  const { runImport } = await import("../app/models/import.server");
  const { openImportSource } = await import("../app/services/import-source.server");
  await startup({ seedDemo: false, admin: undefined });
  const started = performance.now();
  const report = await runImport({ source: await openImportSource(jsonPath), actorId: null });
  const seconds = elapsed(started);
  if (!report.ok) {
    for (const error of report.errors) console.error(`${error.place}: ${error.message}`);
    throw new Error(`the importer refused ${jsonPath} with ${report.errorCount} errors`);
  }
  const counts = Object.values(report.counts);
  return {
    seconds,
    records: counts.reduce((sum, c) => sum + c.created + c.updated + c.unchanged, 0),
    changed: counts.reduce((sum, c) => sum + c.created + c.updated, 0),
  };
}

const elapsed = (started: number) => Math.round((performance.now() - started) / 100) / 10;

if (process.argv[1] === script) {
  const { values } = parseArgs({
    options: {
      json: { type: "string", default: "bench/asklog-bench.json" },
      asks: { type: "string", default: "100000" },
      keep: { type: "boolean", default: false },
      child: { type: "string" },
      db: { type: "string" },
    },
  });
  if (values.child && values.db) {
    const result = await runStep(values.child, values.db, values.json);
    console.log(JSON.stringify({ ...result, peakRssMiB: mib(process.resourceUsage().maxRSS) }));
    process.exit(0);
  }
  const result = await benchImport({ json: values.json, asks: Number(values.asks), keep: values.keep });
  const commit = currentCommit();
  console.log(`import results: ${saveImportResult(result, commit)}`);
}
