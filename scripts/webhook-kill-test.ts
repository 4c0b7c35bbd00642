// Webhook kill test: the production server delivers comment.created events to a local receiver
// that answers slowly; partners' comments go in over HTTP and the server is killed with SIGKILL
// right after (at a different moment each round), while deliveries are in flight. After a restart
// every committed comment's event must arrive, signed; an event in flight at the kill may arrive
// twice (with the same webhook-id, so a receiver can drop it): duplicates are counted, and more of
// them than deliveries in flight fails the test.
// Usage: tsx scripts/webhook-kill-test.ts [--comments 25] [--delays 0,200] [--keep]
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { Client, demoServerIn, isRedirect, sleep, startBuiltServer, waitUntil } from "./server-process";

const { values } = parseArgs({
  options: {
    comments: { type: "string", default: "25" },
    delays: { type: "string", default: "0,200" },
    keep: { type: "boolean", default: false },
  },
});
const commentCount = Number(values.comments);
const delays = values.delays.split(",").map(Number);
const log = (message: string) => console.error(`[webhook-kill-test] ${message}`);

// The receiver: checks each signature as docs/webhooks.md says, counts each webhook-id, and takes
// 100 ms to answer, so that a kill finds deliveries on the way.
const secret = `whsec_${randomBytes(32).toString("base64")}`;
const seen = new Map<string, number>();
let badSignatures = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const id = String(req.headers["webhook-id"] ?? "");
    const timestamp = String(req.headers["webhook-timestamp"] ?? "");
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
    if (
      !String(req.headers["webhook-signature"] ?? "")
        .split(" ")
        .includes(`v1,${expected}`)
    )
      badSignatures++;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    setTimeout(() => res.writeHead(200).end("ok"), 100);
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/asklog`;

const dir = mkdtempSync(join(tmpdir(), "asklog-webhook-kill-"));
const { databasePath, server } = await demoServerIn(dir, { WEBHOOK_ALLOW_PRIVATE: "1", REQUEST_LOG: "off" });
let failed = false;
const rounds: Record<string, number>[] = [];

try {
  await startBuiltServer(server, databasePath, log);
  const database = new Database(databasePath);
  database.pragma("busy_timeout = 5000");
  const { id: endpointId } = database
    .prepare(`INSERT INTO webhook_endpoints (url, events, secret) VALUES (?, '["comment.created"]', ?) RETURNING id`)
    .get(receiverUrl, secret) as { id: number };
  const asks = database
    .prepare("SELECT id, slug FROM asks WHERE hidden_at IS NULL AND comments_locked_at IS NULL ORDER BY id LIMIT ?")
    .all(delays.length) as { id: number; slug: string }[];
  if (asks.length < delays.length) throw new Error("the demo data has too few asks");
  const messageIds = () =>
    (
      database.prepare("SELECT message_id FROM webhook_deliveries WHERE endpoint_id = ?").all(endpointId) as {
        message_id: string;
      }[]
    ).map((r) => r.message_id);

  for (const [round, delay] of delays.entries()) {
    const ask = asks[round];
    if (!ask) break;
    const client = new Client(server.base);
    await client.signIn("dana@contoso.example", "asklog-demo");
    const before = messageIds().length;
    for (let i = 0; i < commentCount; i++) {
      const reply = await client.post(`/asks/${ask.id}-${ask.slug}`, {
        intent: "comment",
        body: `Kill round ${round}, comment ${i}: we need this for our rebate reports.`,
      });
      if (!isRedirect(reply.status))
        throw new Error(`the comment answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    }
    await sleep(delay);
    const arrivedBeforeKill = seen.size;
    await server.kill();
    const inFlight = (
      database
        .prepare(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND state = 'pending' AND lease_owner IS NOT NULL",
        )
        .get(endpointId) as { n: number }
    ).n;
    const written = messageIds().length - before;
    log(
      `round ${round}: killed ${delay} ms after ${commentCount} comments; ${written} deliveries written, ${inFlight} in flight`,
    );
    await server.start();

    // A delivery the dead worker held waits for its lease (30 s) to run out.
    const expected = messageIds();
    await waitUntil(() => (expected.every((id) => seen.has(id)) ? true : undefined), 90_000, 200);
    // A moment more, so that a duplicate on its way is counted too.
    await sleep(1500);
    const missing = expected.filter((id) => !seen.has(id)).length;
    const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    const result = {
      round,
      delayMs: delay,
      comments: commentCount,
      deliveriesWritten: written,
      arrivedBeforeKill,
      inFlight,
      missing,
      duplicatesSoFar: duplicates,
      badSignatures,
    };
    rounds.push(result);
    log(JSON.stringify(result));
    const allowedDuplicates = rounds.reduce((sum, r) => sum + (r.inFlight ?? 0), 0);
    if (written !== commentCount || missing > 0 || duplicates > allowedDuplicates || badSignatures > 0) failed = true;
  }
  database.close();
} catch (error) {
  failed = true;
  log(String(error));
  log(server.output.slice(-3000));
} finally {
  await server.stop();
  receiver.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

const total = (key: string) => rounds.reduce((sum, r) => sum + (r[key] ?? 0), 0);
const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
console.log(
  `webhook kill test: ${rounds.length} kills, ${total("deliveriesWritten")} events, ${total("missing")} missing, ${duplicates} duplicates (${total("inFlight")} in flight at the kills), ${badSignatures} bad signatures`,
);
process.exit(failed ? 1 : 0);
