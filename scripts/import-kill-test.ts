// Import kill test: the production server's worker runs an import queued from the admin page,
// and it is killed with SIGKILL while the import runs (each round at another point: while the
// file is checked, while it is written, and the import process alone). After a restart the
// run must end done, with every ask, comment and vote of the file exactly once.
// Usage: tsx scripts/import-kill-test.ts [--asks 5000] [--keep]
// Exits non-zero if a run does not finish, or anything is missing or doubled.
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { childrenOf, commandLine, demoServerIn, startBuiltServer, waitUntil } from "./server-process";

const { values } = parseArgs({
  options: { asks: { type: "string", default: "5000" }, keep: { type: "boolean", default: false } },
});
const askCount = Number(values.asks);
const votesPerAsk = 5;
const commentsPerAsk = 2;
const log = (message: string) => console.error(`[import-kill-test] ${message}`);

const dir = mkdtempSync(join(tmpdir(), "asklog-import-kill-"));
const { databasePath, server } = await demoServerIn(dir, { REQUEST_LOG: "off" });
const uploads = join(dirname(databasePath), "imports");

// Where each round kills: the whole server (and the import process with it) while the file is
// checked or written, or only the import process while the server goes on.
const rounds = [
  { name: "server killed while checking", phase: "checking", target: "server" },
  { name: "server killed while writing", phase: "writing", target: "server" },
  { name: "import process killed while writing", phase: "writing", target: "import" },
] as const;

async function writeHistory(path: string, prefix: string): Promise<void> {
  const out = createWriteStream(path);
  const put = (text: string) => (out.write(text) ? Promise.resolve() : new Promise((r) => out.once("drain", r)));
  await put('{"format":"asklog","version":1,"people":[');
  for (let p = 0; p < 200; p++) {
    await put(
      `${p ? "," : ""}${JSON.stringify({ ref: `${prefix}-p${p}`, name: `Kill Person ${p}`, organization: `Org ${p % 20}` })}`,
    );
  }
  await put('],"asks":[');
  for (let a = 0; a < askCount; a++) {
    const ask = {
      ref: `${prefix}-a${a}`,
      title: `Imported ask ${a} about partner incentives`,
      body: "Partners want the incentive rules on one page, with the dates that apply.",
      author: `${prefix}-p${a % 200}`,
      category: "Partner Center",
      createdAt: "2020-03-01",
      votes: Array.from({ length: votesPerAsk }, (_, v) => `${prefix}-p${(a + v * 7) % 200}`),
      statusUpdates: [{ date: "2020-03-05", team: "EPX", status: "under-review", note: "Looking at it." }],
      comments: Array.from({ length: commentsPerAsk }, (_, c) => ({
        author: `${prefix}-p${(a + c) % 200}`,
        createdAt: `2020-03-0${c + 2}T10:00:00Z`,
        body: `Comment ${c} on ask ${a}.`,
      })),
    };
    await put(`${a ? "," : ""}${JSON.stringify(ask)}`);
  }
  await put("]}");
  await new Promise<void>((resolve) => out.end(resolve));
}

// The import process the server started, if any.
function importProcess(serverPid: number): number | undefined {
  return childrenOf(serverPid).find((pid) => commandLine(pid).some((arg) => arg.endsWith("import-job.ts")));
}

let failed = false;
const results: Record<string, unknown>[] = [];
try {
  await startBuiltServer(server, databasePath, log);
  const database = new Database(databasePath);
  database.pragma("busy_timeout = 10000");
  const admin = database.prepare("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").get() as {
    id: number;
  };
  mkdirSync(uploads, { recursive: true });

  for (const [index, round] of rounds.entries()) {
    const prefix = `kill${index}`;
    const source = join(dir, `${prefix}.json`);
    await writeHistory(source, prefix);
    const filePath = join(uploads, `${prefix}.json`);
    copyFileSync(source, filePath);
    const { id } = database
      .prepare("INSERT INTO import_runs (actor_id, file_name, file_path) VALUES (?, ?, ?) RETURNING id")
      .get(admin.id, `${prefix}.json`, filePath) as { id: number };

    // Wait for the import to reach the round's phase, then kill.
    const progressFile = `${filePath}.progress.json`;
    const phase = () => {
      try {
        return (JSON.parse(readFileSync(progressFile, "utf8")) as { phase: string }).phase;
      } catch {
        return "";
      }
    };
    const reached = await waitUntil(() => (phase() === round.phase ? true : undefined), 120_000, 20);
    if (!reached) throw new Error(`round ${index}: the import never reached ${round.phase}`);
    const serverPid = server.pid();
    const child = importProcess(serverPid);
    if (child === undefined) throw new Error(`round ${index}: no import process under the server`);
    if (round.target === "server") {
      process.kill(child, "SIGKILL");
      await server.kill();
      log(`${round.name}: killed server ${serverPid} and import ${child}`);
      await server.start();
    } else {
      process.kill(child, "SIGKILL");
      log(`${round.name}: killed import ${child}`);
    }

    const runState = () =>
      (database.prepare("SELECT state FROM import_runs WHERE id = ?").get(id) as { state: string }).state;
    const finished = (state: string) => (state === "done" || state === "failed" ? state : undefined);
    const state = (await waitUntil(() => finished(runState()), 300_000, 250)) ?? runState();
    const count = (sql: string) => (database.prepare(sql).get(`${prefix}-%`) as { n: number }).n;
    const result = {
      round: round.name,
      state,
      asks: count("SELECT count(*) AS n FROM asks WHERE source_ref LIKE ?"),
      comments: count(
        "SELECT count(*) AS n FROM comments WHERE ask_id IN (SELECT id FROM asks WHERE source_ref LIKE ?)",
      ),
      votes: count("SELECT count(*) AS n FROM votes WHERE ask_id IN (SELECT id FROM asks WHERE source_ref LIKE ?)"),
      voteCounts: count("SELECT coalesce(sum(vote_count), 0) AS n FROM asks WHERE source_ref LIKE ?"),
    };
    results.push(result);
    log(JSON.stringify(result));
    const expected = { asks: askCount, comments: askCount * commentsPerAsk, votes: askCount * votesPerAsk };
    if (
      state !== "done" ||
      result.asks !== expected.asks ||
      result.comments !== expected.comments ||
      result.votes !== expected.votes ||
      result.voteCounts !== expected.votes
    ) {
      failed = true;
      log(`expected ${JSON.stringify(expected)}`);
    }
  }
  database.close();
} catch (error) {
  failed = true;
  log(String(error));
  log(server.output.slice(-3000));
} finally {
  await server.stop();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

console.log(
  `import kill test: ${results.length} kills, ${results.filter((r) => r.state === "done").length} runs done, ${askCount.toLocaleString("en")} asks each, ${failed ? "FAILED" : "nothing lost or doubled"}`,
);
process.exit(failed ? 1 : 0);
