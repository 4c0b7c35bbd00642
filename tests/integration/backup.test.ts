import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { listComments } from "~/models/comment.server";
import { hasVoted } from "~/models/vote.server";
import { backupDatabase, restoreDatabase } from "../../db/backup";
import { closeDb, databasePath } from "../../db/client";
import { at } from "../../scripts/lists";
import { insertUsers, makeAsk, makeUser } from "./helpers";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const writerScript = fileURLToPath(new URL("./backup-writer.ts", import.meta.url));

type Write =
  | { seq: number; kind: "ask"; askId: number; title: string }
  | { seq: number; kind: "comment"; askId: number; commentId: number; body: string }
  | { seq: number; kind: "vote" | "unvote"; askId: number; userId: number };

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

// Every write in a consistent snapshot of one writer's sequence is a prefix of it.
function isPresent(copy: Database.Database, write: Write): boolean {
  if (write.kind === "ask") {
    return copy.prepare("SELECT 1 FROM asks WHERE id = ? AND title = ?").get(write.askId, write.title) !== undefined;
  }
  if (write.kind === "comment") {
    return (
      copy.prepare("SELECT 1 FROM comments WHERE id = ? AND body = ?").get(write.commentId, write.body) !== undefined
    );
  }
  throw new Error("a vote's presence depends on the writes before it");
}

function countMismatches(copy: Database.Database): unknown[] {
  return copy
    .prepare(`SELECT a.id, a.vote_count, a.comment_count,
        (SELECT count(*) FROM votes v WHERE v.ask_id = a.id) AS votes,
        (SELECT count(*) FROM comments c WHERE c.ask_id = a.id AND c.deleted_at IS NULL AND c.hidden_at IS NULL) AS comments
      FROM asks a WHERE a.vote_count <> votes OR a.comment_count <> comments`)
    .all();
}

describe("backup while another process writes", () => {
  it("copies every acknowledged write into a consistent snapshot that restores and reads back", {
    timeout: 120_000,
  }, async () => {
    const author = await makeUser();
    const askIds = Array.from({ length: 4 }, (_, i) => makeAsk(author.id, `Backup fixture ask number ${i}`).id);
    const userIds = insertUsers(8, "backup-voter");

    const writer = spawn(tsx, [writerScript, databasePath(), askIds.join(","), userIds.join(",")], {
      cwd: root,
      env: process.env,
    });
    const received: Write[] = [];
    let pending = "";
    let stderr = "";
    writer.stdout.on("data", (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) received.push(JSON.parse(line) as Write);
    });
    writer.stderr.on("data", (chunk) => {
      stderr += chunk;
    });

    let backup: Awaited<ReturnType<typeof backupDatabase>>;
    let acknowledgedBefore: Write[];
    let acknowledgedDuringOrAfter: number;
    try {
      await until(() => received.length >= 300 || writer.exitCode !== null, "the writer's first writes");
      // Only writes whose report already arrived count as acknowledged before the backup.
      acknowledgedBefore = [...received];
      backup = await backupDatabase(databasePath(), join(dirname(databasePath()), "backup.db"));
      const atEnd = received.length;
      // The writer was still going after the backup: it ran alongside it.
      await until(() => received.length >= atEnd + 100 || writer.exitCode !== null, "writes after the backup");
      acknowledgedDuringOrAfter = received.length - acknowledgedBefore.length;
    } finally {
      writer.stdin.end();
    }
    expect(await exited(writer), stderr).toBe(0);
    expect(acknowledgedBefore.length).toBeGreaterThanOrEqual(300);
    expect(acknowledgedDuringOrAfter).toBeGreaterThanOrEqual(100);
    expect(backup.check.ok).toBe(true);
    expect(existsSync(`${backup.path}-wal`)).toBe(false);

    const copy = new Database(backup.path, { readonly: true, fileMustExist: true });
    let snapshotAt: number;
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.pragma("foreign_key_check")).toEqual([]);
      expect(countMismatches(copy)).toEqual([]);

      for (const write of acknowledgedBefore) {
        if (write.kind === "ask" || write.kind === "comment")
          expect(isPresent(copy, write), JSON.stringify(write)).toBe(true);
      }

      // Asks and comments in the copy are exactly the writer's first ones, up to one point.
      const records = received.filter((w) => w.kind === "ask" || w.kind === "comment");
      const present = records.map((w) => isPresent(copy, w));
      const firstMissing = present.indexOf(false);
      const lastPresent = present.lastIndexOf(true);
      // The writes reported after the backup finished are not in it.
      expect(firstMissing).toBeGreaterThan(0);
      expect(lastPresent).toBeLessThan(firstMissing);
      snapshotAt = at(records, lastPresent).seq;
      const nextAfter = at(records, firstMissing).seq;

      // Votes: the state after every vote and retraction before that point; a pair touched
      // between it and the next ask or comment may be either way.
      const expected = new Map<string, boolean>();
      const unsure = new Set<string>();
      for (const write of received) {
        if (write.kind !== "vote" && write.kind !== "unvote") continue;
        const pair = `${write.askId}:${write.userId}`;
        if (write.seq < snapshotAt) expected.set(pair, write.kind === "vote");
        else if (write.seq < nextAfter) unsure.add(pair);
      }
      const voted = copy.prepare("SELECT 1 FROM votes WHERE ask_id = ? AND user_id = ?");
      let checkedPairs = 0;
      for (const askId of askIds) {
        for (const userId of userIds) {
          const pair = `${askId}:${userId}`;
          if (unsure.has(pair)) continue;
          expect(voted.get(askId, userId) !== undefined, pair).toBe(expected.get(pair) ?? false);
          checkedPairs += 1;
        }
      }
      expect(checkedPairs).toBeGreaterThan(askIds.length * userIds.length - 4);
    } finally {
      copy.close();
    }

    // Restored into a fresh path and read back through the app's own models.
    const restoredPath = join(dirname(databasePath()), "restored.db");
    expect(restoreDatabase(backup.path, restoredPath).keptAs).toBeNull();
    const livePath = databasePath();
    closeDb();
    process.env.DATABASE_PATH = restoredPath;
    try {
      const inCopy = received.filter((w) => w.seq <= snapshotAt);
      const asks = inCopy.filter((w) => w.kind === "ask");
      expect(asks.length).toBeGreaterThan(0);
      for (const write of asks) expect(getAsk(write.askId)?.title).toBe(write.title);
      for (const askId of askIds) {
        const bodies = listComments(askId).map((c) => c.body);
        for (const write of inCopy) {
          if (write.kind === "comment" && write.askId === askId) expect(bodies).toContain(write.body);
        }
        const voters = userIds.filter((userId) => hasVoted(askId, userId)).length;
        expect(getAsk(askId)?.voteCount).toBe(voters);
      }
    } finally {
      closeDb();
      process.env.DATABASE_PATH = livePath;
    }
  });
});

