import { describe, expect, it } from "vitest";
import * as accountPage from "~/routes/account";
import { getUser, startUserSession } from "~/services/session.server";
import { db } from "../../db/client";
import { getRequest, loaded, locationOf, makeUser, noticeAfter, route, statusOf } from "./helpers";

const firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";
const safariOnIphone =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

// Signs in from a device (its User-Agent) and returns the Cookie header that device holds.
async function signInFrom(userId: number, userAgent: string, url = "http://localhost/signin"): Promise<string> {
  const response = await startUserSession(new Request(url, { headers: { "User-Agent": userAgent } }), userId, "/");
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

const account = route(accountPage, "/account");

async function sessionsSeenBy(cookie: string) {
  return (await loaded(account.load(cookie))).sessions;
}

describe("the account page's session list", () => {
  it("lists each device the user is signed in on, naming browser and system and marking this one", async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.id, firefoxOnWindows);
    await signInFrom(user.id, safariOnIphone);
    const sessions = await sessionsSeenBy(laptop);
    expect(sessions.map((s) => [s.device, s.current]).sort()).toEqual([
      ["Firefox on Windows", true],
      ["Safari on iOS", false],
    ]);
    // The page names sessions by a hash: the session ids, which are credentials, never appear in it.
    const ids = db().$client.prepare("SELECT id FROM sessions WHERE user_id = ?").pluck().all(user.id) as string[];
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(JSON.stringify(sessions)).not.toContain(id);
  });

  it("signs out one other device, which then is signed out, while this one stays in", async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.id, firefoxOnWindows);
    const phone = await signInFrom(user.id, safariOnIphone);
    const phoneHandle = (await sessionsSeenBy(laptop)).find((s) => !s.current)?.handle ?? "";

    const result = await account.post({ intent: "sign-out-session", session: phoneHandle }, laptop);
    expect(locationOf(result)).toBe("/account");
    expect(await noticeAfter(result)).toBe("Signed out of that device.");
    expect(await getUser(getRequest("/", phone))).toBeUndefined();
    expect((await getUser(getRequest("/", laptop)))?.id).toBe(user.id);
  });

  it("cannot end another user's session with its handle", async () => {
    const victim = await makeUser();
    const victimCookie = await signInFrom(victim.id, firefoxOnWindows);
    const victimHandle = (await sessionsSeenBy(victimCookie))[0]?.handle ?? "";
    expect(victimHandle).not.toBe("");
    const attacker = await makeUser();
    const attackerCookie = await signInFrom(attacker.id, firefoxOnWindows);

    const result = await account.post({ intent: "sign-out-session", session: victimHandle }, attackerCookie);
    expect(await noticeAfter(result)).toBe("That device was already signed out.");
    expect((await getUser(getRequest("/", victimCookie)))?.id).toBe(victim.id);
  });

  it("signs out all other devices, keeping this one", async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.id, firefoxOnWindows);
    const others = [await signInFrom(user.id, safariOnIphone), await signInFrom(user.id, "curl/8.0")];
    const result = await account.post({ intent: "sign-out-others" }, laptop);
    expect(locationOf(result)).toBe("/account");
    expect(await noticeAfter(result)).toBe("Signed out of 2 other devices.");
    for (const cookie of others) expect(await getUser(getRequest("/", cookie))).toBeUndefined();
    expect((await getUser(getRequest("/", laptop)))?.id).toBe(user.id);
    expect(await sessionsSeenBy(laptop)).toHaveLength(1);
  });

  it("signs out everywhere, this device included, and clears the cookie", async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.id, firefoxOnWindows);
    const phone = await signInFrom(user.id, safariOnIphone);
    const result = await account.post({ intent: "sign-out-everywhere" }, laptop);
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Set-Cookie")).toMatch(/asklog_session=;/);
    expect(await noticeAfter(result)).toBe("Signed out on every device.");
    expect(await getUser(getRequest("/", laptop))).toBeUndefined();
    expect(await getUser(getRequest("/", phone))).toBeUndefined();
  });

  it("asks a signed-out visitor to sign in first", async () => {
    const result = await account.load();
    expect(locationOf(result)).toBe("/signin?redirectTo=%2Faccount");
  });
});

describe("the session cookie", () => {
  it("over https is Secure and __Host- prefixed: no Domain, Path=/", async () => {
    const user = await makeUser();
    const response = await startUserSession(new Request("https://asks.example.com/signin"), user.id, "/");
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-asklog_session=[^;]+/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await getUser(new Request("https://asks.example.com/", { headers: { Cookie: cookie } })))?.id).toBe(
      user.id,
    );
  });

  it("over plain http keeps the plain name, as browsers refuse Secure cookies there", async () => {
    const user = await makeUser();
    const cookie = await signInFrom(user.id, firefoxOnWindows);
    expect(cookie).toMatch(/^asklog_session=/);
  });
});
