import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { type Db, databasePath, db } from "./client";
import { withExclusiveLock } from "./lock";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

// Not safe to run from two processes at once (drizzle reads what is applied before it
// opens its transaction): callers that may race hold withExclusiveLock, as the start-up does.
export function applyMigrations(database: Db = db()): void {
  migrate(database, { migrationsFolder });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await withExclusiveLock(databasePath(), applyMigrations);
  console.log(`Migrated ${databasePath()}`);
}
