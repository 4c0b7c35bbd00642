import { randomBytes } from "node:crypto";
import { digestDue } from "~/digest-schedule";
import { eventAsk, pendingEvents } from "~/models/event.server";
import { digestCandidates, digestItems, recipientsFor, recordDigest, recordFanOut } from "~/models/notification.server";
import { claimDueMail, markMailFailed, markMailSent, type OutboxRow, renewLeases } from "~/models/outbox.server";
import { digestMail, eventMail } from "~/services/mail-message.server";
import { describeFailure, type MailTransport } from "~/services/mail-transport.server";
import { settings } from "~/settings.server";
import { startQueuedImport, stopImport } from "./import-runner";
import { deliverWebhooks, type WebhookOptions } from "./webhook-sender";

// The outbox worker: turns events into notifications and mail (fan-out), puts digests
// together when they are due, and sends what is due. Runs in the web process by default
// (OUTBOX_WORKER=inline) or as `npm run worker`. Every step is a short transaction that
// can be repeated: a worker killed at any point leaves work that the next one finishes.

export type WorkerOptions = {
  transport: MailTransport;
  maxAttempts: number;
  // Tells this worker's leases apart from another's.
  owner?: string;
  now?: () => Date;
  // Defaults to the settings (WEBHOOK_ALLOW_PRIVATE, WEBHOOK_VOTE_BATCH_SECONDS).
  webhooks?: WebhookOptions;
};

// `webhooks`: deliveries written from vote changes, and deliveries attempted.
export type WorkDone = { events: number; digests: number; sent: number; failed: number; webhooks: number };

const eventBatch = 20;
const mailBatch = 40;
// Twice the transport's pool, so a connection never waits for the next message.
const sendConcurrency = 8;
// A claimed row is the worker's for this long, renewed while it sends; after a crash the row
// is due again within this time.
const leaseMs = 30_000;
const renewEveryMs = 10_000;

function fanOut(now: Date): number {
  const batch = pendingEvents(eventBatch);
  for (const event of batch) {
    const ask = eventAsk(event.askId);
    const recipients = ask ? recipientsFor({ event, ask }) : [];
    const entries = recipients.map((recipient) => ({
      recipient,
      mail:
        ask && recipient.mail === "instant"
          ? eventMail({ kind: event.kind, data: event.data, actor: event.actor, ask }, recipient)
          : null,
    }));
    recordFanOut({ eventId: event.id, now: now.toISOString(), entries });
  }
  return batch.length;
}

function sendDigests(now: Date): number {
  let sent = 0;
  for (const candidate of digestCandidates()) {
    const time = {
      timeZone: candidate.timeZone,
      hour: candidate.digestHour,
      weekday: candidate.delivery === "weekly" ? candidate.digestWeekday : undefined,
    };
    if (!digestDue(now, new Date(candidate.oldest), time)) continue;
    const items = digestItems(candidate.userId, candidate.delivery);
    if (!items.length) continue;
    recordDigest({
      userId: candidate.userId,
      delivery: candidate.delivery,
      notificationIds: items.map((i) => i.notificationId),
      mail: digestMail({
        recipient: { userId: candidate.userId, email: candidate.email },
        delivery: candidate.delivery,
        items,
      }),
      now: now.toISOString(),
    });
    sent++;
  }
  return sent;
}

async function deliver(options: Required<WorkerOptions>): Promise<{ sent: number; failed: number }> {
  const rows = claimDueMail({ owner: options.owner, limit: mailBatch, leaseMs, now: options.now() });
  if (!rows.length) return { sent: 0, failed: 0 };
  const held = new Set(rows.map((r) => r.id));
  const renewal = setInterval(
    () => renewLeases({ owner: options.owner, ids: [...held], leaseMs, now: options.now() }),
    renewEveryMs,
  );
  try {
    return await sendAll(rows, held, options);
  } finally {
    clearInterval(renewal);
  }
}

async function sendAll(rows: OutboxRow[], held: Set<number>, options: Required<WorkerOptions>) {
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < rows.length; i += sendConcurrency) {
    await Promise.all(
      rows.slice(i, i + sendConcurrency).map(async (row) => {
        try {
          await options.transport.send(row);
          markMailSent({ id: row.id, owner: options.owner, via: options.transport.via, now: options.now() });
          sent++;
        } catch (error) {
          const failure = describeFailure(error);
          markMailFailed({
            id: row.id,
            owner: options.owner,
            error: failure.message,
            permanent: failure.permanent,
            recipientRefused: failure.recipientRefused,
            maxAttempts: options.maxAttempts,
            now: options.now(),
          });
          failed++;
        } finally {
          held.delete(row.id);
        }
      }),
    );
  }
  return { sent, failed };
}

function withDefaults(options: WorkerOptions): Required<WorkerOptions> {
  return {
    transport: options.transport,
    maxAttempts: options.maxAttempts,
    owner: options.owner ?? `${process.pid}-${randomBytes(4).toString("hex")}`,
    now: options.now ?? (() => new Date()),
    webhooks: options.webhooks ?? settings().webhooks,
  };
}

// One round of every step. Tests call it directly to run the worker to a known point.
export async function workOnce(options: WorkerOptions): Promise<WorkDone> {
  const full = withDefaults(options);
  const events = fanOut(full.now());
  const digests = sendDigests(full.now());
  // A slow webhook receiver does not hold mail back, nor the other way round.
  const [{ sent, failed }, webhooks] = await Promise.all([
    deliver(full),
    deliverWebhooks({ owner: full.owner, now: full.now, options: full.webhooks }),
  ]);
  return { events, digests, sent, failed, webhooks };
}

// Rounds until nothing is left that is due now.
export async function workUntilIdle(options: WorkerOptions): Promise<WorkDone> {
  const total: WorkDone = { events: 0, digests: 0, sent: 0, failed: 0, webhooks: 0 };
  const full = withDefaults(options);
  for (;;) {
    const round = await workOnce(full);
    for (const key of Object.keys(total) as (keyof WorkDone)[]) total[key] += round[key];
    if (round.events + round.digests + round.sent + round.failed + round.webhooks === 0) return total;
  }
}

export type RunningWorker = { stop(): Promise<void> };

// Works while there is work, then checks again every `idleMs`. A failing round (the database
// busy, a bug) is logged and retried later: the web app never waits on the worker.
export function startOutboxWorker(options: WorkerOptions & { idleMs?: number }): RunningWorker {
  const full = withDefaults(options);
  const idleMs = options.idleMs ?? 1000;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const loop = async () => {
    if (stopping) return;
    let busy = false;
    try {
      // Imports queued from the admin page are run by this worker too: exactly one runs them.
      startQueuedImport();
      const round = await workOnce(full);
      busy = round.events + round.digests + round.sent + round.failed + round.webhooks > 0;
    } catch (error) {
      console.error(JSON.stringify({ level: "error", message: "outbox worker round failed", error: String(error) }));
    }
    if (!stopping) timer = setTimeout(() => (running = loop()), busy ? 0 : idleMs);
  };
  timer = setTimeout(() => (running = loop()), 0);

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      stopImport();
      await running;
      full.transport.close();
    },
  };
}
