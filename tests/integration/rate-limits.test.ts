import type { HeadersArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { addRateLimitHits, checkRateLimits, countRateLimits } from "~/models/rate-limit.server";
import * as askPageRoute from "~/routes/asks.$ask";
import * as newAskPage from "~/routes/asks.new";
import * as signInPage from "~/routes/signin";
import * as signUpPage from "~/routes/signup";
import { addressKey, configureRateLimits, readRateLimitSettings } from "~/services/rate-limit.server";
import type { FormReply } from "~/validation/intent";
import { closeDb, db } from "../../db/client";
import { type DataReply, isDataReply, makeAsk, makeUser, replyData, route, signedIn, statusOf } from "./helpers";

const password = "correct horse battery";
const start = new Date("2026-03-02T09:00:00.000Z");
const minutes = (n: number) => n * 60_000;

// The clock stands still unless a test moves it, so no count depends on how fast the machine is.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
});
afterEach(() => {
  vi.useRealTimers();
  configureRateLimits();
});

function later(ms: number) {
  vi.setSystemTime(new Date(start.getTime() + ms));
}

function retryAfter(result: unknown): string | null {
  return isDataReply(result) ? new Headers(result.init?.headers ?? undefined).get("Retry-After") : null;
}

function count(sql: string, ...params: unknown[]): number {
  return (
    db()
      .$client.prepare(sql)
      .get(...params) as { n: number }
  ).n;
}

// Each test signs in from its own address, as separate people would.
let addressCounter = 0;
function newAddress(): string {
  addressCounter += 1;
  return `198.51.100.${addressCounter}`;
}

let emailCounter = 0;
function unknownEmail(): string {
  emailCounter += 1;
  return `nobody${emailCounter}@nowhere.example`;
}

const signInPath = route(signInPage, "/signin");

function signInFrom(address: string, email: string, pw: string) {
  return signInPath.post({ email, password: pw, redirectTo: "/my-asks" }, undefined, { clientAddress: address });
}

