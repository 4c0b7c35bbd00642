// npm run backup [-- --to FILE]: a consistent copy of the live database
// (DATABASE_PATH, default data/asklog.db), safe to take while the app serves.
import { parseArgs } from "node:util";
import { BackupError, backupDatabase, defaultBackupPath } from "../db/backup";
import { databasePath } from "../db/client";

const { values } = parseArgs({ options: { to: { type: "string" } } });
const source = databasePath();
const target = values.to ?? defaultBackupPath();

try {
  const result = await backupDatabase(source, target);
  console.log(`Backed up ${source}`);
  console.log(`  to ${result.path}`);
  console.log(`  ${(result.bytes / 1024 / 1024).toFixed(2)} MiB in ${Math.round(result.ms)} ms; integrity_check ok`);
  for (const [table, rows] of Object.entries(result.check.rows)) {
    console.log(`  ${table.padEnd(24)} ${rows.toLocaleString("en-US").padStart(10)} rows`);
  }
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`Backup failed: ${error.message}`);
  process.exit(1);
}
