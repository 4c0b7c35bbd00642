// A separate process voting on one ask, for the concurrency test in votes.test.ts.
// Run with tsx: vote-worker.ts <database path> <ask id> <comma-separated user ids> <rounds>
// It prints "ready" once loaded, starts voting when a line arrives on stdin, and prints its report.
// Each round casts a vote for every user, then retracts the votes of the users at even positions,
// so afterwards exactly the users at odd positions have voted.
// Imports are relative: the ~/ alias exists only inside vitest.
import { castVote, retractVote } from "../../app/models/vote.server";

const [databasePath, askArg, usersArg, roundsArg] = process.argv.slice(2);
if (!databasePath || !askArg || !usersArg || !roundsArg) {
  throw new Error("usage: vote-worker.ts <database path> <ask id> <comma-separated user ids> <rounds>");
}
// The connection opens on first use, so this still decides which file it is.
process.env.DATABASE_PATH = databasePath;

const askId = Number(askArg);
const userIds = usersArg.split(",").map(Number);
const rounds = Number(roundsArg);

const report = { operations: 0, busy: 0, errors: [] as string[], notOk: 0, firstAt: 0, lastAt: 0 };

function attempt(operation: () => { ok: boolean }): void {
  try {
    if (!operation().ok) report.notOk += 1;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("SQLITE_BUSY")) report.busy += 1;
    else report.errors.push(`${code} ${(error as Error).message}`);
  }
  report.operations += 1;
}

// Start together with the other workers, however long each one took to load.
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy();

report.firstAt = Date.now();
for (let round = 0; round < rounds; round++) {
  for (const userId of userIds) attempt(() => castVote({ askId, userId }));
  userIds.forEach((userId, i) => {
    if (i % 2 === 0) attempt(() => retractVote({ askId, userId }));
  });
}
report.lastAt = Date.now();

process.stdout.write(`${JSON.stringify(report)}\n`);
