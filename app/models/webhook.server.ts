import { randomBytes } from "node:crypto";
import { and, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { DeliveryState, WebhookEvent } from "~/domain";
import { publicOrigin } from "~/settings.server";
import { askPath } from "~/slug";
import { db, preparedQuery, type Tx } from "../../db/client";
import {
  asks,
  categories,
  comments,
  statuses,
  statusUpdates,
  teams,
  users,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookVoteChanges,
} from "../../db/schema";
import { recordAudit } from "./audit.server";
import type { NewEvent } from "./event.server";
import { enqueueMail, retryDelayMs } from "./outbox.server";
import { type Done, done, type Result, refused } from "./result";

// Webhooks (docs/webhooks.md): endpoints admins register, and one delivery per event and
// endpoint, written in the transaction of the change it tells about and sent by the outbox
// worker with retries, like mail.

// The Standard Webhooks secret: "whsec_" and base64 of 32 random bytes (the spec asks for 24 to 64).
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

// The webhook-id header. It is signed as "id.timestamp.body", so it must hold no dot: base64url has none.
function newMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

// The previous secret keeps signing this long after a rotation, so receivers can switch over.
export const rotationOverlapMs = 24 * 60 * 60_000;
// A delivery is retried with growing waits for this long after it was written, then it is dead.
export const retryWindowMs = 24 * 60 * 60_000;

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type EndpointInput = { url: string; description: string; events: WebhookEvent[] };

// What the admin pages show of an endpoint: never its secrets.
const endpointView = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  failureStreak: webhookEndpoints.failureStreak,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  previousSecretUntil: webhookEndpoints.previousSecretUntil,
  createdAt: webhookEndpoints.createdAt,
};

function auditView(endpoint: Pick<WebhookEndpoint, "url" | "description" | "events">) {
  return { url: endpoint.url, description: endpoint.description, events: endpoint.events.join(", ") };
}

// Nothing about a valid form can refuse a new endpoint; its address was checked by the caller.
export type EndpointCreation = Done<{ id: number; secret: string }>;

export function createWebhookEndpoint({ actorId, ...input }: EndpointInput & { actorId: number }): EndpointCreation {
  const secret = newWebhookSecret();
  return db().transaction(
    (tx): EndpointCreation => {
      const { id } = tx
        .insert(webhookEndpoints)
        .values({ ...input, secret, createdById: actorId })
        .returning({ id: webhookEndpoints.id })
        .get();
      recordAudit(tx, {
        actorId,
        action: "webhook.create",
        subjectType: "webhook",
        subjectId: id,
        after: auditView(input),
      });
      return done({ id, secret });
    },
    { behavior: "immediate" },
  );
}

