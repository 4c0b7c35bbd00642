import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { mergeAsk } from "~/models/merge.server";
import { castVote, hasVoted, retractVote } from "~/models/vote.server";
import * as askPage from "~/routes/asks.$ask";
import type { FormReply } from "~/validation/intent";
import { databasePath, db } from "../../db/client";
import { votes } from "../../db/schema";
import {
  cookieFor,
  insertUsers,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  ok,
  replyData,
  route,
  setAskStatus,
  statusOf,
} from "./helpers";

function rowCount(askId: number): number {
  return (db().$client.prepare("SELECT count(*) AS n FROM votes WHERE ask_id = ?").get(askId) as { n: number }).n;
}

function storedCount(askId: number): number {
  return (db().$client.prepare("SELECT vote_count AS n FROM asks WHERE id = ?").get(askId) as { n: number }).n;
}

async function askFixture() {
  const author = await makeUser();
  const ask = makeAsk(author.id);
  const path = `/asks/${ask.id}-${ask.slug}`;
  return { ask, path, page: route(askPage, path, { ask: `${ask.id}-${ask.slug}` }) };
}

// Voters that only need to exist, by position.
function voters(count: number, prefix: string): (i: number) => number {
  const ids = insertUsers(count, prefix);
  return (i) => {
    const id = ids[i];
    if (id === undefined) throw new Error(`only ${count} ${prefix} voters`);
    return id;
  };
}