describe("signing in", () => {
  it("locks an account out of one address after 5 failed attempts, even with the right password, until the window ends", async () => {
    const user = await makeUser();
    const home = newAddress();
    for (let i = 0; i < 5; i++) {
      expect(statusOf(await signInFrom(home, user.email, `wrong guess ${i}`))).toBe(400);
    }

    const sixth = await signInFrom(home, user.email, "wrong guess 5");
    expect(statusOf(sixth)).toBe(429);
    expect(retryAfter(sixth)).toBe("900");
    expect(replyData<FormReply>(sixth).errors.form).toBe("Too many sign-in attempts. Try again in 15 minutes.");

    const sessionsBefore = count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id);
    const rightPassword = await signInFrom(home, user.email, password);
    expect(statusOf(rightPassword)).toBe(429);
    expect(replyData<FormReply>(rightPassword).values).toEqual({ email: user.email, redirectTo: "/my-asks" });
    expect(JSON.stringify(rightPassword)).not.toContain(password);
    expect(count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id)).toBe(sessionsBefore);

    later(minutes(12));
    const waiting = await signInFrom(home, user.email, password);
    expect(retryAfter(waiting)).toBe("180");
    expect(replyData<FormReply>(waiting).errors.form).toBe("Too many sign-in attempts. Try again in 3 minutes.");

    later(minutes(15));
    const afterWindow = await signInFrom(home, user.email, password);
    expect(statusOf(afterWindow)).toBe(302);
    expect((afterWindow as Response).headers.get("Set-Cookie")).toMatch(/^asklog_session=/);
  });

  it("does not let a stranger's failed sign-ins from another address lock out the owner signing in from theirs", async () => {
    const owner = await makeUser();
    const stranger = newAddress();
    for (let i = 0; i < 5; i++) expect(statusOf(await signInFrom(stranger, owner.email, `guess ${i}`))).toBe(400);
    expect(statusOf(await signInFrom(stranger, owner.email, "guess 5"))).toBe(429);
    // The stranger is refused even when they guess right.
    expect(statusOf(await signInFrom(stranger, owner.email, password))).toBe(429);

    expect(statusOf(await signInFrom(newAddress(), owner.email, password))).toBe(302);
  });

  it("still stops guessing spread over many addresses, at a per-account ceiling", async () => {
    configureRateLimits({ RATE_LIMIT_SIGNIN_ACCOUNT_CEILING: "8/15m" });
    const user = await makeUser();
    for (let i = 0; i < 4; i++) {
      const address = newAddress();
      expect(statusOf(await signInFrom(address, user.email, `guess ${i}a`))).toBe(400);
      expect(statusOf(await signInFrom(address, user.email, `guess ${i}b`))).toBe(400);
    }
    const refused = await signInFrom(newAddress(), user.email, password);
    expect(statusOf(refused)).toBe(429);
    expect(replyData<FormReply>(refused).errors.form).toBe("Too many sign-in attempts. Try again in 15 minutes.");
  });

  it("treats the email's case and spaces as the same account", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (const variant of [user.email, user.email.toUpperCase(), ` ${user.email} `, user.email, user.email]) {
      expect(statusOf(await signInFrom(address, variant, "not it at all"))).toBe(400);
    }
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
  });

  it("does not count successful sign-ins against the account", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (let i = 0; i < 12; i++) expect(statusOf(await signInFrom(address, user.email, password))).toBe(302);
    for (let i = 0; i < 5; i++) expect(statusOf(await signInFrom(address, user.email, `guess ${i}`))).toBe(400);
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
  });

  // One account signing in 30 times stands for 30 people: a success spends nothing either way,
  // and one account saves the test 29 password hashes. Thirty argon2 checks take a while.
  it("lets 30 sign-ins from one address succeed at the same moment", { timeout: 120_000 }, async () => {
    const user = await makeUser();
    const office = newAddress();
    const results = await Promise.all(Array.from({ length: 30 }, () => signInFrom(office, user.email, password)));
    expect(results.map(statusOf)).toEqual(results.map(() => 302));
  });

  // The price of counting only failures: wrong passwords already in flight when the limit
  // is reached are still checked. The next attempt after them is refused.
  it("lets a burst of wrong passwords overshoot the limit by no more than were in flight", {
    timeout: 60_000,
  }, async () => {
    const user = await makeUser();
    const address = newAddress();
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => signInFrom(address, user.email, `burst ${i}`)));
    expect(burst.map(statusOf)).toEqual(burst.map(() => 400));
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
    expect(count("SELECT count AS n FROM rate_limits WHERE key = ?", `${address} ${user.email}`)).toBe(8);
  });

  it("limits one address to 20 failed attempts across many accounts; other addresses are unaffected", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (let i = 0; i < 19; i++) expect(statusOf(await signInFrom(address, unknownEmail(), password))).toBe(400);
    // A success from the same address neither counts nor resets what the address has spent.
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(302);
    expect(statusOf(await signInFrom(address, unknownEmail(), password))).toBe(400);

    const refused = await signInFrom(address, unknownEmail(), password);
    expect(statusOf(refused)).toBe(429);
    expect(replyData<FormReply>(refused).errors.form).toBe("Too many sign-in attempts. Try again in 15 minutes.");
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
    expect(statusOf(await signInFrom(newAddress(), user.email, password))).toBe(302);
  });

  it("counts an IPv6 client's whole /64 as one address, and IPv4 on an IPv6 socket as the IPv4 address", async () => {
    for (let i = 0; i < 20; i++) {
      expect(statusOf(await signInFrom(`2001:db8:aa:1::${i + 1}`, unknownEmail(), password))).toBe(400);
    }
    expect(statusOf(await signInFrom("2001:db8:aa:1:ffff::99", unknownEmail(), password))).toBe(429);
    expect(statusOf(await signInFrom("2001:db8:aa:2::1", unknownEmail(), password))).toBe(400);

    expect(addressKey("2001:0db8:00aa:0001::1")).toBe("2001:db8:aa:1::/64");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("keeps the count in SQLite, so a restart does not unlock an account", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (let i = 0; i < 5; i++) await signInFrom(address, user.email, `wrong ${i}`);
    closeDb();
    // The next request opens a new connection to the same file, as a restarted server would.
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
  });
});