export function updateWebhookEndpoint({
  endpointId,
  actorId,
  ...input
}: EndpointInput & { endpointId: number; actorId: number }): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const before = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
      if (!before) return refused("not-found");
      tx.update(webhookEndpoints).set(input).where(eq(webhookEndpoints.id, endpointId)).run();
      recordAudit(tx, {
        actorId,
        action: "webhook.edit",
        subjectType: "webhook",
        subjectId: endpointId,
        before: auditView(before),
        after: auditView(input),
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type SecretRotation = Result<"not-found", { secret: string }>;

// The new secret signs from now on; the old one signs beside it for a day (both signatures in
// the header, as the specification allows), so a receiver can switch without losing events.
export function rotateWebhookSecret({
  endpointId,
  actorId,
  now = new Date(),
}: {
  endpointId: number;
  actorId: number;
  now?: Date;
}): SecretRotation {
  const secret = newWebhookSecret();
  return db().transaction(
    (tx): SecretRotation => {
      const endpoint = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
      if (!endpoint) return refused("not-found");
      const until = new Date(now.getTime() + rotationOverlapMs).toISOString();
      tx.update(webhookEndpoints)
        .set({ secret, previousSecret: endpoint.secret, previousSecretUntil: until })
        .where(eq(webhookEndpoints.id, endpointId))
        .run();
      recordAudit(tx, {
        actorId,
        action: "webhook.rotate-secret",
        subjectType: "webhook",
        subjectId: endpointId,
        after: { previousSecretUntil: until },
      });
      return done({ secret });
    },
    { behavior: "immediate" },
  );
}

// Enabling starts the failure count afresh; deliveries that waited while it was off go out again.
export function setWebhookEnabled({
  endpointId,
  enabled,
  actorId,
}: {
  endpointId: number;
  enabled: boolean;
  actorId: number;
}): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const endpoint = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
      if (!endpoint) return refused("not-found");
      const change = enabled
        ? { disabledAt: null, disabledReason: null, failureStreak: 0 }
        : { disabledAt: endpoint.disabledAt ?? new Date().toISOString(), disabledReason: "Disabled by an admin." };
      tx.update(webhookEndpoints).set(change).where(eq(webhookEndpoints.id, endpointId)).run();
      recordAudit(tx, {
        actorId,
        action: enabled ? "webhook.enable" : "webhook.disable",
        subjectType: "webhook",
        subjectId: endpointId,
        before: { enabled: endpoint.disabledAt === null },
        after: { enabled },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

// Its deliveries and their attempts go with it.
export function deleteWebhookEndpoint({ endpointId, actorId }: { endpointId: number; actorId: number }) {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const endpoint = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
      if (!endpoint) return refused("not-found");
      tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).run();
      recordAudit(tx, {
        actorId,
        action: "webhook.delete",
        subjectType: "webhook",
        subjectId: endpointId,
        before: auditView(endpoint),
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type EndpointSummary = ReturnType<typeof listWebhookEndpoints>[number];

export function listWebhookEndpoints() {
  const waiting = db()
    .select({ endpointId: webhookDeliveries.endpointId, n: count() })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.state, "pending"))
    .groupBy(webhookDeliveries.endpointId)
    .all();
  const pending = new Map(waiting.map((r) => [r.endpointId, r.n]));
  return db()
    .select(endpointView)
    .from(webhookEndpoints)
    .orderBy(webhookEndpoints.id)
    .all()
    .map((e) => ({ ...e, pending: pending.get(e.id) ?? 0 }));
}

export function getWebhookEndpoint(id: number) {
  return db().select(endpointView).from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
}

// The secret itself, for the one page that shows it right after it was made.
export function webhookSecret(id: number): string | undefined {
  return db()
    .select({ secret: webhookEndpoints.secret })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .get()?.secret;
}

export const deliveryPageSize = 50;

export type DeliveryLogEntry = ReturnType<typeof listDeliveries>["deliveries"][number];

// The endpoint's delivery log, newest first, each delivery with its attempts.
export function listDeliveries(endpointId: number, page: number) {
  const rows = db()
    .select({
      id: webhookDeliveries.id,
      messageId: webhookDeliveries.messageId,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      state: webhookDeliveries.state,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(deliveryPageSize)
    .offset((page - 1) * deliveryPageSize)
    .all();
  const total =
    db().select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).get()?.n ??
    0;
  const ids = rows.map((r) => r.id);
  const attempts = ids.length
    ? db()
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .orderBy(webhookAttempts.id)
        .all()
    : [];
  const deliveries = rows.map(({ payload, ...row }) => ({
    ...row,
    test: isTestPayload(payload),
    attempts: attempts
      .filter((a) => a.deliveryId === row.id)
      .map(({ id, attempt, statusCode, error, responseExcerpt, durationMs, createdAt }) => ({
        id,
        attempt,
        statusCode,
        error,
        responseExcerpt,
        durationMs,
        createdAt,
      })),
  }));
  return { deliveries, total };
}

function isTestPayload(payload: string): boolean {
  try {
    return (JSON.parse(payload) as { data?: { test?: unknown } }).data?.test === true;
  } catch {
    return false;
  }
}

// "Send again": a copy of the delivery, due now, with the same webhook-id (it is the same
// event, so a receiver that already has it can drop it) and a retry window of its own.
export function resendDelivery({
  endpointId,
  deliveryId,
  actorId,
}: {
  endpointId: number;
  deliveryId: number;
  actorId: number;
}): Result<"not-found", { id: number }> {
  return db().transaction(
    (tx): Result<"not-found", { id: number }> => {
      const original = tx
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
        .get();
      if (!original) return refused("not-found");
      const now = new Date().toISOString();
      const { id } = tx
        .insert(webhookDeliveries)
        .values({
          endpointId,
          messageId: original.messageId,
          event: original.event,
          payload: original.payload,
          createdAt: now,
          nextAttemptAt: now,
        })
        .returning({ id: webhookDeliveries.id })
        .get();
      recordAudit(tx, {
        actorId,
        action: "webhook.resend",
        subjectType: "webhook",
        subjectId: endpointId,
        after: { deliveryId: original.id, copy: id, messageId: original.messageId },
      });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

// A made-up ask, flagged `test: true`, so the receiver's handling of a real event can be tried.
// It goes to the endpoint whatever events it chose, but not while it is disabled.
export function sendTestEvent({
  endpointId,
  actorId,
  now = new Date(),
}: {
  endpointId: number;
  actorId: number;
  now?: Date;
}): Result<"not-found" | "disabled", { id: number }> {
  return db().transaction(
    (tx): Result<"not-found" | "disabled", { id: number }> => {
      const endpoint = tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
      if (!endpoint) return refused("not-found");
      if (endpoint.disabledAt) return refused("disabled");
      const data = {
        test: true,
        ask: {
          number: 0,
          title: "A test event from Asklog",
          url: `${publicOrigin()}/`,
          status: { name: "Open", slug: "open" },
          category: "Test",
          team: null,
          voteCount: 0,
          commentCount: 0,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        },
      };
      const id = insertDelivery(tx, endpointId, "ask.created", data, now);
      recordAudit(tx, { actorId, action: "webhook.test", subjectType: "webhook", subjectId: endpointId });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

function insertDelivery(tx: Tx, endpointId: number, event: WebhookEvent, data: object, now: Date): number {
  const at = now.toISOString();
  const payload = JSON.stringify({ type: event, timestamp: at, data });
  return tx
    .insert(webhookDeliveries)
    .values({ endpointId, messageId: newMessageId(), event, payload, createdAt: at, nextAttemptAt: at })
    .returning({ id: webhookDeliveries.id })
    .get().id;
}

const enabledEndpoints = preparedQuery((database) =>
  database
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(isNull(webhookEndpoints.disabledAt))
    .prepare(),
);

function endpointsFor(event: WebhookEvent): number[] {
  return enabledEndpoints()
    .all()
    .filter((e) => e.events.includes(event))
    .map((e) => e.id);
}

// One delivery for each enabled endpoint that wants this event, in the caller's transaction:
// the delivery exists exactly when the change committed.
export function enqueueWebhooks(tx: Tx, event: WebhookEvent, data: object, now = new Date()): number {
  const endpoints = endpointsFor(event);
  for (const endpointId of endpoints) insertDelivery(tx, endpointId, event, data, now);
  return endpoints.length;
}

function askData(tx: Tx, askId: number) {
  const row = tx
    .select({
      id: asks.id,
      slug: asks.slug,
      title: asks.title,
      statusName: statuses.name,
      statusSlug: statuses.slug,
      category: categories.name,
      team: teams.name,
      voteCount: asks.voteCount,
      commentCount: asks.commentCount,
      createdAt: asks.createdAt,
      updatedAt: asks.updatedAt,
      hiddenAt: asks.hiddenAt,
    })
    .from(asks)
    .innerJoin(statuses, eq(statuses.id, asks.statusId))
    .leftJoin(categories, eq(categories.id, asks.categoryId))
    .leftJoin(teams, eq(teams.id, asks.teamId))
    .where(eq(asks.id, askId))
    .get();
  // A hidden ask was taken down by moderators: it is not told to the outside.
  if (!row || row.hiddenAt) return undefined;
  return {
    number: row.id,
    title: row.title,
    url: `${publicOrigin()}${askPath(row)}`,
    status: { name: row.statusName, slug: row.statusSlug },
    category: row.category,
    team: row.team,
    voteCount: row.voteCount,
    commentCount: row.commentCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function statusRef(tx: Tx, statusId: number) {
  return (
    tx.select({ name: statuses.name, slug: statuses.slug }).from(statuses).where(eq(statuses.id, statusId)).get() ??
    null
  );
}

function displayName(tx: Tx, userId: number | null): string | null {
  if (userId === null) return null;
  return tx.select({ name: users.displayName }).from(users).where(eq(users.id, userId)).get()?.name ?? null;
}

// An ask that was just filed (createAsk); imports call nothing here, so they announce nothing.
export function enqueueAskCreated(tx: Tx, askId: number): void {
  if (!endpointsFor("ask.created").length) return;
  const ask = askData(tx, askId);
  if (ask) enqueueWebhooks(tx, "ask.created", { ask });
}

// The events recordEvent writes, told to the endpoints that want them. Checks for a listening
// endpoint first, so a site without webhooks pays one small query per event.
export function enqueueEventWebhooks(tx: Tx, event: NewEvent): void {
  if (event.kind === "edit" || event.kind === "new_ask") return;
  if (!enabledEndpoints().all().length) return;
  const ask = askData(tx, event.askId);
  if (!ask) return;
  const actor = displayName(tx, event.actorId);
  if (event.kind === "status_update") {
    const update = tx
      .select({ fromStatusId: statusUpdates.fromStatusId, toStatusId: statusUpdates.toStatusId })
      .from(statusUpdates)
      .where(eq(statusUpdates.id, event.data.statusUpdateId))
      .get();
    const { statusUpdateId, date, team, status, fromStatus, note, links } = event.data;
    const statusUpdate = { id: statusUpdateId, date, team, fromStatus, status, note, links, author: actor };
    enqueueWebhooks(tx, "status_update.created", { ask, statusUpdate });
    if (update && update.fromStatusId !== update.toStatusId) {
      const from = update.fromStatusId === null ? null : statusRef(tx, update.fromStatusId);
      enqueueWebhooks(tx, "ask.status_changed", { ask, from, to: statusRef(tx, update.toStatusId), statusUpdate });
    }
    return;
  }
  if (event.kind === "comment" || event.kind === "official_response") {
    const comment = tx
      .select({ id: comments.id, authorId: comments.authorId, body: comments.body, official: comments.isOfficial })
      .from(comments)
      .where(eq(comments.id, event.data.commentId))
      .get();
    if (!comment) return;
    enqueueWebhooks(tx, "comment.created", {
      ask,
      comment: {
        id: comment.id,
        url: `${ask.url}#comment-${comment.id}`,
        author: displayName(tx, comment.authorId),
        body: comment.body,
        official: comment.official,
      },
    });
    return;
  }
  if (event.kind === "merge") {
    const into = askData(tx, event.data.targetId);
    enqueueWebhooks(tx, "ask.merged", {
      ask,
      into: into ?? { number: event.data.targetId, title: event.data.targetTitle },
      mergedBy: actor,
    });
  }
}

// On the vote POST, the hot path: one statement that notes the ask only while an enabled
// endpoint wants vote.changed. The first change of a batch keeps its time.
const noteVote = preparedQuery((database) =>
  database.$client.prepare(
    `INSERT INTO webhook_vote_changes (ask_id)
     SELECT ? WHERE EXISTS (
       SELECT 1 FROM webhook_endpoints e, json_each(e.events) j
       WHERE e.disabled_at IS NULL AND j.value = 'vote.changed')
     ON CONFLICT (ask_id) DO NOTHING`,
  ),
);

export function noteVoteChange(askId: number): void {
  noteVote().run(askId);
}

// More asks than this in one window go out as several deliveries, each a readable size.
const asksPerVoteBatch = 100;

// Asks whose votes changed at least a window ago become one vote.changed delivery per
// endpoint, with their counts as they are now; the rows go in the same transaction.
export function batchVoteChanges({ now, windowMs }: { now: Date; windowMs: number }): number {
  const before = new Date(now.getTime() - windowMs).toISOString();
  // The worker asks every round; most rounds a read answers without taking the write lock.
  const waiting = db()
    .select({ askId: webhookVoteChanges.askId })
    .from(webhookVoteChanges)
    .where(lte(webhookVoteChanges.firstChangedAt, before))
    .limit(1)
    .get();
  if (!waiting) return 0;
  return db().transaction(
    (tx) => {
      const due = tx
        .select({ askId: webhookVoteChanges.askId })
        .from(webhookVoteChanges)
        .where(lte(webhookVoteChanges.firstChangedAt, before))
        .orderBy(webhookVoteChanges.firstChangedAt)
        .limit(asksPerVoteBatch)
        .all()
        .map((r) => r.askId);
      if (!due.length) return 0;
      tx.delete(webhookVoteChanges).where(inArray(webhookVoteChanges.askId, due)).run();
      const changed = due.flatMap((askId) => {
        const ask = askData(tx, askId);
        return ask ? [ask] : [];
      });
      if (!changed.length) return 0;
      return enqueueWebhooks(tx, "vote.changed", { asks: changed }, now);
    },
    { behavior: "immediate" },
  );
}

export type DueDelivery = {
  id: number;
  endpointId: number;
  messageId: string;
  payload: string;
  attempts: number;
  url: string;
  secrets: string[];
};

// Takes up to `limit` due deliveries of enabled endpoints for `owner` until the lease ends,
// as the mail outbox does: a delivery whose worker died is due again when its lease runs out.
export function claimDueDeliveries({
  owner,
  limit,
  leaseMs,
  now,
}: {
  owner: string;
  limit: number;
  leaseMs: number;
  now: Date;
}): DueDelivery[] {
  const at = now.toISOString();
  // Most rounds nothing is due: a read on the partial index says so without the write lock.
  const anyDue = db()
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.state, "pending"), lte(webhookDeliveries.nextAttemptAt, at)))
    .limit(1)
    .get();
  if (!anyDue) return [];
  return db().transaction(
    (tx) => {
      const due = tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(
          and(
            eq(webhookDeliveries.state, "pending"),
            lte(webhookDeliveries.nextAttemptAt, at),
            or(isNull(webhookDeliveries.leaseUntil), lt(webhookDeliveries.leaseUntil, at)),
            isNull(webhookEndpoints.disabledAt),
          ),
        )
        .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.id)
        .limit(limit)
        .all()
        .map((r) => r.id);
      if (!due.length) return [];
      tx.update(webhookDeliveries)
        .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
        .where(inArray(webhookDeliveries.id, due))
        .run();
      return tx
        .select({
          id: webhookDeliveries.id,
          endpointId: webhookDeliveries.endpointId,
          messageId: webhookDeliveries.messageId,
          payload: webhookDeliveries.payload,
          attempts: webhookDeliveries.attempts,
          url: webhookEndpoints.url,
          secret: webhookEndpoints.secret,
          previousSecret: webhookEndpoints.previousSecret,
          previousSecretUntil: webhookEndpoints.previousSecretUntil,
        })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(inArray(webhookDeliveries.id, due))
        .all()
        .map(({ secret, previousSecret, previousSecretUntil, ...row }) => ({
          ...row,
          secrets:
            previousSecret && previousSecretUntil && previousSecretUntil > at ? [secret, previousSecret] : [secret],
        }));
    },
    { behavior: "immediate" },
  );
}

export function renewDeliveryLeases({
  owner,
  ids,
  leaseMs,
  now,
}: {
  owner: string;
  ids: number[];
  leaseMs: number;
  now: Date;
}): void {
  if (!ids.length) return;
  db()
    .update(webhookDeliveries)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
    .where(
      and(
        inArray(webhookDeliveries.id, ids),
        eq(webhookDeliveries.leaseOwner, owner),
        eq(webhookDeliveries.state, "pending"),
      ),
    )
    .run();
}

export type AttemptOutcome = {
  // Null when no answer came: a refused address, a timeout, a connection error.
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
  // From a Retry-After header: the receiver asked to wait at least this long.
  retryAfterMs?: number;
};

// What the admins are told when an endpoint is switched off; written by the caller, which
// knows how a message reads.
export type DisabledNotice = (endpoint: { id: number; url: string; reason: string }) => {
  subject: string;
  text: string;
  html: string;
};

export type AttemptResult = { state: DeliveryState; endpointDisabled: boolean };

const isSuccess = (statusCode: number | null) => statusCode !== null && statusCode >= 200 && statusCode < 300;

// Records one attempt and settles the delivery, in one transaction: delivered on a 2xx; else
// retried later (with the mail outbox's backoff) until its day is up, then dead. Only the lease
// holder may settle it. The endpoint is switched off, and the admins told by mail, when a
// delivery dies and nothing reached the endpoint for the whole day, or when the receiver answers
// 410 Gone (the specification's "stop sending"). One bad event among good ones does not
// switch an endpoint off; a day of failures with no success does.
export function recordDeliveryAttempt({
  deliveryId,
  owner,
  outcome,
  disabledNotice,
  now,
}: {
  deliveryId: number;
  owner: string;
  outcome: AttemptOutcome;
  disabledNotice: DisabledNotice;
  now: Date;
}): AttemptResult | undefined {
  const at = now.toISOString();
  return db().transaction(
    (tx): AttemptResult | undefined => {
      const delivery = tx
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.id, deliveryId),
            eq(webhookDeliveries.leaseOwner, owner),
            eq(webhookDeliveries.state, "pending"),
          ),
        )
        .get();
      if (!delivery) return undefined;
      const attempt = delivery.attempts + 1;
      tx.insert(webhookAttempts)
        .values({
          deliveryId,
          attempt,
          statusCode: outcome.statusCode,
          error: outcome.error?.slice(0, 1000) ?? null,
          responseExcerpt: outcome.responseExcerpt,
          durationMs: Math.round(outcome.durationMs),
          createdAt: at,
        })
        .run();
      const settle = { attempts: attempt, leaseOwner: null, leaseUntil: null };
      if (isSuccess(outcome.statusCode)) {
        tx.update(webhookDeliveries)
          .set({ ...settle, state: "delivered", deliveredAt: at })
          .where(eq(webhookDeliveries.id, deliveryId))
          .run();
        tx.update(webhookEndpoints).set({ failureStreak: 0 }).where(eq(webhookEndpoints.id, delivery.endpointId)).run();
        return { state: "delivered", endpointDisabled: false };
      }
      const wait = Math.max(retryDelayMs(attempt), outcome.retryAfterMs ?? 0);
      const next = new Date(now.getTime() + wait);
      const gone = outcome.statusCode === 410;
      const dead = gone || next.getTime() > new Date(delivery.createdAt).getTime() + retryWindowMs;
      tx.update(webhookDeliveries)
        .set({ ...settle, state: dead ? "dead" : "pending", nextAttemptAt: next.toISOString() })
        .where(eq(webhookDeliveries.id, deliveryId))
        .run();
      tx.update(webhookEndpoints)
        .set({ failureStreak: sql`${webhookEndpoints.failureStreak} + 1` })
        .where(eq(webhookEndpoints.id, delivery.endpointId))
        .run();
      let reason: string | null = null;
      if (gone) reason = "The receiver answered 410 Gone: it wants no more events.";
      else if (dead && !deliveredSince(tx, delivery.endpointId, new Date(now.getTime() - retryWindowMs))) {
        reason = "No delivery succeeded for 24 hours.";
      }
      const disabled = reason !== null && disableForFailure(tx, delivery.endpointId, reason, disabledNotice, now);
      return { state: dead ? "dead" : "pending", endpointDisabled: disabled };
    },
    { behavior: "immediate" },
  );
}

function deliveredSince(tx: Tx, endpointId: number, since: Date): boolean {
  return (
    tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          isNotNull(webhookDeliveries.deliveredAt),
          gte(webhookDeliveries.deliveredAt, since.toISOString()),
        ),
      )
      .limit(1)
      .get() !== undefined
  );
}

function disableForFailure(tx: Tx, endpointId: number, reason: string, notice: DisabledNotice, now: Date): boolean {
  const { changes } = tx
    .update(webhookEndpoints)
    .set({ disabledAt: now.toISOString(), disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, endpointId), isNull(webhookEndpoints.disabledAt)))
    .run();
  if (!changes) return false;
  const endpoint = tx
    .select({ url: webhookEndpoints.url })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId))
    .get();
  recordAudit(tx, {
    actorId: null,
    action: "webhook.disable",
    subjectType: "webhook",
    subjectId: endpointId,
    before: { enabled: true },
    after: { enabled: false, reason },
  });
  const message = notice({ id: endpointId, url: endpoint?.url ?? "", reason });
  const admins = tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.role, "admin"),
        isNull(users.disabledAt),
        isNotNull(users.emailVerifiedAt),
        isNull(users.emailBouncedAt),
      ),
    )
    .all();
  for (const admin of admins) {
    enqueueMail(tx, { purpose: "notification", userId: admin.id, to: admin.email, ...message }, now.toISOString());
  }
  return true;
}

export function deliveryCounts(endpointId: number): Record<DeliveryState, number> {
  const counts: Record<DeliveryState, number> = { pending: 0, delivered: 0, dead: 0 };
  for (const row of db()
    .select({ state: webhookDeliveries.state, n: count() })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .groupBy(webhookDeliveries.state)
    .all()) {
    counts[row.state] = row.n;
  }
  return counts;
}
