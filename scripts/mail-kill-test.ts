// Mail kill test: the production server sends through a real local SMTP server; a team member
// posts a status update on an ask with many followers, and the server is killed with SIGKILL
// right after the update is acknowledged (at a different moment each round: before, during
// and after fan-out and sending). After a restart every follower must get exactly one message
// for that update, or at most one duplicate per message that was in flight at the kill.
// Usage: tsx scripts/mail-kill-test.ts [--followers 200] [--delays 0,400,800,1500] [--keep]
// Exits non-zero if a message is lost or duplicated beyond that.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { startMailbox } from "../tests/support/smtp-mailbox";
import { Client, demoServerIn, isRedirect, sleep, startBuiltServer, waitUntil } from "./server-process";

const { values } = parseArgs({
  options: {
    followers: { type: "string", default: "200" },
    delays: { type: "string", default: "0,400,800,1500" },
    keep: { type: "boolean", default: false },
  },
});
const followerCount = Number(values.followers);
const delays = values.delays.split(",").map(Number);
const log = (message: string) => console.error(`[mail-kill-test] ${message}`);

const dir = mkdtempSync(join(tmpdir(), "asklog-mail-kill-"));
const mailbox = await startMailbox();
const { databasePath, server } = await demoServerIn(dir, { SMTP_URL: mailbox.url, REQUEST_LOG: "off" });
let failed = false;
const rounds: Record<string, number>[] = [];

try {
  await startBuiltServer(server, databasePath, log);
  const database = new Database(databasePath);
  database.pragma("busy_timeout = 5000");
  const team = database.prepare("SELECT id FROM teams WHERE name = 'EPX'").get() as { id: number } | undefined;
  const status = database.prepare("SELECT id FROM statuses WHERE slug = 'planned'").get() as { id: number } | undefined;
  const asks = database
    .prepare("SELECT id, slug FROM asks WHERE hidden_at IS NULL AND duplicate_of_id IS NULL ORDER BY id LIMIT ?")
    .all(delays.length) as { id: number; slug: string }[];
  if (!team || !status || asks.length < delays.length) throw new Error("the demo data is missing EPX, Planned or asks");

  for (const [round, delay] of delays.entries()) {
    const ask = asks[round];
    if (!ask) break;
    // Followers who only need an address: inserted straight into the file the server uses.
    const addresses = Array.from({ length: followerCount }, (_, i) => `kill-${round}-${i}@example.com`);
    const addUser = database.prepare(
      `INSERT INTO users (email, display_name, password_hash, email_verified_at)
       VALUES (?, ?, 'not-a-hash', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id`,
    );
    const addFollow = database.prepare("INSERT INTO subscriptions (ask_id, user_id, reason) VALUES (?, ?, 'voted')");
    database.transaction(() => {
      for (const [i, email] of addresses.entries()) {
        const { id } = addUser.get(email, `Kill follower ${round}-${i}`) as { id: number };
        addFollow.run(ask.id, id);
      }
    })();

    const client = new Client(server.base);
    await client.signIn("tariq@asklog.example", "asklog-demo");
    const marker = `kill-round-${round}-${Date.now()}`;
    const reply = await client.post(`/asks/${ask.id}-${ask.slug}/status`, {
      intent: "create",
      statusId: String(status.id),
      teamId: String(team.id),
      note: `Planned for the next release (${marker}).`,
      aboutDate: "",
    });
    if (!isRedirect(reply.status) || reply.location?.startsWith("/signin")) {
      throw new Error(`the status update answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    }
    await sleep(delay);
    const before = mailbox.messages.filter((m) => m.text?.includes(marker)).length;
    await server.kill();
    // Rows a worker had claimed and not settled when it died: each may go twice.
    const inFlight = (
      database
        .prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND lease_owner IS NOT NULL")
        .get() as { n: number }
    ).n;
    log(
      `round ${round}: killed ${delay} ms after the update; ${before} messages sent by then (the ask's own followers included), ${inFlight} in flight`,
    );
    await server.start();

    // Rows the dead worker had claimed wait for its lease (30 s) to run out; the ask's own
    // followers get the mail too, so the wait is for each of this round's addresses.
    const received = () => mailbox.messages.filter((m) => m.text?.includes(marker));
    const perAddress = () => {
      const counts = new Map<string, number>();
      for (const m of received()) {
        const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
        for (const a of to.flatMap((t) => t.value)) counts.set(a.address ?? "", (counts.get(a.address ?? "") ?? 0) + 1);
      }
      return counts;
    };
    await waitUntil(() => (addresses.every((a) => perAddress().get(a)) ? true : undefined), 120_000, 200);
    // A moment more, so that a duplicate on its way is counted too.
    await sleep(1500);
    const counts = perAddress();
    const missing = addresses.filter((a) => !counts.get(a)).length;
    const duplicates = addresses.reduce((sum, a) => sum + Math.max(0, (counts.get(a) ?? 0) - 1), 0);
    const result = {
      round,
      delayMs: delay,
      followers: followerCount,
      sentBeforeKill: before,
      inFlight,
      missing,
      duplicates,
    };
    rounds.push(result);
    log(JSON.stringify(result));
    if (missing > 0 || duplicates > inFlight) failed = true;
  }
  database.close();
} catch (error) {
  failed = true;
  log(String(error));
  log(server.output.slice(-3000));
} finally {
  await server.stop();
  await mailbox.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

const total = (key: string) => rounds.reduce((sum, r) => sum + (r[key] ?? 0), 0);
console.log(
  `mail kill test: ${rounds.length} kills, ${total("followers")} followers, ${total("missing")} missing, ${total(
    "duplicates",
  )} duplicates (${total("inFlight")} in flight at the kills)`,
);
process.exit(failed ? 1 : 0);
