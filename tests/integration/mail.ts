import { afterAll, beforeAll, beforeEach } from "vitest";
import { type EventData, recordEvent } from "~/models/event.server";
import { type MailTransport, mailTransport } from "~/services/mail-transport.server";
import { db } from "../../db/client";
import { type WorkDone, workUntilIdle } from "../../server/outbox-worker";
import { type Mailbox, startMailbox } from "../support/smtp-mailbox";

const from = "Asklog <asklog@example.com>";

// Runs the outbox worker until nothing is due: fan-out, digests, then sending. Without an
// SMTP URL the mail stays in the database, as it does in production without SMTP_URL.
// `now` stands for the clock, for digests that fall due at a given hour.
export async function workOutbox({ smtpUrl, now }: { smtpUrl?: string; now?: Date } = {}): Promise<WorkDone> {
  const transport = mailTransport({ smtpUrl, from });
  try {
    return await workUntilIdle({ transport, maxAttempts: 3, ...(now ? { now: () => now } : {}) });
  } finally {
    transport.close();
  }
}

export type TestMailbox = Omit<Mailbox, "close"> & {
  // A transport to the mailbox, for a test that drives the worker itself; the test closes it.
  transport(): MailTransport;
  deliver(now?: Date): Promise<WorkDone>;
};

// A real SMTP server for the calling test file (call this at its top level): started before
// its tests, stopped after them, and before each test emptied and taking mail for everyone
// again, so that what one test refused or switched off does not leak into the next.
export function testMailbox(): TestMailbox {
  let started: Mailbox | undefined;
  const current = (): Mailbox => {
    if (!started) throw new Error("The mailbox starts in beforeAll: use it inside a test or hook");
    return started;
  };
  beforeAll(async () => {
    started = await startMailbox();
  });
  afterAll(() => started?.close());
  beforeEach(() => {
    const mailbox = current();
    mailbox.messages.length = 0;
    mailbox.refuse.clear();
    mailbox.down = false;
  });
  return {
    get url() {
      return current().url;
    },
    get messages() {
      return current().messages;
    },
    get refuse() {
      return current().refuse;
    },
    get down() {
      return current().down;
    },
    set down(value: boolean) {
      current().down = value;
    },
    waitFor: (count, timeoutMs) => current().waitFor(count, timeoutMs),
    to: (address) => current().to(address),
    transport: () => mailTransport({ smtpUrl: current().url, from }),
    deliver: (now) => workOutbox({ smtpUrl: current().url, now }),
  };
}

// A status update's event as if a team member had just posted it, without the update itself:
// enough for the worker to notify the ask's followers.
export function recordStatusEvent(askId: number, actorId: number, data: Partial<EventData["status_update"]> = {}) {
  db().transaction((tx) =>
    recordEvent(tx, {
      kind: "status_update",
      askId,
      actorId,
      data: {
        statusUpdateId: 1,
        date: "2021-04-27",
        team: "Assignment Team",
        status: "Under review",
        fromStatus: "Open",
        note: "Assigned to the Partner Support Team for triage.",
        links: [],
        ...data,
      },
    }),
  );
}
