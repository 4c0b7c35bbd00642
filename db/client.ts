import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const defaultDatabasePath = "data/asklog.db";

// Read here rather than from the settings (app/settings.server.ts, which checks it at start):
// db/ is the bottom layer, and tests and tools point it at a file by setting DATABASE_PATH
// at run time.
export function databasePath(): string {
  return resolve(process.env.DATABASE_PATH?.trim() || defaultDatabasePath);
}

export function openDatabase(path = databasePath()): Db {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // Writers queue behind each other instead of failing with SQLITE_BUSY. Set first: two
  // processes opening a fresh file at once both switch it to WAL, which takes a lock.
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  return drizzle({ client: sqlite, schema });
}

let shared: Db | undefined;

// One connection per process, opened on first use so tests can point
// DATABASE_PATH at their own file before anything touches the database.
export function db(): Db {
  shared ??= openDatabase();
  return shared;
}

export function closeDb(): void {
  shared?.$client.close();
  shared = undefined;
}

// The handle a model function receives inside db().transaction(...).
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// A query built once per connection and run many times. Drizzle otherwise rebuilds the
// SQL text from the query builder on every call, which on the ask page cost about as
// much as running the queries. Keyed by connection so tests that reopen the database
// get statements of their own.
export function preparedQuery<T>(build: (database: Db) => T): () => T {
  const byConnection = new WeakMap<Db, T>();
  return () => {
    const database = db();
    let query = byConnection.get(database);
    if (!query) {
      query = build(database);
      byConnection.set(database, query);
    }
    return query;
  };
}
