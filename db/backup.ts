import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

// Online backup and restore of the SQLite file, used by scripts/backup.ts and
// scripts/restore.ts (npm run backup / npm run restore).

export class BackupError extends Error {}

// Tables every Asklog database has, whatever its migration level: a file
// without them is some other SQLite database, not a backup of this app.
const asklogTables = ["__drizzle_migrations", "users", "asks", "votes", "comments", "status_updates"];

export type DatabaseCheck = {
  ok: boolean;
  // PRAGMA integrity_check rows: ["ok"] when sound. Since SQLite 3.44 it checks FTS5 indexes too.
  integrity: string[];
  // PRAGMA foreign_key_check rows: none when every reference points at a row.
  foreignKeyProblems: number;
  missingTables: string[];
  rows: Record<string, number>;
};

export function checkDatabase(sqlite: Database.Database): DatabaseCheck {
  const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
  const foreignKeyProblems = (sqlite.pragma("foreign_key_check") as unknown[]).length;
  const tables = (sqlite.pragma("table_list") as { schema: string; name: string; type: string }[])
    .filter((t) => t.schema === "main" && t.type === "table" && !t.name.startsWith("sqlite_"))
    .map((t) => t.name)
    .sort();
  const rows: Record<string, number> = {};
  for (const table of tables) {
    rows[table] = (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
  const missingTables = asklogTables.filter((t) => !tables.includes(t));
  return {
    ok: integrity.length === 1 && integrity[0] === "ok" && foreignKeyProblems === 0 && missingTables.length === 0,
    integrity,
    foreignKeyProblems,
    missingTables,
    rows,
  };
}

export function describeProblems(check: DatabaseCheck): string {
  return [
    check.integrity.join("; ") === "ok" ? "" : `integrity_check: ${check.integrity.slice(0, 10).join("; ")}`,
    check.foreignKeyProblems ? `${check.foreignKeyProblems} rows fail foreign_key_check` : "",
    check.missingTables.length ? `not an Asklog database (no ${check.missingTables.join(", ")} table)` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function timestamp(at = new Date()): string {
  return at.toISOString().replace(/[:.]/g, "-");
}

export function defaultBackupPath(at = new Date()): string {
  return `backups/asklog-${timestamp(at)}.db`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeSidecars(path: string): void {
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}

export type BackupResult = { path: string; bytes: number; ms: number; check: DatabaseCheck };

// The SQLite online backup API (better-sqlite3's db.backup()) rather than VACUUM INTO:
// it copies pages as they are, with no index rebuild, so it costs about one read of the
// file, and it is asynchronous. All pages are copied in one step, inside one read
// transaction: the copy is a consistent snapshot (WAL lets the server keep writing
// meanwhile), and a busy writer cannot make it restart page by page, which the API
// does when another connection writes between small steps.
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new BackupError(`No database at ${source}.`);
  if (existsSync(target)) throw new BackupError(`${target} already exists; choose another --to.`);
  mkdirSync(dirname(target), { recursive: true });
  // Written under another name and renamed when checked: a file with the final
  // name is always a complete, verified backup.
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  removeSidecars(partial);

  const started = performance.now();
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma("busy_timeout = 5000");
    await live.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
  const ms = performance.now() - started;

  const copy = new Database(partial, { fileMustExist: true });
  let check: DatabaseCheck;
  try {
    // A single self-contained file (no -wal beside it), as a backup should be;
    // the app turns WAL back on when it opens a restored file.
    copy.pragma("journal_mode = DELETE");
    check = checkDatabase(copy);
  } finally {
    copy.close();
  }
  removeSidecars(partial);
  if (!check.ok) throw new BackupError(`The copy at ${partial} failed its check: ${describeProblems(check)}`);
  fsyncPath(partial);
  renameSync(partial, target);
  fsyncPath(dirname(target));
  return { path: target, bytes: statSync(target).size, ms, check };
}

// A process with the database open in WAL mode keeps a shared lock on it for as
// long as the connection is open, busy or idle, so an exclusive lock is only
// granted when nobody has it open. Returns the connection holding that lock,
// or undefined while someone else (a running server) has the file open.
function lockExclusively(path: string): Database.Database | undefined {
  const sqlite = new Database(path, { fileMustExist: true });
  sqlite.pragma("busy_timeout = 2000");
  try {
    sqlite.pragma("locking_mode = EXCLUSIVE");
    sqlite.exec("BEGIN EXCLUSIVE; COMMIT;");
    return sqlite;
  } catch (error) {
    sqlite.close();
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) return undefined;
    throw error;
  }
}

export function isDatabaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const sqlite = lockExclusively(path);
  sqlite?.close();
  return !sqlite;
}

function isSqliteFile(path: string): boolean {
  const header = Buffer.alloc(16);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.toString("latin1") === "SQLite format 3\0";
}

export type RestoreResult = { keptAs: string | null; check: DatabaseCheck };

// Puts a backup in place of the database at `target`. The current file is kept
// as <target>.before-restore-<timestamp>, with every committed write in it, so a
// restore can itself be undone by restoring that file.
export function restoreDatabase(backup: string, target: string, options: { force?: boolean } = {}): RestoreResult {
  if (!existsSync(backup)) throw new BackupError(`No file at ${backup}.`);
  if (!isSqliteFile(backup)) throw new BackupError(`${backup} is not an SQLite database.`);
  // A file with a non-empty -wal beside it is a live database, not a closed backup:
  // copying the main file alone would leave out whatever the WAL holds.
  if (existsSync(`${backup}-wal`) && statSync(`${backup}-wal`).size > 0) {
    throw new BackupError(`${backup} has a -wal file beside it; make a backup of it with npm run backup instead.`);
  }

  // Checked as a copy next to the target, so the backup itself is never touched
  // and the final step is a rename within one directory.
  const stamp = timestamp();
  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.restoring-${stamp}`;
  copyFileSync(backup, staging);
  let check: DatabaseCheck;
  try {
    const copy = new Database(staging, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      check = checkDatabase(copy);
    } finally {
      copy.close();
    }
    if (!check.ok) throw new BackupError(`${backup} cannot be restored: ${describeProblems(check)}`);
    fsyncPath(staging);
  } catch (error) {
    rmSync(staging, { force: true });
    removeSidecars(staging);
    throw error;
  }

  let keptAs: string | null = null;
  if (existsSync(target)) {
    const current = lockExclusively(target);
    if (!current && !options.force) {
      rmSync(staging, { force: true });
      throw new BackupError(
        `${target} is in use (a server has it open). Stop the server first, or pass --force if you are sure nothing is.`,
      );
    }
    // Fold the WAL into the main file so the file kept aside is complete on its own.
    // Only with the exclusive lock can that be sure to take every frame; under --force
    // it is best effort, and a WAL that still holds anything moves along with the file.
    const sqlite = current ?? new Database(target, { fileMustExist: true });
    try {
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      if (current) sqlite.pragma("journal_mode = DELETE");
    } finally {
      sqlite.close();
    }
    keptAs = `${target}.before-restore-${stamp}`;
    renameSync(target, keptAs);
    // A journal that still holds anything belongs to the file kept aside; SQLite reads
    // <file>-wal (or rolls back <file>-journal) when that file is opened. The -shm file
    // is only an index of the WAL, rebuilt from it when needed.
    for (const suffix of ["-wal", "-journal"]) {
      const journal = `${target}${suffix}`;
      if (existsSync(journal) && statSync(journal).size > 0) renameSync(journal, `${keptAs}${suffix}`);
    }
    removeSidecars(target);
  }
  renameSync(staging, target);
  fsyncPath(dirname(target));
  return { keptAs, check };
}
