import { describe, expect, it } from "vitest";
import { notificationSettings } from "~/models/notification-preference.server";
import { claimDueMail, enqueueMail, markMailFailed } from "~/models/outbox.server";
import { createTeam, listTeams } from "~/models/team.server";
import { listTopicFollows } from "~/models/topic-subscription.server";
import { addressState, getActiveUser, type User, verifyLogin } from "~/models/user.server";
import * as accountPage from "~/routes/account";
import { getUser } from "~/services/session.server";
import { db } from "../../db/client";
import {
  cookieFor,
  getRequest,
  loaded,
  locationOf,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  signedIn,
  statusOf,
} from "./helpers";

const account = route(accountPage, "/account");

type Reply = { intent: string; errors: Record<string, string | undefined>; values: Record<string, string> };

function mailTo(address: string): { purpose: string; subject: string }[] {
  return db().$client.prepare("SELECT purpose, subject FROM outbox WHERE to_address = ?").all(address) as {
    purpose: string;
    subject: string;
  }[];
}

// The SMTP server refuses the person's address for good, as the worker reports it.
function bounce(user: User, error: string): void {
  const now = new Date();
  enqueueMail(db(), {
    purpose: "notification",
    userId: user.id,
    to: user.email,
    subject: "Completed: an ask",
    text: "It is done.",
    html: "<p>It is done.</p>",
  });
  const mail = claimDueMail({ owner: "bounce-test", limit: 1000, leaseMs: 60_000, now }).find(
    (m) => m.toAddress === user.email,
  );
  if (!mail) throw new Error("The mail to bounce was not claimed");
  markMailFailed({
    id: mail.id,
    owner: "bounce-test",
    error,
    permanent: true,
    recipientRefused: true,
    maxAttempts: 5,
    now,
  });
}

// Every field of the notifications form as a browser sends it: radios, ticked boxes only, selects.
const allSettings = {
  intent: "notifications",
  "delivery-status_update": "daily",
  "delivery-official_response": "instant",
  "delivery-comment_on_own": "weekly",
  "delivery-comment": "instant",
  "delivery-merge": "off",
  "delivery-edit": "instant",
  "delivery-new_ask": "daily",
  autoFollowFiled: "on",
  digestHour: "7",
  digestWeekday: "5",
  timeZone: "Asia/Tokyo",
  locale: "de-DE",
};

describe("the profile form", () => {
  it("renames the person and files them under an existing organization, whatever its case", async () => {
    await makeUser({ organization: "Fabrikam" });
    const { user, cookie } = await signedIn();
    const other = await makeUser();

    const result = await account.post(
      { intent: "profile", displayName: "  Renée Partner ", organization: "fabrikam" },
      cookie,
    );
    expect(locationOf(result)).toBe("/account");
    expect(await noticeAfter(result)).toBe("Profile saved.");
    expect(getActiveUser(user.id)).toMatchObject({ displayName: "Renée Partner", organization: "Fabrikam" });
    expect(getActiveUser(other.id)).toMatchObject({ displayName: other.displayName, organization: "Contoso" });
  });

  it("keeps what was typed and names the field when the input is refused", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post({ intent: "profile", displayName: "R", organization: "Northwind" }, cookie);
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.errors.displayName).toBe("Display name must be at least 2 characters.");
    expect(reply.values).toMatchObject({ displayName: "R", organization: "Northwind" });
    expect(getActiveUser(user.id)?.displayName).toBe(user.displayName);
  });

  it("requires a partner's organization, but lets a team member have none", async () => {
    const partner = await signedIn();
    const refused = await account.post(
      { intent: "profile", displayName: "Partner", organization: " " },
      partner.cookie,
    );
    expect(statusOf(refused)).toBe(400);
    expect(replyData<Reply>(refused).errors.organization).toBe("Enter your organization.");
    expect(getActiveUser(partner.user.id)?.organization).toBe("Contoso");

    const member = await signedIn("team", "Assignment Team");
    const saved = await account.post(
      { intent: "profile", displayName: "Team Person", organization: "" },
      member.cookie,
    );
    expect(locationOf(saved)).toBe("/account");
    expect(getActiveUser(member.user.id)).toMatchObject({ displayName: "Team Person", organization: null });
  });
});

