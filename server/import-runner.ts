import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  claimQueuedImport,
  forgetOldCheckedFiles,
  markImportCrashed,
  requeueImport,
  requeueStalledImports,
} from "~/models/import-run.server";

// Imports queued from the admin page run one at a time, each in a child process: an import
// holds the write lock for its whole transaction and keeps a core busy, and neither should
// happen inside a web process. The outbox worker calls this on each round; it starts the next
// queued run when none is running here.
const job = fileURLToPath(new URL("./import-job.ts", import.meta.url));
let child: ChildProcess | undefined;

export function startQueuedImport(): boolean {
  if (child) return false;
  requeueStalledImports();
  forgetOldCheckedFiles();
  const run = claimQueuedImport();
  if (!run) return false;
  child = spawn(process.execPath, ["--import", "tsx", job, String(run.id)], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("exit", (code, signal) => {
    child = undefined;
    // Killed by a signal (out of memory, a shutdown), its transaction rolled back and the run
    // goes back to the queue; an exit with an error fails it with the reason.
    if (code !== null && code !== 0) markImportCrashed(run.id, `the import process exited with code ${code}`);
    else if (signal) requeueImport(run.id);
  });
  return true;
}

// On shutdown the running import is stopped: its transaction rolls back, and the run is taken
// up again after the restart.
export function stopImport(): void {
  child?.kill("SIGTERM");
}
