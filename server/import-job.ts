import { executeImportRun } from "~/models/import-run.server";
import { closeDb } from "../db/client";

// One queued import, run by server/import-runner.ts in a process of its own.
const id = Number(process.argv[2]);
try {
  await executeImportRun(id);
} catch (error) {
  console.error(JSON.stringify({ level: "error", message: "import failed", run: id, error: String(error) }));
  process.exitCode = 1;
} finally {
  closeDb();
}
