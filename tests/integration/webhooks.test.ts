import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { addComment, setOfficialResponse } from "~/models/comment.server";
import { mergeAsk } from "~/models/merge.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { castVote, retractVote } from "~/models/vote.server";
import { createWebhookEndpoint } from "~/models/webhook.server";
import * as webhooksPage from "~/routes/admin.webhooks";
import * as endpointPage from "~/routes/admin.webhooks_.$id";
import { mailTransport } from "~/services/mail-transport.server";
import { db } from "../../db/client";
import { type WorkerOptions, workUntilIdle } from "../../server/outbox-worker";
import {
  insertUsers,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  signedIn,
  statusOf,
} from "./helpers";

// The receiver below listens on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE=1 lets through;
// set before anything reads the settings.
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
});

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; body?: string; headers?: Record<string, string> };

// A real HTTP receiver: it keeps every request and answers what the test queued (200 when nothing is).
let server: Server;
let base = "";
const received: Received[] = [];
const answers: Answer[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = answers.shift() ?? { status: 200, body: "ok" };
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received.length = 0;
  answers.length = 0;
  db().$client.prepare("DELETE FROM webhook_endpoints").run();
  db().$client.prepare("DELETE FROM webhook_vote_changes").run();
});

// The Standard Webhooks check, written from the specification: HMAC-SHA256, keyed with the
// base64 part of "whsec_…", over "id.timestamp.body"; the header lists "v1,<base64>" signatures.
function signedWith(secret: string, message: Received, now: Date): boolean {
  const id = String(message.headers["webhook-id"] ?? "");
  const timestamp = String(message.headers["webhook-timestamp"] ?? "");
  const signatures = String(message.headers["webhook-signature"] ?? "").split(" ");
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - now.getTime() / 1000) > 300) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${message.body}`).digest();
  return signatures.some((entry) => {
    const [version, signature = ""] = entry.split(",");
    const given = Buffer.from(signature, "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

type Payload = { type: string; timestamp: string; data: Record<string, unknown> & { ask?: { number: number } } };
const payloadOf = (message: Received) => JSON.parse(message.body) as Payload;
const typesReceived = () => received.map((m) => payloadOf(m).type);

// The worker's clock runs ahead of the real one by what the tests skip forward.
let skipped = 0;
const clock = () => new Date(Date.now() + skipped);
function worker(overrides: Partial<NonNullable<WorkerOptions["webhooks"]>> = {}): WorkerOptions {
  return {
    transport: mailTransport({ smtpUrl: undefined, from: "Asklog <asklog@example.com>" }),
    maxAttempts: 3,
    now: clock,
    webhooks: { allowPrivate: true, voteBatchMs: 60_000, ...overrides },
  };
}
const work = (overrides: Partial<NonNullable<WorkerOptions["webhooks"]>> = {}) => workUntilIdle(worker(overrides));

function endpoint(events = ["ask.created"] as Parameters<typeof createWebhookEndpoint>[0]["events"], path = "/hook") {
  const admin = insertUsers(1, "webhook-admin")[0] ?? 0;
  return createWebhookEndpoint({ url: `${base}${path}`, description: "", events, actorId: admin });
}

function deliveries(endpointId: number) {
  return db().$client.prepare("SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id").all(endpointId) as {
    id: number;
    message_id: string;
    state: string;
    attempts: number;
    event: string;
  }[];
}

function attempts(deliveryId: number) {
  return db().$client.prepare("SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id").all(deliveryId) as {
    attempt: number;
    status_code: number | null;
    error: string | null;
    response_excerpt: string;
  }[];
}

const countRows = (table: string) =>
  (db().$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function statusId(slug: string): number {
  return (db().$client.prepare("SELECT id FROM statuses WHERE slug = ?").get(slug) as { id: number }).id;
}

const listPage = () => route(webhooksPage, "/admin/webhooks");
const endpointRoute = (id: number) => route(endpointPage, `/admin/webhooks/${id}`, { id: String(id) });

// The Cookie header a browser sends after following a redirect that set cookies.
function withCookies(cookie: string, response: unknown): string {
  if (!(response instanceof Response)) return cookie;
  const set = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  return [cookie, ...set].join("; ");
}

describe("registering an endpoint", () => {
  it("shows the secret once, on the page the admin lands on", async () => {
    const { cookie } = await signedIn("admin");
    const reply = await listPage().post(
      { intent: "create", url: `${base}/hook`, description: "Planning board", "event.ask.created": "on" },
      cookie,
    );
    expect(statusOf(reply)).toBe(302);
    const location = locationOf(reply) ?? "";
    expect(location).toMatch(/^\/admin\/webhooks\/\d+$/);
    expect(await noticeAfter(reply)).toMatch(/shown only this once/);
    const id = Number(location.split("/").at(-1));
    const page = endpointRoute(id);
    const first = replyData<{ secret: string | null }>(await page.load(withCookies(cookie, reply)));
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(first.secret?.slice(6) ?? "", "base64").length).toBeGreaterThanOrEqual(24);
    // The page's answer cleared the cookie: the next visit shows no secret.
    expect(replyData<{ secret: string | null }>(await page.load(cookie)).secret).toBeNull();
  });

  it("refuses an address that resolves to a metadata, loopback or private address, next to the URL field", async () => {
    const { cookie } = await signedIn("admin");
    const before = countRows("webhook_endpoints");
    const reply = await listPage().post(
      { intent: "create", url: "http://169.254.169.254/latest/meta-data", "event.ask.created": "on" },
      cookie,
    );
    expect(statusOf(reply)).toBe(400);
    const body = replyData<{ errors: Record<string, string>; values: Record<string, string> }>(reply);
    expect(body.errors.url).toMatch(/refused: 169\.254\.169\.254 resolves to 169\.254\.169\.254, a cloud metadata/);
    expect(body.values.url).toBe("http://169.254.169.254/latest/meta-data");
    expect(countRows("webhook_endpoints")).toBe(before);
  });

  it("keeps what was typed and stores nothing when no event is chosen", async () => {
    const { cookie } = await signedIn("admin");
    const reply = await listPage().post({ intent: "create", url: `${base}/hook`, description: "Jira" }, cookie);
    expect(statusOf(reply)).toBe(400);
    const body = replyData<{ errors: Record<string, string>; values: Record<string, string> }>(reply);
    expect(body.errors["event.ask.created"]).toBe("Choose at least one event.");
    expect(body.values.description).toBe("Jira");
    expect(countRows("webhook_endpoints")).toBe(0);
  });
});

describe("events", () => {
  it("arrive signed after the change that causes each, in the shape docs/webhooks.md gives", async () => {
    const created = endpoint([
      "ask.created",
      "ask.status_changed",
      "status_update.created",
      "comment.created",
      "ask.merged",
      "vote.changed",
    ]);
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "Assignment Team" });

    const ask = makeAsk(author.id, "Explain CPOR to customers on one page");
    expect(received).toHaveLength(0);
    await work();
    expect(typesReceived()).toEqual(["ask.created"]);
    const filed = payloadOf(received[0] as Received);
    expect(filed.data.ask).toMatchObject({
      number: ask.id,
      title: "Explain CPOR to customers on one page",
      url: `http://localhost:3000/asks/${ask.id}-${ask.slug}`,
      status: { slug: "open" },
    });

    received.length = 0;
    ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: statusId("planned"),
        teamId: team.teamId ?? 0,
        note: "Planned for the spring release.",
        links: [],
        actorId: team.id,
      }),
    );
    await work();
    expect(typesReceived().sort()).toEqual(["ask.status_changed", "status_update.created"]);
    const changed = received.map(payloadOf).find((p) => p.type === "ask.status_changed");
    expect(changed?.data).toMatchObject({ from: { slug: "open" }, to: { slug: "planned" } });

    // A second update in the same status is news, but not a status change.
    received.length = 0;
    ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: statusId("planned"),
        teamId: team.teamId ?? 0,
        note: "Still planned; the design is done.",
        links: [],
        actorId: team.id,
      }),
    );
    await work();
    expect(typesReceived()).toEqual(["status_update.created"]);

    received.length = 0;
    const comment = ok(addComment({ askId: ask.id, body: "We shipped a draft page.", authorId: team.id }));
    await work();
    expect(typesReceived()).toEqual(["comment.created"]);
    expect(payloadOf(received[0] as Received).data.comment).toMatchObject({ id: comment.id, official: false });
    received.length = 0;
    ok(setOfficialResponse({ commentId: comment.id, askId: ask.id, official: true, actorId: team.id }));
    await work();
    expect(payloadOf(received[0] as Received).data.comment).toMatchObject({ id: comment.id, official: true });

    received.length = 0;
    const duplicate = makeAsk(author.id, "A CPOR explainer for customers");
    ok(mergeAsk({ askId: duplicate.id, targetId: ask.id, actorId: team.id }));
    await work();
    expect(typesReceived().sort()).toEqual(["ask.created", "ask.merged"]);
    const merged = received.map(payloadOf).find((p) => p.type === "ask.merged");
    expect(merged?.data).toMatchObject({ ask: { number: duplicate.id }, into: { number: ask.id } });

    // Votes gather for the batch window, then go out as one delivery with the current counts.
    received.length = 0;
    const [first = 0, second = 0] = insertUsers(2, "webhook-voter");
    ok(castVote({ askId: ask.id, userId: first }));
    ok(castVote({ askId: ask.id, userId: second }));
    ok(retractVote({ askId: ask.id, userId: second }));
    await work();
    expect(received).toHaveLength(0);
    skipped += 61_000;
    await work();
    expect(typesReceived()).toEqual(["vote.changed"]);
    const votes = payloadOf(received[0] as Received).data as { asks: { number: number; voteCount: number }[] };
    expect(votes.asks).toEqual([expect.objectContaining({ number: ask.id, voteCount: 1 })]);

    expect(deliveries(created.id).every((d) => d.state === "delivered")).toBe(true);
    const all = db()
      .$client.prepare("SELECT payload FROM webhook_deliveries WHERE endpoint_id = ?")
      .all(created.id) as { payload: string }[];
    expect(all).toHaveLength(9);
    for (const message of received) expect(signedWith(created.secret, message, clock())).toBe(true);
  });

  it("goes only to endpoints that chose the event, and never from a vote when none wants votes", async () => {
    const asks = endpoint(["ask.created"], "/asks-only");
    const author = await makeUser();
    const ask = makeAsk(author.id);
    addComment({ askId: ask.id, body: "A comment nobody listens for.", authorId: author.id });
    ok(castVote({ askId: ask.id, userId: insertUsers(1, "quiet-voter")[0] ?? 0 }));
    expect(countRows("webhook_vote_changes")).toBe(0);
    await work();
    expect(typesReceived()).toEqual(["ask.created"]);
    expect(deliveries(asks.id)).toHaveLength(1);
  });
});

