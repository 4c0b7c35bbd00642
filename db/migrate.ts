import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { type Db, databasePath, db } from "./client";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

export function applyMigrations(database: Db = db()): void {
  migrate(database, { migrationsFolder });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  applyMigrations();
  console.log(`Migrated ${databasePath()}`);
}
