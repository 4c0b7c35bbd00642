import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

// Work that must not run twice at once, across processes: migrations and the first seed
// when two processes start together on a fresh data folder. The lock is a write
// transaction held on a small SQLite file of its own beside the database (the database
// itself must stay free for the work). SQLite makes the others wait for it, and the
// operating system lets go of it if its holder dies, so a crash never leaves it stuck.
export async function withExclusiveLock<T>(databasePath: string, work: () => T | Promise<T>): Promise<T> {
  const path = `${databasePath}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const lock = new Database(path);
  try {
    // Long enough for the holder's migrations on a large database, short enough that a
    // start stuck behind something else says so.
    lock.pragma("busy_timeout = 300000");
    lock.exec("BEGIN IMMEDIATE");
    try {
      return await work();
    } finally {
      lock.exec("ROLLBACK");
    }
  } finally {
    lock.close();
  }
}
