import { describe, expect, it } from "vitest";
import { follow, unfollow } from "~/models/subscription.server";
import * as root from "~/root";
import * as myAsks from "~/routes/my-asks";
import * as notificationsPage from "~/routes/notifications";
import { askPath } from "~/slug";
import { cookieFor, loaded, locationOf, makeAsk, makeUser, noticeAfter, replyData, route, statusOf } from "./helpers";
import { recordStatusEvent, workOutbox } from "./mail";

const page = route(notificationsPage, "/notifications");

async function followerWithNews(count = 2) {
  const author = await makeUser();
  const follower = await makeUser();
  const teamMember = await makeUser({ role: "team", team: "Assignment Team" });
  const ask = makeAsk(author.id, "A customer-facing page that explains CPOR and POE");
  follow({ askId: ask.id, userId: follower.id });
  for (let i = 1; i <= count; i++) {
    recordStatusEvent(ask.id, teamMember.id, {
      statusUpdateId: 100 + i,
      status: i === count ? "Completed" : "Planned",
    });
  }
  // Fan-out happens in the worker; without an SMTP server its mail stays in the database.
  await workOutbox();
  return { author, follower, teamMember, ask, cookie: await cookieFor(follower) };
}

type PageData = Awaited<ReturnType<typeof notificationsPage.loader>>;
type RootData = { user: { unreadNotifications: number } | null };

describe("the notifications page", () => {
  it("sends a signed-out visitor to sign in", async () => {
    expect(locationOf(await page.load())).toBe("/signin?redirectTo=%2Fnotifications");
  });

  it("lists the reader's own notifications, newest first, unread, with the headline and the ask's anchor", async () => {
    const { ask, cookie } = await followerWithNews();
    const data: PageData = await loaded(page.load(cookie));
    expect(data.total).toBe(2);
    expect(data.unread).toBe(2);
    expect(data.entries.map((e) => e.headline)).toEqual([
      "Assignment Team set the status to Completed",
      "Assignment Team set the status to Planned",
    ]);
    expect(data.entries[0]).toMatchObject({
      unread: true,
      askTitle: "A customer-facing page that explains CPOR and POE",
      href: `${askPath(ask)}#status-update-102`,
    });

    // Someone who follows nothing sees none of them.
    const stranger = await makeUser();
    const theirs: PageData = await loaded(page.load(await cookieFor(stranger)));
    expect(theirs.entries).toEqual([]);
    expect(theirs.total).toBe(0);
  });

  it("opening an entry marks it read and goes to the ask at the status update", async () => {
    const { ask, cookie } = await followerWithNews();
    const before: PageData = await loaded(page.load(cookie));
    const [newest] = before.entries;
    if (!newest) throw new Error("expected a notification");
    const opened = await page.post({ intent: "open", notificationId: String(newest.id), to: newest.href }, cookie);
    expect(locationOf(opened)).toBe(`${askPath(ask)}#status-update-102`);

    const after: PageData = await loaded(page.load(cookie));
    expect(after.unread).toBe(1);
    expect(after.entries.find((e) => e.id === newest.id)?.unread).toBe(false);
  });

  it("never redirects an opened entry off the site", async () => {
    const { cookie } = await followerWithNews(1);
    const [entry] = (await loaded(page.load(cookie))).entries;
    if (!entry) throw new Error("expected a notification");
    const opened = await page.post({ intent: "open", notificationId: String(entry.id), to: "//evil.example/" }, cookie);
    expect(locationOf(opened)).toBe("/notifications");
  });

  it("marks all read, with a confirmation, and the header's count follows", async () => {
    const { cookie } = await followerWithNews(3);
    const header = async () => replyData<RootData>(await route(root, "/").load(cookie));
    expect((await header()).user?.unreadNotifications).toBe(3);

    const result = await page.post({ intent: "read-all" }, cookie);
    expect(locationOf(result)).toBe("/notifications");
    expect(await noticeAfter(result)).toBe("All notifications marked read.");
    const data: PageData = await loaded(page.load(cookie));
    expect(data.unread).toBe(0);
    expect(data.entries.every((e) => !e.unread)).toBe(true);
    expect((await header()).user?.unreadNotifications).toBe(0);
  });

  it("will not let one person mark another's notification read", async () => {
    const { cookie } = await followerWithNews(1);
    const [entry] = (await loaded(page.load(cookie))).entries;
    if (!entry) throw new Error("expected a notification");

    const other = await makeUser();
    const otherCookie = await cookieFor(other);
    const refused = await page.post({ intent: "open", notificationId: String(entry.id), to: entry.href }, otherCookie);
    expect(statusOf(refused)).toBe(404);
    await page.post({ intent: "read-all" }, otherCookie);

    const still: PageData = await loaded(page.load(cookie));
    expect(still.entries[0]?.unread).toBe(true);
    expect(still.unread).toBe(1);
  });

  it("asks a signed-out form to sign in and changes nothing", async () => {
    const { cookie } = await followerWithNews(1);
    const result = await page.post({ intent: "read-all" });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toMatch(/^\/signin/);
    expect((await loaded(page.load(cookie))).unread).toBe(1);
  });
});

describe("the header's unread count", () => {
  it("is given to signed-in pages only", async () => {
    const signedOut = replyData<RootData>(await route(root, "/").load());
    expect(signedOut.user).toBeNull();
    const fresh = await makeUser();
    const none = replyData<RootData>(await route(root, "/").load(await cookieFor(fresh)));
    expect(none.user?.unreadNotifications).toBe(0);
  });
});

describe("My asks' Following tab", () => {
  it("lists the asks the person follows now, and not one they unfollowed", async () => {
    const author = await makeUser();
    const reader = await makeUser();
    const kept = makeAsk(author.id, "Followed: a page that explains CPOR");
    const dropped = makeAsk(author.id, "Unfollowed: a page that explains POE");
    follow({ askId: kept.id, userId: reader.id });
    follow({ askId: dropped.id, userId: reader.id });
    unfollow({ askId: dropped.id, userId: reader.id });

    const data = await loaded(route(myAsks, "/my-asks?tab=following").load(await cookieFor(reader)));
    expect(data.tab).toBe("following");
    expect(data.asks.map((a) => a.title)).toEqual(["Followed: a page that explains CPOR"]);
    expect(data.total).toBe(1);
  });
});