describe("delivery", () => {
  it("retries after a 500 and succeeds, with the same webhook-id and both attempts in the log", async () => {
    const created = endpoint();
    const author = await makeUser();
    answers.push({ status: 500, body: "database is down" });
    makeAsk(author.id);
    await work();
    const [delivery] = deliveries(created.id);
    expect(delivery?.state).toBe("pending");
    expect(received).toHaveLength(1);

    skipped += 60 * 60_000;
    await work();
    expect(received).toHaveLength(2);
    expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
    expect(deliveries(created.id)[0]?.state).toBe("delivered");
    expect(attempts(delivery?.id ?? 0)).toEqual([
      expect.objectContaining({ attempt: 1, status_code: 500, response_excerpt: "database is down" }),
      expect.objectContaining({ attempt: 2, status_code: 200, response_excerpt: "ok" }),
    ]);
  });

  it("does not follow a redirect: a 3xx is a failed attempt", async () => {
    const created = endpoint();
    const author = await makeUser();
    answers.push({ status: 302, headers: { Location: `${base}/elsewhere` } });
    makeAsk(author.id);
    await work();
    expect(received.map((r) => r.path)).toEqual(["/hook"]);
    const [delivery] = deliveries(created.id);
    expect(delivery?.state).toBe("pending");
    expect(attempts(delivery?.id ?? 0)[0]).toMatchObject({ status_code: 302 });
    expect(attempts(delivery?.id ?? 0)[0]?.error).toMatch(/Redirects are not followed/);
  });

  it("refuses a loopback receiver without WEBHOOK_ALLOW_PRIVATE, on every attempt", async () => {
    const created = endpoint();
    const author = await makeUser();
    makeAsk(author.id);
    await work({ allowPrivate: false });
    expect(received).toHaveLength(0);
    const [delivery] = deliveries(created.id);
    expect(attempts(delivery?.id ?? 0)[0]?.error).toMatch(/Refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback/);
  });

  it("signs with the new and the previous secret for a day after a rotation", async () => {
    const created = endpoint();
    const { cookie } = await signedIn("admin");
    const reply = await endpointRoute(created.id).post({ intent: "rotate" }, cookie);
    expect(statusOf(reply)).toBe(302);
    const shown = replyData<{ secret: string | null }>(
      await endpointRoute(created.id).load(withCookies(cookie, reply)),
    );
    const rotated = shown.secret ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(created.secret);

    makeAsk((await makeUser()).id);
    await work();
    const [message] = received;
    expect(String(message?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(signedWith(rotated, message as Received, clock())).toBe(true);
    expect(signedWith(created.secret, message as Received, clock())).toBe(true);

    received.length = 0;
    skipped += 25 * 60 * 60_000;
    makeAsk((await makeUser()).id);
    await work();
    expect(String(received[0]?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(signedWith(created.secret, received[0] as Received, clock())).toBe(false);
    expect(signedWith(rotated, received[0] as Received, clock())).toBe(true);
  });

  it("disables the endpoint after a day of failures with no success, and tells the admins by mail", async () => {
    const created = endpoint();
    const { user: admin } = await signedIn("admin");
    const author = await makeUser();
    makeAsk(author.id);
    for (let hour = 0; hour < 30 && deliveries(created.id)[0]?.state === "pending"; hour++) {
      answers.push({ status: 503, body: "maintenance" });
      await work();
      skipped += 60 * 60_000;
    }
    expect(deliveries(created.id)[0]?.state).toBe("dead");
    const row = db()
      .$client.prepare("SELECT disabled_at, disabled_reason, failure_streak FROM webhook_endpoints WHERE id = ?")
      .get(created.id) as { disabled_at: string | null; disabled_reason: string; failure_streak: number };
    expect(row.disabled_at).not.toBeNull();
    expect(row.disabled_reason).toBe("No delivery succeeded for 24 hours.");
    const mail = db()
      .$client.prepare("SELECT subject, text_body FROM outbox WHERE to_address = ?")
      .all(admin.email) as { subject: string; text_body: string }[];
    expect(mail).toEqual([expect.objectContaining({ subject: `Webhook endpoint disabled: ${base}/hook` })]);
    expect(mail[0]?.text_body).toContain(`/admin/webhooks/${created.id}`);

    // A disabled endpoint gets no new deliveries, and the list page says it is disabled.
    const before = received.length;
    makeAsk(author.id);
    await work();
    expect(received).toHaveLength(before);
    const { cookie } = await signedIn("admin");
    const list = await loaded(listPage().load(cookie));
    expect(list.endpoints.find((e) => e.id === created.id)?.disabledReason).toBe("No delivery succeeded for 24 hours.");
  });

  it("disables the endpoint at once when the receiver answers 410 Gone", async () => {
    const created = endpoint();
    answers.push({ status: 410, body: "unsubscribed" });
    makeAsk((await makeUser()).id);
    await work();
    expect(deliveries(created.id)[0]?.state).toBe("dead");
    const row = db().$client.prepare("SELECT disabled_reason FROM webhook_endpoints WHERE id = ?").get(created.id) as {
      disabled_reason: string;
    };
    expect(row.disabled_reason).toMatch(/410 Gone/);
  });
});

describe("the endpoint page", () => {
  it("sends a delivery again, with the same webhook-id, and sends a test event", async () => {
    const created = endpoint();
    const { cookie } = await signedIn("admin");
    makeAsk((await makeUser()).id);
    await work();
    const [delivery] = deliveries(created.id);

    const again = await endpointRoute(created.id).post({ intent: "resend", deliveryId: String(delivery?.id) }, cookie);
    expect(statusOf(again)).toBe(302);
    await work();
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toBe(received[0]?.body);
    expect(received[1]?.headers["webhook-id"]).toBe(delivery?.message_id);

    const test = await endpointRoute(created.id).post({ intent: "test" }, cookie);
    expect(await noticeAfter(test)).toMatch(/test event/);
    await work();
    const ping = payloadOf(received[2] as Received);
    expect(ping.type).toBe("ask.created");
    expect(ping.data.test).toBe(true);
    expect(signedWith(created.secret, received[2] as Received, clock())).toBe(true);

    const page = replyData<Awaited<ReturnType<typeof endpointPage.loader>>["data"]>(
      await endpointRoute(created.id).load(cookie),
    );
    expect(page.deliveries[0]).toMatchObject({ test: true, state: "delivered" });
    expect(page.deliveries[0]?.attempts[0]).toMatchObject({ statusCode: 200, responseExcerpt: "ok" });
  });

  it("refuses partners and team members on every page and action, and stores nothing for them", async () => {
    const created = endpoint();
    makeAsk((await makeUser()).id);
    await work();
    const [delivery] = deliveries(created.id);
    const tables = ["webhook_endpoints", "webhook_deliveries", "webhook_attempts", "audit_entries"];
    const before = tables.map(countRows);
    const secret = db().$client.prepare("SELECT secret FROM webhook_endpoints WHERE id = ?").get(created.id);
    for (const role of ["member", "team"] as const) {
      const { cookie } = await signedIn(role);
      expect(statusOf(await listPage().load(cookie))).toBe(403);
      expect(statusOf(await endpointRoute(created.id).load(cookie))).toBe(403);
      expect(
        statusOf(await listPage().post({ intent: "create", url: `${base}/x`, "event.ask.created": "on" }, cookie)),
      ).toBe(403);
      const actions: Record<string, string>[] = [
        { intent: "edit", url: `${base}/x`, "event.ask.created": "on" },
        { intent: "rotate" },
        { intent: "disable" },
        { intent: "enable" },
        { intent: "delete" },
        { intent: "test" },
        { intent: "resend", deliveryId: String(delivery?.id) },
      ];
      for (const fields of actions) {
        expect(statusOf(await endpointRoute(created.id).post(fields, cookie)), `${role} ${fields.intent}`).toBe(403);
      }
    }
    expect(tables.map(countRows)).toEqual(before);
    expect(db().$client.prepare("SELECT secret FROM webhook_endpoints WHERE id = ?").get(created.id)).toEqual(secret);
  });

  it("disables, enables and deletes an endpoint, each in the audit log", async () => {
    const created = endpoint();
    const { cookie } = await signedIn("admin");
    const page = endpointRoute(created.id);
    expect(statusOf(await page.post({ intent: "disable" }, cookie))).toBe(302);
    makeAsk((await makeUser()).id);
    expect(deliveries(created.id)).toHaveLength(0);
    expect(statusOf(await page.post({ intent: "test" }, cookie))).toBe(409);
    expect(statusOf(await page.post({ intent: "enable" }, cookie))).toBe(302);
    expect(statusOf(await page.post({ intent: "delete" }, cookie))).toBe(302);
    expect(statusOf(await page.load(cookie))).toBe(404);
    const actions = db()
      .$client.prepare("SELECT action FROM audit_entries WHERE subject_type = 'webhook' AND subject_id = ? ORDER BY id")
      .all(created.id)
      .map((r) => (r as { action: string }).action);
    expect(actions).toEqual(["webhook.create", "webhook.disable", "webhook.enable", "webhook.delete"]);
  });
});
