// Mail benchmark: what a status update costs when 10,000 people follow the ask, and how fast
// the outbox worker gets their mail to a local SMTP server. Runs at the end of `npm run bench`,
// or alone: tsx scripts/bench-mail.ts [--followers 10000] [--posts 20]
// The web server runs with OUTBOX_WORKER=off, so its POSTs are timed alone; the worker then
// runs as `npm run worker` does, in a process of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { startMailbox } from "../tests/support/smtp-mailbox";
import { Client, demoServerIn, isRedirect, sleep, startBuiltServer } from "./server-process";

const log = (message: string) => console.error(`[bench:mail] ${message}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export type MailBenchResult = {
  followers: number;
  posts: number;
  statusUpdateMs: { withFollowers: { p50: number; p99: number }; withoutFollowers: { p50: number; p99: number } };
  lastFollowerAcceptedAfterMs: number;
  messagesPerSecond: number;
};

export async function benchMail({ followers = 10_000, posts = 20 } = {}): Promise<MailBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "asklog-bench-mail-"));
  const mailbox = await startMailbox();
  const env = { SMTP_URL: mailbox.url, OUTBOX_WORKER: "off", REQUEST_LOG: "off" };
  const { databasePath, server } = await demoServerIn(dir, env);
  let worker: ChildProcess | undefined;
  try {
    await startBuiltServer(server, databasePath, log);
    const database = new Database(databasePath);
    database.pragma("busy_timeout = 5000");
    const team = database.prepare("SELECT id FROM teams WHERE name = 'EPX'").get() as { id: number };
    const status = database.prepare("SELECT id FROM statuses WHERE slug = 'under-review'").get() as { id: number };
    const [busy, quiet] = database
      .prepare("SELECT id, slug FROM asks WHERE hidden_at IS NULL AND duplicate_of_id IS NULL ORDER BY id LIMIT 2")
      .all() as { id: number; slug: string }[];
    if (!busy || !quiet) throw new Error("the demo data has fewer than two asks");
    database.prepare("DELETE FROM subscriptions WHERE ask_id = ?").run(quiet.id);
    const addUser = database.prepare(
      `INSERT INTO users (email, display_name, password_hash, email_verified_at)
       VALUES (?, ?, 'not-a-hash', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id`,
    );
    const addFollow = database.prepare("INSERT INTO subscriptions (ask_id, user_id, reason) VALUES (?, ?, 'voted')");
    database.transaction(() => {
      for (let i = 0; i < followers; i++) {
        const { id } = addUser.get(`bench-follower-${i}@example.com`, `Bench follower ${i}`) as { id: number };
        addFollow.run(busy.id, id);
      }
    })();
    log(`${followers} followers on ask ${busy.id}; none on ask ${quiet.id}`);

    const client = new Client(server.base);
    await client.signIn("tariq@asklog.example", "asklog-demo");
    const post = async (ask: { id: number; slug: string }, note: string) => {
      const started = performance.now();
      const reply = await client.post(`/asks/${ask.id}-${ask.slug}/status`, {
        intent: "create",
        statusId: String(status.id),
        teamId: String(team.id),
        note,
        aboutDate: "",
      });
      const ms = performance.now() - started;
      if (!isRedirect(reply.status)) throw new Error(`status update answered ${reply.status}`);
      return ms;
    };
    const timings: Record<"busy" | "quiet", number[]> = { busy: [], quiet: [] };
    for (let i = 0; i < posts; i++) {
      timings.busy.push(await post(busy, `Bench note ${i}`));
      timings.quiet.push(await post(quiet, `Bench note ${i}`));
    }
    const summary = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { p50: Math.round(percentile(sorted, 50) * 10) / 10, p99: Math.round(percentile(sorted, 99) * 10) / 10 };
    };
    // Only the last update is delivered: the worker would otherwise send posts × followers messages.
    database.prepare("DELETE FROM events WHERE fanned_out_at IS NULL").run();
    const marker = `bench-delivery-${Date.now()}`;
    await post(busy, `Delivery run ${marker}`);
    const postedAt = performance.now();
    worker = spawn("node_modules/.bin/tsx", ["server/worker.ts"], {
      env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    let firstAt = 0;
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const count = mailbox.messages.length;
      if (count && !firstAt) firstAt = performance.now();
      if (count >= followers) break;
      if (Date.now() > deadline) throw new Error(`only ${count} of ${followers} messages within 15 minutes`);
      await sleep(20);
    }
    const lastAt = performance.now();
    database.close();
    const result: MailBenchResult = {
      followers,
      posts,
      statusUpdateMs: { withFollowers: summary(timings.busy), withoutFollowers: summary(timings.quiet) },
      lastFollowerAcceptedAfterMs: Math.round(lastAt - postedAt),
      messagesPerSecond: Math.round((followers / ((lastAt - firstAt) / 1000)) * 10) / 10,
    };
    console.log(
      [
        `status update POST on an ask with ${followers} followers: p50 ${result.statusUpdateMs.withFollowers.p50} ms, p99 ${result.statusUpdateMs.withFollowers.p99} ms (${posts} posts)`,
        `status update POST on an ask with no followers: p50 ${result.statusUpdateMs.withoutFollowers.p50} ms, p99 ${result.statusUpdateMs.withoutFollowers.p99} ms`,
        `worker into a local SMTP server: ${result.messagesPerSecond} messages/s; last follower's message accepted ${(
          result.lastFollowerAcceptedAfterMs / 1000
        ).toFixed(1)} s after the update (worker start-up included)`,
      ].join("\n"),
    );
    return result;
  } finally {
    worker?.kill("SIGTERM");
    await server.stop();
    await mailbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { followers: { type: "string", default: "10000" }, posts: { type: "string", default: "20" } },
  });
  await benchMail({ followers: Number(values.followers), posts: Number(values.posts) });
}
