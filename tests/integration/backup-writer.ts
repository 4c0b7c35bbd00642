// A separate process writing through the models while backup.test.ts takes a backup.
// Run with tsx: backup-writer.ts <database path> <comma-separated ask ids> <comma-separated user ids>
// Cycles through: file an ask, comment, cast a vote, retract a vote (the votes on the
// given asks, as the given users). Each write is reported on stdout as one JSON line
// once its transaction has committed; stops when stdin closes (or after 60 s).
// Imports are relative: the ~/ alias exists only inside vitest.
import { createAsk } from "../../app/models/ask.server";
import { listCategories } from "../../app/models/category.server";
import { addComment } from "../../app/models/comment.server";
import { castVote, retractVote } from "../../app/models/vote.server";
import { at } from "../../scripts/lists";

const [databasePath, asksArg, usersArg] = process.argv.slice(2);
if (!databasePath || !asksArg || !usersArg) throw new Error("Usage: backup-writer.ts <database> <ask ids> <user ids>");
// The connection opens on first use, so this still decides which file it is.
process.env.DATABASE_PATH = databasePath;

const askIds = asksArg.split(",").map(Number);
const userIds = usersArg.split(",").map(Number);
const categoryId = at(listCategories(), 0).id;

let stopped = false;
process.stdin.on("end", () => {
  stopped = true;
});
process.stdin.resume();
const deadline = Date.now() + 60_000;

// Deterministic, so a failure can be replayed.
let state = 7;
const pick = <T>(items: T[]): T => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return at(items, state % items.length);
};

const report = (write: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(write)}\n`);

for (let seq = 1; !stopped && Date.now() < deadline; seq++) {
  const userId = pick(userIds);
  switch (seq % 4) {
    case 1: {
      const title = `Backup writer ask ${seq}`;
      const ask = createAsk({ title, body: "Filed while a backup runs.", categoryId, authorId: userId });
      if (ask.ok) report({ seq, kind: "ask", askId: ask.id, title });
      break;
    }
    case 2: {
      const askId = pick(askIds);
      const body = `Backup writer comment ${seq}`;
      const comment = addComment({ askId, body, authorId: userId });
      if (comment.ok) report({ seq, kind: "comment", askId, commentId: comment.id, body });
      break;
    }
    case 3: {
      const askId = pick(askIds);
      if (castVote({ askId, userId }).ok) report({ seq, kind: "vote", askId, userId });
      break;
    }
    default: {
      const askId = pick(askIds);
      if (retractVote({ askId, userId }).ok) report({ seq, kind: "unvote", askId, userId });
    }
  }
  // Let the stdin "end" event through now and then.
  if (seq % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
}
