// npm run restore -- FILE [--force]: puts a backup in place of the database
// (DATABASE_PATH, default data/asklog.db). Stop the server first.
import { parseArgs } from "node:util";
import { restoreDatabase } from "../db/backup";
import { databasePath } from "../db/client";
import { exitOnBackupError, printRowCounts } from "./backup-report";

const { values, positionals } = parseArgs({
  options: { force: { type: "boolean", default: false } },
  allowPositionals: true,
});
const [backup] = positionals;
if (positionals.length !== 1 || backup === undefined) {
  console.error("Usage: npm run restore -- FILE [--force]");
  process.exit(2);
}
const target = databasePath();

await exitOnBackupError("Restore", () => {
  const result = restoreDatabase(backup, target, { force: values.force });
  console.log(`Restored ${backup} to ${target} (integrity_check ok)`);
  if (result.keptAs) console.log(`  the previous database is kept as ${result.keptAs}`);
  printRowCounts(result.check);
});
