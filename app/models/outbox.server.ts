import { and, count, desc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { MailPurpose, OutboxState } from "~/domain";
import { type Db, db, type Tx } from "../../db/client";
import { outbox, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { done, type Result, refused } from "./result";

export type MailDraft = {
  purpose: MailPurpose;
  userId: number | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
};

const subjectMax = 200;

// A subject is one line: line breaks (a header injection attempt or a pasted title) become
// spaces, and a very long title is cut by code points so no character is split.
export function oneLineSubject(subject: string): string {
  const line = subject
    .replace(/[\r\n\t\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...line];
  return chars.length > subjectMax ? `${chars.slice(0, subjectMax - 1).join("")}…` : line;
}

// Written inside the caller's transaction: the mail exists exactly when its cause committed.
// `now` is the caller's clock, so a worker with its own clock finds the row due.
export function enqueueMail(tx: Tx | Db, draft: MailDraft, now = new Date().toISOString()): void {
  tx.insert(outbox)
    .values({
      createdAt: now,
      nextAttemptAt: now,
      purpose: draft.purpose,
      userId: draft.userId,
      toAddress: draft.to,
      subject: oneLineSubject(draft.subject),
      textBody: draft.text,
      htmlBody: draft.html,
      headers: JSON.stringify(draft.headers ?? {}),
    })
    .run();
}

export type OutboxRow = typeof outbox.$inferSelect;

// Takes up to `limit` due rows for `owner` until the lease ends. A row whose lease ran out
// (its worker died mid-send) is due again: that is the one case in which a mail can go twice.
export function claimDueMail({
  owner,
  limit,
  leaseMs,
  now,
}: {
  owner: string;
  limit: number;
  leaseMs: number;
  now: Date;
}): OutboxRow[] {
  const at = now.toISOString();
  return db().transaction(
    (tx) => {
      const due = tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.state, "pending"),
            lte(outbox.nextAttemptAt, at),
            or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, at)),
          ),
        )
        .orderBy(outbox.nextAttemptAt, outbox.id)
        .limit(limit)
        .all()
        .map((r) => r.id);
      if (!due.length) return [];
      return tx
        .update(outbox)
        .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
        .where(inArray(outbox.id, due))
        .returning()
        .all();
    },
    { behavior: "immediate" },
  );
}

// A live worker keeps its rows while it sends them; a dead one stops renewing, and its rows
// are due again once the lease runs out.
export function renewLeases({
  owner,
  ids,
  leaseMs,
  now,
}: {
  owner: string;
  ids: number[];
  leaseMs: number;
  now: Date;
}) {
  if (!ids.length) return;
  db()
    .update(outbox)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
    .where(and(inArray(outbox.id, ids), eq(outbox.leaseOwner, owner), eq(outbox.state, "pending")))
    .run();
}

// Only the lease holder may settle a row: a worker that outlived its lease changes nothing.
function leased(id: number, owner: string) {
  return and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), eq(outbox.state, "pending"));
}

export function markMailSent({ id, owner, via, now }: { id: number; owner: string; via: string; now: Date }): void {
  db()
    .update(outbox)
    .set({
      state: "sent",
      sentAt: now.toISOString(),
      deliveredVia: via,
      attempts: sql`${outbox.attempts} + 1`,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(leased(id, owner))
    .run();
}

const firstRetryMs = 30_000;
const longestWaitMs = 60 * 60_000;

// Exponential backoff with jitter: 30 s, 1 min, 2 min, … up to an hour, each between half and
// all of that, so mail held back by an outage does not all retry in the same second.
export function retryDelayMs(attempts: number, random = Math.random()): number {
  const full = Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), longestWaitMs);
  return Math.round(full * (0.5 + random / 2));
}

export function markMailFailed({
  id,
  owner,
  error,
  permanent,
  recipientRefused,
  maxAttempts,
  now,
}: {
  id: number;
  owner: string;
  error: string;
  // A 5xx reply: retrying cannot help.
  permanent: boolean;
  // The server refused the address itself: no more mail goes to it.
  recipientRefused: boolean;
  maxAttempts: number;
  now: Date;
}): void {
  db().transaction(
    (tx) => {
      const row = tx
        .select({ attempts: outbox.attempts, userId: outbox.userId, toAddress: outbox.toAddress })
        .from(outbox)
        .where(leased(id, owner))
        .get();
      if (!row) return;
      const attempts = row.attempts + 1;
      const dead = permanent || attempts >= maxAttempts;
      tx.update(outbox)
        .set({
          attempts,
          lastError: error.slice(0, 1000),
          state: dead ? "dead" : "pending",
          nextAttemptAt: new Date(now.getTime() + (dead ? 0 : retryDelayMs(attempts))).toISOString(),
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(eq(outbox.id, id))
        .run();
      if (recipientRefused && row.userId !== null) {
        // Only while the account still has that address: a changed address starts clean.
        tx.update(users)
          .set({ emailBouncedAt: now.toISOString(), emailBounceReason: error.slice(0, 300) })
          .where(and(eq(users.id, row.userId), eq(users.email, row.toAddress)))
          .run();
      }
    },
    { behavior: "immediate" },
  );
}

// An admin sends a dead mail again: it becomes due now, with its attempts counted afresh.
export function retryMail({ mailId, actorId }: { mailId: number; actorId: number }): Result<"not-found" | "not-dead"> {
  return db().transaction(
    (tx) => {
      const row = tx.select({ state: outbox.state }).from(outbox).where(eq(outbox.id, mailId)).get();
      if (!row) return refused("not-found");
      if (row.state !== "dead") return refused("not-dead");
      tx.update(outbox)
        .set({ state: "pending", attempts: 0, nextAttemptAt: new Date().toISOString() })
        .where(eq(outbox.id, mailId))
        .run();
      recordAudit(tx, {
        actorId,
        action: "mail.retry",
        subjectType: "mail",
        subjectId: mailId,
        before: { state: "dead" },
        after: { state: "pending" },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export const mailPageSize = 50;

export function listMail({ state, page }: { state?: OutboxState; page: number }) {
  const where = state ? eq(outbox.state, state) : undefined;
  const rows = db()
    .select({
      id: outbox.id,
      purpose: outbox.purpose,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      state: outbox.state,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      deliveredVia: outbox.deliveredVia,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(outbox)
    .where(where)
    .orderBy(desc(outbox.id))
    .limit(mailPageSize)
    .offset((page - 1) * mailPageSize)
    .all();
  const total = db().select({ n: count() }).from(outbox).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function getMail(id: number): OutboxRow | undefined {
  return db().select().from(outbox).where(eq(outbox.id, id)).get();
}

export function mailCounts(): Record<OutboxState, number> {
  const counts: Record<OutboxState, number> = { pending: 0, sent: 0, dead: 0 };
  for (const row of db().select({ state: outbox.state, n: count() }).from(outbox).groupBy(outbox.state).all()) {
    counts[row.state] = row.n;
  }
  return counts;
}
