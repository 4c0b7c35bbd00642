import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follow } from "~/models/subscription.server";
import { db } from "../../db/client";
import { outbox, users } from "../../db/schema";
import { workOnce, workUntilIdle } from "../../server/outbox-worker";
import { insertUsers, makeAsk, makeUser } from "./helpers";
import { recordStatusEvent, testMailbox } from "./mail";

const mailbox = testMailbox();

const verifiedUser = (role: "member" | "team" = "member") => makeUser({ role });

function emailOf(userId: number): string {
  return db().select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email ?? "";
}

describe("the outbox worker", () => {
  it("mails each follower once through SMTP, with the date, team, note and link, and not the person who acted", async () => {
    const author = await verifiedUser();
    const voter = await verifiedUser();
    const teamMember = await verifiedUser("team");
    const ask = makeAsk(author.id, "A customer-facing page that explains CPOR");
    for (const u of [author, voter, teamMember]) follow({ askId: ask.id, userId: u.id });
    recordStatusEvent(ask.id, teamMember.id, {
      links: [{ url: "https://example.com/about-cpor", title: "About CPOR" }],
    });

    const done = await mailbox.deliver();

    expect(done.sent).toBe(2);
    expect(mailbox.to(teamMember.email)).toHaveLength(0);
    const [mail] = mailbox.to(voter.email);
    expect(mailbox.to(voter.email)).toHaveLength(1);
    expect(mail?.subject).toContain(`#${ask.id} A customer-facing page that explains CPOR`);
    expect(mail?.text).toContain("2021-04-27 · Assignment Team · Under review");
    expect(mail?.text).toContain("Assigned to the Partner Support Team for triage.");
    expect(mail?.text).toContain("https://example.com/about-cpor");
    const header = (key: string) => mail?.headerLines.find((h) => h.key === key)?.line.replace(/\r\n[ \t]+/g, " ");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header("list-unsubscribe")).toMatch(
      /^List-Unsubscribe: <http:\/\/localhost:\d+\/unsubscribe\/[\w-]+\.[\w-]+>$/,
    );
  });

  it("sends nothing to an address that is not confirmed", async () => {
    const author = await verifiedUser();
    const unconfirmed = await makeUser({ confirmed: false });
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: unconfirmed.id });
    recordStatusEvent(ask.id, author.id);
    await mailbox.deliver();
    expect(mailbox.to(unconfirmed.email)).toHaveLength(0);
  });

  it("keeps a title with line breaks and 10,000 characters to one subject line, with no injected header", async () => {
    const author = await verifiedUser();
    const follower = await verifiedUser();
    const ask = makeAsk(author.id, "Bcc: victim@example.com\r\nX-Injected: yes");
    // The form refuses line breaks; a title imported or stored before that rule must still be safe.
    const title = `Evil\r\nBcc: victim@example.com\r\nX-Injected: yes ${"x".repeat(10_000)}`;
    db().$client.prepare("UPDATE asks SET title = ? WHERE id = ?").run(title, ask.id);
    follow({ askId: ask.id, userId: follower.id });
    recordStatusEvent(ask.id, author.id);
    await mailbox.deliver();
    const [mail] = mailbox.to(follower.email);
    expect(mail?.headers.has("x-injected")).toBe(false);
    expect(mail?.bcc).toBeUndefined();
    expect(mail?.subject?.length).toBeLessThanOrEqual(200);
    expect(mail?.subject).not.toMatch(/[\r\n]/);
  });

  it("waits through an SMTP outage and sends afterwards; a refused address is dead at once and marked bounced", async () => {
    const author = await verifiedUser();
    const follower = await verifiedUser();
    const gone = await verifiedUser();
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: follower.id });
    follow({ askId: ask.id, userId: gone.id });
    mailbox.refuse.add(gone.email.toLowerCase());
    mailbox.down = true;
    recordStatusEvent(ask.id, author.id);

    let clock = Date.now();
    const transport = mailbox.transport();
    const options = { transport, maxAttempts: 10, now: () => new Date(clock) };
    const first = await workOnce(options);
    expect(first.failed).toBe(2);
    const bounced = db().select().from(users).where(eq(users.id, gone.id)).get();
    expect(bounced?.emailBouncedAt).not.toBeNull();

    // An hour of outage: every retry fails, none is lost.
    for (let minutes = 1; minutes <= 60; minutes++) {
      clock += 60_000;
      await workOnce(options);
    }
    const waiting = db().select().from(outbox).where(eq(outbox.toAddress, follower.email)).get();
    expect(waiting?.state).toBe("pending");

    mailbox.down = false;
    clock += 2 * 60 * 60_000;
    await workUntilIdle(options);
    transport.close();
    expect(mailbox.to(follower.email)).toHaveLength(1);
    const dead = db().select().from(outbox).where(eq(outbox.toAddress, gone.email)).get();
    expect(dead?.state).toBe("dead");
    expect(dead?.lastError).toMatch(/No such mailbox/);
  });

  it("never sends one row twice when two workers run at once", async () => {
    const author = await verifiedUser();
    const ask = makeAsk(author.id);
    const followers = insertUsers(30, "follower").map((id) => ({ id, email: emailOf(id) }));
    for (const f of followers) follow({ askId: ask.id, userId: f.id });
    recordStatusEvent(ask.id, author.id);
    const a = mailbox.transport();
    const b = mailbox.transport();
    await Promise.all([
      workUntilIdle({ transport: a, maxAttempts: 3, owner: "a" }),
      workUntilIdle({ transport: b, maxAttempts: 3, owner: "b" }),
    ]);
    a.close();
    b.close();
    for (const f of followers) expect(mailbox.to(f.email)).toHaveLength(1);
  });
});
