import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { ImportState } from "~/domain";
import { ImportSourceError, openImportSource } from "~/services/import-source.server";
import { databasePath, db } from "../../db/client";
import { importRuns, users } from "../../db/schema";
import { emptyCounts, type ImportProgress, type ImportReport, runImport } from "./import.server";

// Imports started from the admin page. The upload waits on disk as a queued run; the worker
// takes one run at a time and imports it in a child process (server/import-runner.ts), so a
// long import never holds up a web process. The child reports progress in a file next to the
// upload, since the import's own transaction holds the database's write lock; the file's age is
// also its heartbeat. A run whose child died (SIGKILL, a crash, a restart) goes back to the
// queue once its heartbeat is stale, and runs again from the start: its transaction never
// committed, and the import matches by source ids anyway.

export type ImportRunView = {
  id: number;
  fileName: string;
  dryRun: boolean;
  state: ImportState;
  report: ImportReport | null;
  progress: ImportProgress | null;
  // A clean dry run keeps its file for "Import this file now", until it is imported or too old.
  fileKept: boolean;
  actorName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

// A child writes its progress at least this often while it lives.
const heartbeatMs = 2_000;
// No heartbeat for this long: the child is gone (with the worker that started it, or the
// worker would have seen it exit).
export const staleAfterMs = 20_000;

export function importUploadDir(): string {
  const dir = join(dirname(databasePath()), "imports");
  mkdirSync(dir, { recursive: true });
  return dir;
}

const progressPath = (filePath: string) => `${filePath}.progress.json`;

export function queueImport({
  actorId,
  fileName,
  filePath,
  dryRun,
}: {
  actorId: number;
  fileName: string;
  filePath: string;
  dryRun: boolean;
}): number {
  return db().insert(importRuns).values({ actorId, fileName, filePath, dryRun }).returning({ id: importRuns.id }).get()
    .id;
}

const columns = {
  id: importRuns.id,
  fileName: importRuns.fileName,
  filePath: importRuns.filePath,
  dryRun: importRuns.dryRun,
  state: importRuns.state,
  report: importRuns.report,
  actorName: users.displayName,
  createdAt: importRuns.createdAt,
  startedAt: importRuns.startedAt,
  finishedAt: importRuns.finishedAt,
};

type RunRow = Omit<ImportRunView, "report" | "progress" | "fileKept"> & { filePath: string; report: string | null };

function view({ filePath, report, ...row }: RunRow): ImportRunView {
  return {
    ...row,
    report: report ? (JSON.parse(report) as ImportReport) : null,
    progress: row.state === "running" ? readProgress(filePath) : null,
    fileKept: existsSync(filePath),
  };
}

function readProgress(filePath: string): ImportProgress | null {
  try {
    return JSON.parse(readFileSync(progressPath(filePath), "utf8")) as ImportProgress;
  } catch {
    return null;
  }
}

export function getImportRun(id: number): ImportRunView | undefined {
  const row = db()
    .select(columns)
    .from(importRuns)
    .leftJoin(users, eq(users.id, importRuns.actorId))
    .where(eq(importRuns.id, id))
    .get();
  return row ? view(row) : undefined;
}

export function listImportRuns(limit = 20): ImportRunView[] {
  return db()
    .select(columns)
    .from(importRuns)
    .leftJoin(users, eq(users.id, importRuns.actorId))
    .orderBy(desc(importRuns.id))
    .limit(limit)
    .all()
    .map(view);
}

// The same stored file again, for real: what a dry run checked is what gets imported.
export function importAfterDryRun({ runId, actorId }: { runId: number; actorId: number }): number | undefined {
  const run = db().select().from(importRuns).where(eq(importRuns.id, runId)).get();
  if (!run?.dryRun || run.state !== "done" || !run.report || !(JSON.parse(run.report) as ImportReport).ok)
    return undefined;
  if (!existsSync(run.filePath)) return undefined;
  return queueImport({ actorId, fileName: run.fileName, filePath: run.filePath, dryRun: false });
}

// How long a clean dry run's file waits for "Import this file now": uploads can be hundreds of
// megabytes, and one checked and never imported would otherwise stay on disk for good.
export const checkedFileKeptMs = 7 * 86_400_000;

// Removes the files of clean dry runs older than that; a run that imported a file used it up
// already. Called with the stalled-run check, on the worker's rounds.
export function forgetOldCheckedFiles(now = Date.now()): number {
  const before = new Date(now - checkedFileKeptMs).toISOString();
  let removed = 0;
  const runs = db()
    .select({ filePath: importRuns.filePath })
    .from(importRuns)
    .where(and(eq(importRuns.dryRun, true), eq(importRuns.state, "done"), lt(importRuns.finishedAt, before)))
    .all();
  for (const { filePath } of runs) {
    if (!existsSync(filePath)) continue;
    // "Import this file now" was pressed just in time: the real run still needs it.
    const pending = db()
      .select({ id: importRuns.id })
      .from(importRuns)
      .where(and(eq(importRuns.filePath, filePath), inArray(importRuns.state, ["queued", "running"])))
      .get();
    if (pending) continue;
    rmSync(filePath, { force: true, recursive: true });
    removed++;
  }
  return removed;
}

// Runs whose child stopped without ending them go back to the queue.
export function requeueStalledImports(now = Date.now()): number {
  let requeued = 0;
  for (const run of db().select().from(importRuns).where(eq(importRuns.state, "running")).all()) {
    const beat = heartbeatOf(run.filePath) ?? Date.parse(run.startedAt ?? run.createdAt);
    if (now - beat < staleAfterMs) continue;
    requeueImport(run.id);
    requeued++;
  }
  return requeued;
}

export function requeueImport(id: number): void {
  db()
    .update(importRuns)
    .set({ state: "queued", startedAt: null })
    .where(and(eq(importRuns.id, id), eq(importRuns.state, "running")))
    .run();
}

function heartbeatOf(filePath: string): number | null {
  try {
    return statSync(progressPath(filePath)).mtimeMs;
  } catch {
    return null;
  }
}

// The oldest queued run, marked running: only the single worker claims, one at a time.
export function claimQueuedImport(): { id: number } | undefined {
  return db()
    .update(importRuns)
    .set({ state: "running", startedAt: new Date().toISOString() })
    .where(
      eq(
        importRuns.id,
        sql`(SELECT ${importRuns.id} FROM ${importRuns} WHERE ${importRuns.state} = 'queued' ORDER BY ${importRuns.id} LIMIT 1)`,
      ),
    )
    .returning({ id: importRuns.id })
    .get();
}

// What the child process does with a claimed run.
export async function executeImportRun(id: number): Promise<void> {
  const run = db().select().from(importRuns).where(eq(importRuns.id, id)).get();
  if (run?.state !== "running") return;
  let latest: ImportProgress | null = null;
  const beat = () => {
    const tmp = `${progressPath(run.filePath)}.tmp`;
    writeFileSync(tmp, JSON.stringify(latest ?? { phase: "checking", records: 0, bytesRead: 0, size: null }));
    renameSync(tmp, progressPath(run.filePath));
  };
  beat();
  const heartbeat = setInterval(beat, heartbeatMs);
  let report: ImportReport;
  try {
    const source = await openImportSource(run.filePath, run.fileName);
    report = await runImport({
      source,
      actorId: run.actorId,
      dryRun: run.dryRun,
      runId: run.id,
      onProgress: (progress) => {
        latest = progress;
        beat();
      },
    });
  } catch (error) {
    if (!(error instanceof ImportSourceError)) throw error;
    report = failure(run.fileName, run.dryRun, error.message);
  } finally {
    clearInterval(heartbeat);
    rmSync(progressPath(run.filePath), { force: true });
  }
  // A real run that succeeded was marked done in its own transaction.
  if (!report.ok || report.dryRun) {
    db()
      .update(importRuns)
      .set({
        state: report.ok ? "done" : "failed",
        report: JSON.stringify(report),
        finishedAt: new Date().toISOString(),
      })
      .where(eq(importRuns.id, id))
      .run();
  }
  // A checked file stays for "Import it now"; anything else is done with.
  if (!(report.ok && report.dryRun)) rmSync(run.filePath, { force: true, recursive: true });
}

// A child that ended without ending its run (an exception, not a kill): the run fails with
// the reason, rather than going round the queue for ever.
export function markImportCrashed(id: number, reason: string): void {
  const run = db().select().from(importRuns).where(eq(importRuns.id, id)).get();
  if (run?.state !== "running") return;
  db()
    .update(importRuns)
    .set({
      state: "failed",
      report: JSON.stringify(failure(run.fileName, run.dryRun, `The import stopped: ${reason}`)),
      finishedAt: new Date().toISOString(),
    })
    .where(eq(importRuns.id, id))
    .run();
}

function failure(source: string, dryRun: boolean, message: string): ImportReport {
  return {
    ok: false,
    dryRun,
    source,
    counts: emptyCounts(),
    errors: [{ place: source, message }],
    errorCount: 1,
    seconds: 0,
  };
}
