// npm run backup [-- --to FILE]: a consistent copy of the live database
// (DATABASE_PATH, default data/asklog.db), safe to take while the app serves.
import { parseArgs } from "node:util";
import { backupDatabase, defaultBackupPath } from "../db/backup";
import { databasePath } from "../db/client";
import { exitOnBackupError, printRowCounts } from "./backup-report";

const { values } = parseArgs({ options: { to: { type: "string" } } });
const source = databasePath();
const target = values.to ?? defaultBackupPath();

await exitOnBackupError("Backup", async () => {
  const result = await backupDatabase(source, target);
  console.log(`Backed up ${source}`);
  console.log(`  to ${result.path}`);
  console.log(`  ${(result.bytes / 1024 / 1024).toFixed(2)} MiB in ${Math.round(result.ms)} ms; integrity_check ok`);
  printRowCounts(result.check);
});