describe("signing up", () => {
  const signUpFrom = (address: string, email: string) =>
    route(signUpPage, "/signup").post(
      { email, displayName: "Riley Chen", organization: "Litware", password },
      undefined,
      { clientAddress: address },
    );

  it("allows 10 sign-ups an hour from one address, then refuses without creating the account", async () => {
    const address = newAddress();
    for (let i = 0; i < 10; i++) expect(statusOf(await signUpFrom(address, unknownEmail()))).toBe(302);
    const users = count("SELECT count(*) AS n FROM users");

    const email = unknownEmail();
    const refused = await signUpFrom(address, email);
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("3600");
    const reply = replyData<FormReply>(refused);
    expect(reply.errors.form).toBe("Too many sign-ups from your network. Try again in 60 minutes.");
    expect(reply.values).toMatchObject({ email, displayName: "Riley Chen", organization: "Litware" });
    expect(reply.values).not.toHaveProperty("password");
    expect(count("SELECT count(*) AS n FROM users")).toBe(users);

    expect(statusOf(await signUpFrom(newAddress(), email))).toBe(302);
    later(minutes(60));
    expect(statusOf(await signUpFrom(address, unknownEmail()))).toBe(302);
  });
});

describe("filing asks", () => {
  it("allows 10 asks an hour per partner, then keeps the typed ask on the form and files nothing", async () => {
    const { cookie } = await signedIn();
    const general = listCategories().find((c) => c.name === "General");
    const categoryId = String(general?.id);
    const newAsk = route(newAskPage, "/asks/new");
    const file = (title: string, body = "Partners need this to plan the next quarter.") =>
      newAsk.post({ title, body, categoryId, confirmed: "1", intent: "file" }, cookie);
    for (let i = 0; i < 10; i++) expect(statusOf(await file(`Rate limited ask number ${i}`))).toBe(302);
    const asks = count("SELECT count(*) AS n FROM asks");

    const refused = await file("One ask too many this hour", "Still **important** to us.");
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("3600");
    const reply = replyData<FormReply>(refused);
    expect(reply.errors.form).toBe("You have filed many asks in a short time. Try again in 60 minutes.");
    expect(reply.values).toMatchObject({ title: "One ask too many this hour", body: "Still **important** to us." });
    expect(count("SELECT count(*) AS n FROM asks")).toBe(asks);

    const other = await signedIn();
    const otherFiles = await newAsk.post(
      { title: "Another partner's ask", body: "Ours.", categoryId, confirmed: "1" },
      other.cookie,
    );
    expect(statusOf(otherFiles)).toBe(302);
  });
});

async function askPage() {
  const author = await makeUser();
  const ask = makeAsk(author.id);
  const param = `${ask.id}-${ask.slug}`;
  return { ask, page: route(askPageRoute, `/asks/${param}`, { ask: param }) };
}

describe("commenting", () => {
  it("allows 30 comments and edits in 10 minutes per partner, then keeps the typed text and saves nothing", async () => {
    const { ask, page } = await askPage();
    const { user, cookie } = await signedIn();
    for (let i = 0; i < 29; i++) {
      expect(statusOf(await page.post({ intent: "comment", body: `Comment ${i}` }, cookie))).toBe(302);
    }
    const commentId = count("SELECT max(id) AS n FROM comments WHERE author_id = ?", user.id);
    expect(
      statusOf(await page.post({ intent: "edit-comment", commentId: String(commentId), body: "Edited once" }, cookie)),
    ).toBe(302);

    const comments = count("SELECT count(*) AS n FROM comments WHERE ask_id = ?", ask.id);
    const refused = await page.post({ intent: "comment", body: "One more **thought**." }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("600");
    expect(replyData<FormReply>(refused)).toMatchObject({
      intent: "comment",
      errors: { body: "You have posted many comments in a short time. Try again in 10 minutes." },
      values: { body: "One more **thought**." },
    });
    expect(count("SELECT count(*) AS n FROM comments WHERE ask_id = ?", ask.id)).toBe(comments);
    expect(getAsk(ask.id)?.commentCount).toBe(comments);

    const edit = await page.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Edited twice" },
      cookie,
    );
    expect(statusOf(edit)).toBe(429);
    expect(replyData<FormReply>(edit)).toMatchObject({
      intent: "edit-comment",
      values: { commentId: String(commentId), body: "Edited twice" },
    });
    expect(count("SELECT count(*) AS n FROM comments WHERE id = ? AND body = 'Edited once'", commentId)).toBe(1);

    later(minutes(10));
    expect(statusOf(await page.post({ intent: "comment", body: "Back again" }, cookie))).toBe(302);
  });
});