describe("restore", () => {
  it("refuses a database in use, and keeps the replaced one with the writes only its WAL held", {
    timeout: 60_000,
  }, async () => {
    const dir = dirname(databasePath());
    const { path: backupPath } = await backupDatabase(databasePath(), join(dir, "for-restore.db"));
    const target = join(dir, "crashed.db");

    // A process writes 100 rows in WAL mode, then dies without closing: the rows live only in the -wal file.
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(${JSON.stringify(target)});
         db.pragma("journal_mode = WAL");
         db.exec("CREATE TABLE marks (n INTEGER)");
         for (let n = 0; n < 100; n++) db.prepare("INSERT INTO marks VALUES (?)").run(n);
         console.log("written");
         setInterval(() => {}, 1000);`,
      ],
      { cwd: root },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    try {
      await until(() => out.includes("written"), "the writing process");
      expect(() => restoreDatabase(backupPath, target)).toThrow(/in use/);
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }
    expect(statSync(`${target}-wal`).size).toBeGreaterThan(0);

    const { keptAs } = restoreDatabase(backupPath, target);
    expect(keptAs).toMatch(/crashed\.db\.before-restore-/);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);

    const kept = new Database(keptAs as string, { readonly: true, fileMustExist: true });
    const restored = new Database(target, { readonly: true, fileMustExist: true });
    const source = new Database(backupPath, { readonly: true, fileMustExist: true });
    try {
      expect(kept.prepare("SELECT count(*) AS n FROM marks").get()).toEqual({ n: 100 });
      expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
      const asks = "SELECT count(*) AS n FROM asks";
      expect(restored.prepare(asks).get()).toEqual(source.prepare(asks).get());
    } finally {
      kept.close();
      restored.close();
      source.close();
    }
  });

  it("refuses files that are not Asklog databases and leaves the target alone", async () => {
    const dir = dirname(databasePath());
    const target = join(dir, "untouched.db");
    const { path: backupPath } = await backupDatabase(databasePath(), join(dir, "untouched-source.db"));
    restoreDatabase(backupPath, target);
    const before = statSync(target).mtimeMs;

    const text = join(dir, "notes.txt");
    writeFileSync(text, "not a database at all");
    expect(() => restoreDatabase(text, target)).toThrow(/not an SQLite database/);

    const other = join(dir, "other.db");
    const otherDb = new Database(other);
    otherDb.exec("CREATE TABLE things (id INTEGER PRIMARY KEY)");
    otherDb.close();
    expect(() => restoreDatabase(other, target)).toThrow(/not an Asklog database/);

    expect(statSync(target).mtimeMs).toBe(before);
  });
});
