import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { follow, isFollowing } from "~/models/subscription.server";
import * as unsubscribePage from "~/routes/unsubscribe.$token";
import { unsubscribePurpose, unsubscribeUrl } from "~/services/mail-message.server";
import { signToken } from "~/services/signed-token.server";
import { db } from "../../db/client";
import { notificationPreferences, subscriptions, users } from "../../db/schema";
import { isSameOriginRequest } from "../../server/origin";
import { makeAsk, makeUser, replyData, route, statusOf } from "./helpers";
import { recordStatusEvent, testMailbox } from "./mail";

const mailbox = testMailbox();

function tokenOf(url: string): string {
  const token = /\/unsubscribe\/([\w-]+\.[\w-]+)/.exec(url)?.[1];
  if (!token) throw new Error(`No unsubscribe token in ${url}`);
  return token;
}

function page(token: string) {
  return route(unsubscribePage, `/unsubscribe/${token}`, { token });
}

type Shown = { problem: string | null; what: string | null; email: string | null };

function newAskDelivery(userId: number) {
  return db()
    .select({ delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, "new_ask")))
    .get()?.delivery;
}

function mailOffAt(userId: number) {
  return db().select({ at: users.mailOffAt }).from(users).where(eq(users.id, userId)).get()?.at;
}

describe("the one-click unsubscribe link", () => {
  it("stops the next mail about the ask when a mail client POSTs with no cookie, and keeps the row", async () => {
    const author = await makeUser();
    const follower = await makeUser();
    const ask = makeAsk(author.id, "A customer-facing page that explains CPOR and POE");
    follow({ askId: ask.id, userId: follower.id });
    recordStatusEvent(ask.id, author.id, { note: "Assigned for triage." });
    await mailbox.deliver();
    const [first] = mailbox.to(follower.email);
    const header = first?.headerLines.find((h) => h.key === "list-unsubscribe")?.line.replace(/\r\n[ \t]+/g, " ");
    const token = tokenOf(header ?? "");

    const shown = replyData<Shown>(await page(token).load());
    expect(shown.what).toBe(`mail about #${ask.id} A customer-facing page that explains CPOR and POE`);
    expect(isFollowing(ask.id, follower.id)).toBe(true);

    // What a mail client sends (RFC 8058): this body, no cookie, no Origin, no Referer.
    const oneClick = await page(token).post({ "List-Unsubscribe": "One-Click" });
    expect(statusOf(oneClick)).toBe(200);
    expect(replyData<{ outcome: string }>(oneClick).outcome).toBe("stopped");
    expect(isFollowing(ask.id, follower.id)).toBe(false);
    const row = db()
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.askId, ask.id), eq(subscriptions.userId, follower.id)))
      .get();
    expect(row?.unfollowedAt).not.toBeNull();

    recordStatusEvent(ask.id, author.id, { note: "Completed: a standalone page now describes CPOR." });
    await mailbox.deliver();
    expect(mailbox.to(follower.email)).toHaveLength(1);
  });

  it("passes the cross-site check for exactly the unsubscribe path, with no Origin or Referer", () => {
    const app = "https://asks.example.com";
    expect(isSameOriginRequest("POST", {}, app, "/unsubscribe/eyJ1c2VySWQiOjF9.c2ln")).toBe(true);
    for (const path of ["/unsubscribe/eyJ1.c2ln/more", "/unsubscribe/", "/unsubscribe/x", "/asks/1", "/account"]) {
      expect(isSameOriginRequest("POST", {}, app, path)).toBe(false);
    }
  });

  it("undoes an unfollow: the person follows the ask again and hears about it", async () => {
    const author = await makeUser();
    const follower = await makeUser();
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: follower.id });
    const token = tokenOf(unsubscribeUrl({ userId: follower.id, scope: { askId: ask.id } }));
    const stopped = replyData<{ restore: string }>(await page(token).post({}));
    expect(isFollowing(ask.id, follower.id)).toBe(false);
    const undone = await page(token).post({ intent: "undo", restore: stopped.restore });
    expect(replyData<{ outcome: string }>(undone).outcome).toBe("restored");
    expect(isFollowing(ask.id, follower.id)).toBe(true);
    recordStatusEvent(ask.id, author.id, { note: "Back on the list." });
    await mailbox.deliver();
    expect(mailbox.to(follower.email)).toHaveLength(1);
  });

  it("turns one kind of mail off and back to what it was", async () => {
    const user = await makeUser({ role: "team", team: "EPX" });
    db()
      .$client.prepare("INSERT INTO notification_preferences (user_id, kind, delivery) VALUES (?, 'new_ask', 'weekly')")
      .run(user.id);
    const token = tokenOf(unsubscribeUrl({ userId: user.id, scope: { kind: "new_ask" } }));
    expect(replyData<Shown>(await page(token).load()).what).toBe("mail about new asks");
    const stopped = replyData<{ restore: string }>(await page(token).post({ "List-Unsubscribe": "One-Click" }));
    expect(newAskDelivery(user.id)).toBe("off");
    await page(token).post({ intent: "undo", restore: stopped.restore });
    expect(newAskDelivery(user.id)).toBe("weekly");
  });

  it("stops all mail and starts it again", async () => {
    const author = await makeUser();
    const follower = await makeUser();
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: follower.id });
    const token = tokenOf(unsubscribeUrl({ userId: follower.id, scope: { all: true } }));
    expect(replyData<Shown>(await page(token).load()).what).toBe("all mail from Asklog");
    const stopped = replyData<{ restore: string }>(await page(token).post({ "List-Unsubscribe": "One-Click" }));
    expect(mailOffAt(follower.id)).not.toBeNull();
    recordStatusEvent(ask.id, author.id, { note: "Nobody is mailed about this one." });
    await mailbox.deliver();
    expect(mailbox.to(follower.email)).toHaveLength(0);

    await page(token).post({ intent: "undo", restore: stopped.restore });
    expect(mailOffAt(follower.id)).toBeNull();
    recordStatusEvent(ask.id, author.id, { note: "This one is mailed." });
    await mailbox.deliver();
    expect(mailbox.to(follower.email)).toHaveLength(1);
  });

  it("refuses forged, tampered and expired links with a clear page, changing nothing", async () => {
    const victim = await makeUser();
    const attacker = await makeUser();
    const own = tokenOf(unsubscribeUrl({ userId: attacker.id, scope: { all: true } }));
    const [body = "", sig = ""] = own.split(".");
    const claim = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const tampered = `${Buffer.from(JSON.stringify({ ...claim, userId: victim.id })).toString("base64url")}.${sig}`;
    const expired = signToken(
      unsubscribePurpose,
      { userId: victim.id, scope: { all: true } },
      new Date(Date.now() - 1000),
    );
    const forged = `${body}.${"A".repeat(sig.length)}`;
    const cases: [string, RegExp][] = [
      [tampered, /did not make this link/],
      [forged, /did not make this link/],
      ["not-a-token", /did not make this link/],
      [expired, /has expired/],
    ];
    for (const [token, problem] of cases) {
      const shown = await page(token).load();
      expect(statusOf(shown)).toBe(400);
      expect(replyData<Shown>(shown).problem).toMatch(problem);
      expect(statusOf(await page(token).post({ "List-Unsubscribe": "One-Click" }))).toBe(400);
    }
    expect(mailOffAt(victim.id)).toBeNull();
    expect(mailOffAt(attacker.id)).toBeNull();
  });
});