describe("voting", () => {
  it("allows 120 votes and retractions a minute per partner, then answers 429 and changes nothing", async () => {
    const { ask, page } = await askPage();
    const { user, cookie } = await signedIn();
    for (let i = 0; i < 120; i++) {
      expect(statusOf(await page.post({ intent: i % 2 ? "unvote" : "vote" }, cookie))).toBe(302);
    }
    expect(getAsk(ask.id)?.voteCount).toBe(0);

    const refused = await page.post({ intent: "vote" }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("60");
    expect(replyData<FormReply>(refused).errors.form).toBe(
      "You have voted many times in a short time. Try again in 1 minute.",
    );
    expect(getAsk(ask.id)?.voteCount).toBe(0);
    expect(count("SELECT count(*) AS n FROM votes WHERE user_id = ?", user.id)).toBe(0);

    // A page rendered for the refused post (no JavaScript) carries Retry-After too.
    const pageHeaders = new Headers(
      askPageRoute.headers({
        actionHeaders: new Headers((refused as DataReply).init?.headers ?? undefined),
      } as HeadersArgs),
    );
    expect(pageHeaders.get("Retry-After")).toBe("60");

    later(45_000);
    expect(replyData<FormReply>(await page.post({ intent: "unvote" }, cookie)).errors.form).toBe(
      "You have voted many times in a short time. Try again in 15 seconds.",
    );

    const other = await signedIn();
    expect(statusOf(await page.post({ intent: "vote" }, other.cookie))).toBe(302);
    expect(getAsk(ask.id)?.voteCount).toBe(1);
  });
});

describe("settings", () => {
  it("RATE_LIMITS=off turns every limit off", async () => {
    configureRateLimits({ RATE_LIMITS: "off" });
    const user = await makeUser();
    const address = newAddress();
    for (let i = 0; i < 8; i++) expect(statusOf(await signInFrom(address, user.email, `wrong ${i}`))).toBe(400);
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(302);
    expect(
      count(
        "SELECT count(*) AS n FROM rate_limits WHERE key IN (?, ?, ?)",
        user.email,
        address,
        `${address} ${user.email}`,
      ),
    ).toBe(0);
  });

  it("reads overrides from the environment and applies them", async () => {
    expect(readRateLimitSettings({ RATE_LIMIT_VOTES: "3/30s", RATE_LIMIT_SIGNIN_ACCOUNT: "off" })).toEqual({
      signInAccount: null,
      signInAccountCeiling: { max: 100, windowMs: minutes(15) },
      signInAddress: { max: 20, windowMs: minutes(15) },
      signUp: { max: 10, windowMs: minutes(60) },
      ask: { max: 10, windowMs: minutes(60) },
      comment: { max: 30, windowMs: minutes(10) },
      vote: { max: 3, windowMs: 30_000 },
      confirmEmail: { max: 3, windowMs: minutes(60) },
      passwordResetAccount: { max: 3, windowMs: minutes(60) },
      passwordResetAddress: { max: 10, windowMs: minutes(60) },
      apiToken: { max: 600, windowMs: minutes(1) },
      apiAnonymous: { max: 120, windowMs: minutes(1) },
    });
    expect(readRateLimitSettings({ RATE_LIMIT_ASKS: " 2/d " }).ask).toEqual({ max: 2, windowMs: 86_400_000 });

    configureRateLimits({ RATE_LIMIT_COMMENTS: "2/1m" });
    const { page } = await askPage();
    const { cookie } = await signedIn();
    expect(statusOf(await page.post({ intent: "comment", body: "First" }, cookie))).toBe(302);
    expect(statusOf(await page.post({ intent: "comment", body: "Second" }, cookie))).toBe(302);
    const refused = await page.post({ intent: "comment", body: "Third" }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(replyData<FormReply>(refused).errors.body).toBe(
      "You have posted many comments in a short time. Try again in 1 minute.",
    );
  });

  it.each([
    ["RATE_LIMIT_SIGNIN_ACCOUNT", "five"],
    ["RATE_LIMIT_SIGNIN_ACCOUNT_CEILING", "lots"],
    ["RATE_LIMIT_SIGNIN_ADDRESS", "0/15m"],
    ["RATE_LIMIT_SIGNUP", "5/0h"],
    ["RATE_LIMIT_VOTES", "120"],
    ["RATE_LIMIT_COMMENTS", "30/10min"],
    ["RATE_LIMITS", "no"],
  ])("refuses to start with %s=%j, naming the variable", (variable, value) => {
    expect(() => readRateLimitSettings({ [variable]: value })).toThrow(new RegExp(`^${variable}="${value}"`));
  });
});

describe("the rate limit table", () => {
  const hit = { bucket: "test:table", key: "k", max: 2, windowMs: 60_000 };

  it("counts within a window that opens at the first hit, then starts over", () => {
    const t0 = new Date("2026-05-01T12:00:00.000Z").getTime();
    const at = (ms: number) => new Date(t0 + ms);
    expect(countRateLimits({ hits: [hit], now: at(0) }).ok).toBe(true);
    expect(countRateLimits({ hits: [hit], now: at(10_000) }).ok).toBe(true);
    expect(countRateLimits({ hits: [hit], now: at(20_000) })).toEqual({
      ok: false,
      reason: "limited",
      retryAfterMs: 40_000,
    });
    expect(countRateLimits({ hits: [hit], now: at(60_000) }).ok).toBe(true);
  });

  it("counts all hits or none, and prunes windows that have closed", () => {
    const t0 = new Date("2026-06-01T12:00:00.000Z").getTime();
    const open = { ...hit, bucket: "test:all-or-none", key: "open" };
    const full = { ...hit, bucket: "test:all-or-none", key: "full", max: 1 };
    countRateLimits({ hits: [full], now: new Date(t0) });
    expect(countRateLimits({ hits: [open, full], now: new Date(t0 + 1000) }).ok).toBe(false);
    expect(count("SELECT count(*) AS n FROM rate_limits WHERE bucket = 'test:all-or-none' AND key = 'open'")).toBe(0);

    countRateLimits({ hits: [{ ...hit, bucket: "test:other" }], now: new Date(t0 + 120_000) });
    expect(count("SELECT count(*) AS n FROM rate_limits WHERE bucket = 'test:all-or-none'")).toBe(0);
  });

  it("checks without counting, and counts an outcome without checking", () => {
    const t0 = new Date("2026-07-01T12:00:00.000Z").getTime();
    const at = (ms: number) => ({ now: new Date(t0 + ms) });
    const one = { ...hit, bucket: "test:check", max: 1 };
    expect(checkRateLimits({ hits: [one], ...at(0) }).ok).toBe(true);
    expect(checkRateLimits({ hits: [one], ...at(0) }).ok).toBe(true);

    addRateLimitHits({ hits: [one], ...at(0) });
    addRateLimitHits({ hits: [one], ...at(1000) });
    expect(count("SELECT count AS n FROM rate_limits WHERE bucket = 'test:check'")).toBe(2);
    expect(checkRateLimits({ hits: [one], ...at(2000) })).toEqual({
      ok: false,
      reason: "limited",
      retryAfterMs: 58_000,
    });
    // The window closed: a check that finds only a closed window lets the next attempt through.
    expect(checkRateLimits({ hits: [one], ...at(60_000) }).ok).toBe(true);
  });
});