describe("voting through the ask page action", () => {
  it("counts one vote per partner and lets them retract it", async () => {
    const { ask, path, page } = await askFixture();
    const voter = await makeUser();
    const cookie = await cookieFor(voter);

    for (let i = 0; i < 2; i++) {
      const result = await page.post({ intent: "vote" }, cookie);
      expect(statusOf(result)).toBe(302);
      expect(locationOf(result)).toBe(path);
    }
    expect(getAsk(ask.id)?.voteCount).toBe(1);
    expect(rowCount(ask.id)).toBe(1);
    expect((await loaded(page.load(cookie))).voted).toBe(true);
    expect((await loaded(page.load(cookie))).ask.voteCount).toBe(1);

    expect(statusOf(await page.post({ intent: "unvote" }, cookie))).toBe(302);
    expect(getAsk(ask.id)?.voteCount).toBe(0);
    expect(rowCount(ask.id)).toBe(0);
    expect((await loaded(page.load(cookie))).voted).toBe(false);

    // Retracting a vote that is not there changes nothing.
    expect(statusOf(await page.post({ intent: "unvote" }, cookie))).toBe(302);
    expect(getAsk(ask.id)?.voteCount).toBe(0);
  });

  it("counts votes from different partners separately", async () => {
    const { ask, page } = await askFixture();
    for (let i = 0; i < 3; i++) await page.post({ intent: "vote" }, await cookieFor(await makeUser()));
    expect(getAsk(ask.id)?.voteCount).toBe(3);
  });

  it("sends a signed-out visitor to sign in and changes nothing", async () => {
    const { ask, path, page } = await askFixture();
    castVote({ askId: ask.id, userId: (await makeUser()).id });

    const result = await page.post({ intent: "vote" });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(path)}`);
    expect(getAsk(ask.id)?.voteCount).toBe(1);
    expect(rowCount(ask.id)).toBe(1);

    await page.post({ intent: "unvote" });
    expect(getAsk(ask.id)?.voteCount).toBe(1);
  });

  it("answers 404 for votes on an ask that does not exist", async () => {
    const cookie = await cookieFor(await makeUser());
    const result = await route(askPage, "/asks/987654-gone", { ask: "987654-gone" }).post({ intent: "vote" }, cookie);
    expect(statusOf(result)).toBe(404);
  });
});

describe("one vote per partner, enforced by the database", () => {
  it("rejects a duplicate votes row inserted with raw SQL", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id);
    const insert = db().$client.prepare("INSERT INTO votes (ask_id, user_id) VALUES (?, ?)");
    insert.run(ask.id, author.id);
    expect(() => insert.run(ask.id, author.id)).toThrow(/UNIQUE constraint failed: votes\.ask_id, votes\.user_id/);
    expect(rowCount(ask.id)).toBe(1);
  });

  it("rejects a duplicate votes row inserted with drizzle", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id);
    castVote({ askId: ask.id, userId: author.id });
    let thrown: unknown;
    try {
      db().insert(votes).values({ askId: ask.id, userId: author.id }).run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeDefined();
    expect(JSON.stringify(thrown) + String(thrown) + String((thrown as Error).cause)).toMatch(
      /SQLITE_CONSTRAINT_PRIMARYKEY|UNIQUE constraint failed/,
    );
    expect(rowCount(ask.id)).toBe(1);
    expect(getAsk(ask.id)?.voteCount).toBe(1);
  });
});

describe("closed asks", () => {
  it("refuse new votes with 409 and a message, but still let voters retract", async () => {
    const { ask, page } = await askFixture();
    const earlyVoter = await makeUser();
    const earlyCookie = await cookieFor(earlyVoter);
    const lateCookie = await cookieFor(await makeUser());
    expect(statusOf(await page.post({ intent: "vote" }, earlyCookie))).toBe(302);
    expect(getAsk(ask.id)?.voteCount).toBe(1);

    setAskStatus(ask.id, "completed");

    const refused = await page.post({ intent: "vote" }, lateCookie);
    expect(statusOf(refused)).toBe(409);
    expect(replyData<FormReply>(refused).errors.form).toBe("This ask is closed to new votes.");
    expect(getAsk(ask.id)?.voteCount).toBe(1);
    expect(rowCount(ask.id)).toBe(1);
    expect((await loaded(page.load(lateCookie))).voted).toBe(false);

    const retracted = await page.post({ intent: "unvote" }, earlyCookie);
    expect(statusOf(retracted)).toBe(302);
    expect(getAsk(ask.id)?.voteCount).toBe(0);
    expect(rowCount(ask.id)).toBe(0);

    // Once retracted on a closed ask, the vote cannot come back.
    expect(statusOf(await page.post({ intent: "vote" }, earlyCookie))).toBe(409);
    expect(getAsk(ask.id)?.voteCount).toBe(0);
  });

  it.each(["declined", "duplicate"])("refuse new votes when %s", async (status) => {
    const { ask } = await askFixture();
    setAskStatus(ask.id, status);
    expect(castVote({ askId: ask.id, userId: (await makeUser()).id })).toEqual({ ok: false, reason: "closed" });
    expect(storedCount(ask.id)).toBe(0);
  });

  it("refuse new votes on an ask merged into another", async () => {
    const { ask } = await askFixture();
    const { ask: original } = await askFixture();
    const team = await makeUser({ role: "team", team: "Program team" });
    ok(mergeAsk({ askId: ask.id, targetId: original.id, actorId: team.id }));
    // Still in a status that takes votes: only the merge closes it.
    setAskStatus(ask.id, "open");
    const voter = await makeUser();
    expect(castVote({ askId: ask.id, userId: voter.id })).toEqual({ ok: false, reason: "closed" });
    expect(hasVoted(ask.id, voter.id)).toBe(false);
  });
});

describe("concurrent voting from several processes", () => {
  const workers = 5;
  const usersPerWorker = 25;
  const rounds = 30;
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const tsx = `${root}node_modules/.bin/tsx`;
  const workerScript = fileURLToPath(new URL("./vote-worker.ts", import.meta.url));

  type WorkerReport = {
    operations: number;
    busy: number;
    errors: string[];
    notOk: number;
    firstAt: number;
    lastAt: number;
  };

  // Starts a worker; `ready` settles once it has loaded, `report` when it has finished.
  function startWorker(askId: number, userIds: number[]) {
    const child = spawn(tsx, [workerScript, databasePath(), String(askId), userIds.join(","), String(rounds)], {
      cwd: root,
      env: process.env,
    });
    let stdout = "";
    let stderr = "";
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.startsWith("ready\n")) markReady();
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const report = new Promise<WorkerReport>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) reject(new Error(`vote worker exited with ${code}: ${stderr}`));
        else resolve(JSON.parse(stdout.slice("ready\n".length)) as WorkerReport);
      });
    });
    return { ready, report, go: () => child.stdin.write("go\n") };
  }

  it("keeps asks.vote_count exact with no SQLITE_BUSY", { timeout: 120_000 }, async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id, "An ask everyone votes on at once");
    const userSets = Array.from({ length: workers }, (_, w) => insertUsers(usersPerWorker, `concurrent-${w}`));
    // Someone who voted before the rush keeps their vote.
    castVote({ askId: ask.id, userId: author.id });

    const started = userSets.map((ids) => startWorker(ask.id, ids));
    await Promise.all(started.map((w) => w.ready));
    for (const w of started) w.go();
    const reports = await Promise.all(started.map((w) => w.report));

    const perRound = usersPerWorker + Math.ceil(usersPerWorker / 2);
    for (const report of reports) {
      expect(report.errors).toEqual([]);
      expect(report.busy).toBe(0);
      expect(report.notOk).toBe(0);
      expect(report.operations).toBe(rounds * perRound);
    }
    // The workers really ran at the same time: each started before any of them finished.
    const lastStart = Math.max(...reports.map((r) => r.firstAt));
    const firstEnd = Math.min(...reports.map((r) => r.lastAt));
    expect(lastStart).toBeLessThan(firstEnd);

    // After the last round, the users at odd positions (12 of 25) still have their vote.
    const expected = 1 + workers * Math.floor(usersPerWorker / 2);
    expect(rowCount(ask.id)).toBe(expected);
    expect(storedCount(ask.id)).toBe(expected);
    for (const ids of userSets) {
      ids.forEach((id, i) => {
        expect(hasVoted(ask.id, id)).toBe(i % 2 === 1);
      });
    }
  });
});

describe("vote model results", () => {
  it("report the exact count back to the caller", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id);
    const voter = voters(2, "model-voter");
    const [a, b] = [voter(0), voter(1)];
    expect(castVote({ askId: ask.id, userId: a })).toEqual({ ok: true, voted: true, voteCount: 1 });
    expect(castVote({ askId: ask.id, userId: b })).toEqual({ ok: true, voted: true, voteCount: 2 });
    expect(castVote({ askId: ask.id, userId: b })).toEqual({ ok: true, voted: true, voteCount: 2 });
    expect(retractVote({ askId: ask.id, userId: a })).toEqual({ ok: true, voted: false, voteCount: 1 });
    expect(castVote({ askId: 987654, userId: a })).toEqual({ ok: false, reason: "not-found" });
    expect(retractVote({ askId: 987654, userId: a })).toEqual({ ok: false, reason: "not-found" });
  });
});
