// What `npm run backup` and `npm run restore` print: the same table of row counts after
// either, and one line for a failure the operator can act on (a BackupError) instead of
// a stack trace. Any other error is a bug and keeps its stack trace.
import { BackupError, type DatabaseCheck } from "../db/backup";

export function printRowCounts(check: DatabaseCheck): void {
  for (const [table, rows] of Object.entries(check.rows)) {
    console.log(`  ${table.padEnd(24)} ${rows.toLocaleString("en-US").padStart(10)} rows`);
  }
}

export async function exitOnBackupError(what: "Backup" | "Restore", run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`${what} failed: ${error.message}`);
    process.exit(1);
  }
}