describe("the email form", () => {
  it("sends a link to the new address and keeps the current one until it is followed", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post({ intent: "email", email: " New.Address@Example.com " }, cookie);
    expect(locationOf(result)).toBe("/account");
    expect(await noticeAfter(result)).toBe(
      `We sent a link to new.address@example.com. Your address stays ${user.email} until you follow it.`,
    );
    expect(getActiveUser(user.id)?.email).toBe(user.email);
    expect(addressState(user.id)).toMatchObject({ email: user.email, pendingEmail: "new.address@example.com" });
    expect(mailTo("new.address@example.com")).toEqual([
      { purpose: "confirm-email", subject: "Confirm your email address for Asklog" },
    ]);
    expect(mailTo(user.email)).toEqual([]);
    const page = await loaded(account.load(cookie));
    expect(page.address.pendingEmail).toBe("new.address@example.com");
  });

  it("keeps a malformed address and says what is wrong, sending nothing", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post({ intent: "email", email: "not-an-address" }, cookie);
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.errors.email).toBe("Enter a valid email address, like name@company.com.");
    expect(reply.values.email).toBe("not-an-address");
    expect(addressState(user.id)?.pendingEmail).toBeNull();
  });

  it("refuses the address the account already has once it is confirmed and working", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post({ intent: "email", email: user.email }, cookie);
    expect(statusOf(result)).toBe(400);
    expect(replyData<Reply>(result).errors.email).toMatch(/already your address/);
    expect(mailTo(user.email)).toEqual([]);
  });

  it("shows a bounce with its reason, and confirms the same address again", async () => {
    const { user, cookie } = await signedIn();
    bounce(user, "550 5.1.1 mailbox unavailable");
    const page = await loaded(account.load(cookie));
    expect(page.address).toMatchObject({ bounceReason: "550 5.1.1 mailbox unavailable", confirmed: true });
    expect(page.address.bouncedAt).not.toBeNull();

    const result = await account.post({ intent: "email", email: user.email }, cookie);
    expect(locationOf(result)).toBe("/account");
    expect(mailTo(user.email).map((m) => m.purpose)).toEqual(["notification", "confirm-email"]);
  });

  it("leaves another user's address alone", async () => {
    const other = await makeUser();
    const { cookie } = await signedIn();
    await account.post({ intent: "email", email: "someone.else@example.com" }, cookie);
    expect(addressState(other.id)).toMatchObject({ email: other.email, pendingEmail: null });
  });
});

describe("the password form", () => {
  it("changes the password and signs out every other device, keeping this one", async () => {
    const user = await makeUser();
    const laptop = await cookieFor(user);
    const phone = await cookieFor(user);
    const result = await account.post(
      { intent: "password", currentPassword: "correct horse battery", password: "a new and longer phrase" },
      laptop,
    );
    expect(locationOf(result)).toBe("/account");
    expect(await noticeAfter(result)).toBe("Password changed. Signed out of 1 other device.");
    expect(await getUser(getRequest("/", phone))).toBeUndefined();
    expect((await getUser(getRequest("/", laptop)))?.id).toBe(user.id);
    expect((await verifyLogin(user.email, "a new and longer phrase"))?.id).toBe(user.id);
    expect(await verifyLogin(user.email, "correct horse battery")).toBeUndefined();
  });

  it("refuses a wrong current password, changing nothing and signing nobody out", async () => {
    const user = await makeUser();
    const laptop = await cookieFor(user);
    const phone = await cookieFor(user);
    const result = await account.post(
      { intent: "password", currentPassword: "a wrong guess", password: "a new and longer phrase" },
      laptop,
    );
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.errors.currentPassword).toBe("That is not your current password.");
    expect(reply.values.password).toBeUndefined();
    expect((await getUser(getRequest("/", phone)))?.id).toBe(user.id);
    expect((await verifyLogin(user.email, "correct horse battery"))?.id).toBe(user.id);
  });

  it("holds a new password to sign-up's rules", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post(
      { intent: "password", currentPassword: "correct horse battery", password: "short" },
      cookie,
    );
    expect(statusOf(result)).toBe(400);
    expect(replyData<Reply>(result).errors.password).toBe("Password must be at least 10 characters.");
    expect((await verifyLogin(user.email, "correct horse battery"))?.id).toBe(user.id);
  });
});

describe("the notification settings form", () => {
  it("starts from each kind's default and the digest defaults", async () => {
    const { cookie } = await signedIn();
    const page = await loaded(account.load(cookie));
    expect(page.settings).toMatchObject({
      deliveries: { status_update: "instant", comment: "off", new_ask: "daily" },
      autoFollow: { filed: true, voted: true, commented: true },
      digestHour: 8,
      digestWeekday: 1,
      locale: null,
      timeZone: null,
      mailOff: false,
    });
    expect(page.timeZones).toContain("Europe/Berlin");
  });

  it("saves every setting with one submit, and shows the next digest in the chosen zone", async () => {
    const { user, cookie } = await signedIn();
    const other = await signedIn();
    const result = await account.post(allSettings, cookie);
    expect(locationOf(result)).toBe("/account#notifications");
    expect(await noticeAfter(result)).toBe("Notification settings saved.");
    expect(notificationSettings(user.id)).toEqual({
      deliveries: {
        status_update: "daily",
        official_response: "instant",
        comment_on_own: "weekly",
        comment: "instant",
        merge: "off",
        edit: "instant",
        new_ask: "daily",
      },
      autoFollow: { filed: true, voted: false, commented: false },
      digestHour: 7,
      digestWeekday: 5,
      locale: "de-DE",
      timeZone: "Asia/Tokyo",
      mailOff: false,
    });
    const page = await loaded(account.load(cookie));
    // 07:00 in Tokyo is 22:00 UTC the day before; a weekly digest falls on a Friday there.
    expect(page.nextDigests.daily).toMatch(/T22:00:00\.000Z$/);
    const weekly = new Date(page.nextDigests.weekly);
    expect(weekly.getTime()).toBeGreaterThan(Date.now());
    expect(new Date(weekly.getTime() + 9 * 60 * 60 * 1000).getUTCDay()).toBe(5);
    expect(weekly.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 60 * 60 * 1000);
    expect(notificationSettings(other.user.id)).toMatchObject({
      deliveries: { status_update: "instant", merge: "instant" },
      digestHour: 8,
      timeZone: null,
    });
  });

  it("stops all mail and starts it again, going back to the browser's zone and language", async () => {
    const { user, cookie } = await signedIn();
    await account.post(allSettings, cookie);
    await account.post({ ...allSettings, mailOff: "on" }, cookie);
    expect(notificationSettings(user.id)?.mailOff).toBe(true);
    expect(addressState(user.id)?.mailOff).toBe(true);
    await account.post({ ...allSettings, timeZone: "", locale: "" }, cookie);
    expect(notificationSettings(user.id)).toMatchObject({ mailOff: false, timeZone: null, locale: null });
  });

  it("saves nothing when any field is wrong, keeping every choice sent", async () => {
    const { user, cookie } = await signedIn();
    const result = await account.post(
      { ...allSettings, digestHour: "25", timeZone: "Nowhere/Land", "delivery-edit": "hourly" },
      cookie,
    );
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.intent).toBe("notifications");
    expect(reply.errors).toMatchObject({
      digestHour: "Choose an hour from the list.",
      timeZone: "Choose a time zone from the list.",
      "delivery-edit": "Choose how to hear about this.",
    });
    expect(reply.values).toMatchObject({ digestHour: "25", "delivery-status_update": "daily", locale: "de-DE" });
    expect(notificationSettings(user.id)).toMatchObject({
      deliveries: { status_update: "instant", edit: "instant" },
      digestHour: 8,
      locale: null,
    });
  });
});

describe("following categories and team queues", () => {
  it("lets a team member follow categories and their own team's queue, never another team's", async () => {
    const { user, cookie } = await signedIn("team", "Assignment Team");
    ok(createTeam({ name: `Another team ${Date.now()}`, actorId: user.id }));
    const own = listTeams().find((t) => t.id === user.teamId);
    const another = listTeams().find((t) => t.id !== user.teamId);
    if (!own || !another) throw new Error("Expected two teams");
    const page = await loaded(account.load(cookie));
    const category = page.topics.find((t) => t.topicType === "category");
    if (!category) throw new Error("Expected a category to follow");
    expect(page.topics.filter((t) => t.topicType === "team").map((t) => t.topicId)).toEqual([own.id]);

    const result = await account.post(
      {
        intent: "topics",
        [`category-${category.topicId}`]: "on",
        [`team-${own.id}`]: "on",
        [`team-${another.id}`]: "on",
      },
      cookie,
    );
    expect(locationOf(result)).toBe("/account#new-asks");
    expect(listTopicFollows(user.id).map((f) => [f.topicType, f.topicId])).toEqual([
      ["category", category.topicId],
      ["team", own.id],
    ]);

    // Unticking every box unfollows them all.
    await account.post({ intent: "topics" }, cookie);
    expect(listTopicFollows(user.id)).toEqual([]);
  });

  it("offers partners no topics and refuses their form", async () => {
    const { cookie } = await signedIn();
    expect((await loaded(account.load(cookie))).topics).toEqual([]);
    const result = await account.post({ intent: "topics", "category-1": "on" }, cookie);
    expect(statusOf(result)).toBe(403);
  });
});

describe("signed out", () => {
  it.each(["profile", "email", "password", "notifications", "topics"])(
    "the %s form sends the visitor to sign in",
    async (intent) => {
      const result = await account.post({ intent, displayName: "Someone", email: "a@example.com" });
      expect(locationOf(result)).toBe("/signin?redirectTo=%2Faccount");
    },
  );
});
