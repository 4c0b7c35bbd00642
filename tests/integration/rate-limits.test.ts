import type { HeadersArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getAsk } from "~/models/ask.server";
import { countRateLimits, releaseRateLimits } from "~/models/rate-limit.server";
import type { User } from "~/models/user.server";
import { action as askAction, headers as askHeaders } from "~/routes/asks.$ask";
import { action as newAskAction } from "~/routes/asks.new";
import { action as signIn } from "~/routes/signin";
import { action as signUp } from "~/routes/signup";
import { addressKey, configureRateLimits, readRateLimitSettings } from "~/services/rate-limit.server";
import { closeDb, db } from "../../db/client";
import {
  args,
  cookieFor,
  type DataReply,
  formRequest,
  isDataReply,
  makeAsk,
  makeUser,
  replyData,
  run,
  statusOf,
} from "./helpers";

const password = "correct horse battery";
const start = new Date("2026-03-02T09:00:00.000Z");
const minutes = (n: number) => n * 60_000;

type SignInReply = { error: string; values: Record<string, string> };
type FormReply = { errors?: Record<string, string>; formError?: string; values: Record<string, string> };
type AskReply = {
  error?: string;
  commentErrors?: { body?: string };
  commentValues?: { body?: string };
  commentId?: number;
};

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
  return isDataReply(result) ? new Headers((result as DataReply).init?.headers).get("Retry-After") : null;
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

function signInFrom(address: string, email: string, pw: string) {
  return run(
    signIn,
    args(formRequest("/signin", { email, password: pw, redirectTo: "/my-asks" }), {}, { clientAddress: address }),
  );
}

describe("signing in", () => {
  it("locks an account after 5 failed attempts, from any address and even with the right password, until the window ends", async () => {
    const user = await makeUser();
    const home = newAddress();
    for (let i = 0; i < 5; i++) {
      expect(statusOf(await signInFrom(home, user.email, `wrong guess ${i}`))).toBe(400);
    }

    const sixth = await signInFrom(home, user.email, "wrong guess 5");
    expect(statusOf(sixth)).toBe(429);
    expect(retryAfter(sixth)).toBe("900");
    expect(replyData<SignInReply>(sixth).error).toBe("Too many sign-in attempts. Try again in 15 minutes.");

    const sessionsBefore = count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id);
    const rightPassword = await signInFrom(home, user.email, password);
    expect(statusOf(rightPassword)).toBe(429);
    expect(replyData<SignInReply>(rightPassword).values).toEqual({ email: user.email, redirectTo: "/my-asks" });
    expect(JSON.stringify(rightPassword)).not.toContain(password);

    const elsewhere = await signInFrom(newAddress(), user.email, password);
    expect(statusOf(elsewhere)).toBe(429);
    expect(count("SELECT count(*) AS n FROM sessions WHERE user_id = ?", user.id)).toBe(sessionsBefore);

    later(minutes(12));
    const waiting = await signInFrom(home, user.email, password);
    expect(retryAfter(waiting)).toBe("180");
    expect(replyData<SignInReply>(waiting).error).toBe("Too many sign-in attempts. Try again in 3 minutes.");

    later(minutes(15));
    const afterWindow = await signInFrom(home, user.email, password);
    expect(statusOf(afterWindow)).toBe(302);
    expect((afterWindow as Response).headers.get("Set-Cookie")).toMatch(/^asklog_session=/);
  });

  it("treats the email's case and spaces as the same account", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (const variant of [user.email, user.email.toUpperCase(), ` ${user.email} `, user.email, user.email]) {
      expect(statusOf(await signInFrom(address, variant, "not it at all"))).toBe(400);
    }
    expect(statusOf(await signInFrom(newAddress(), user.email, password))).toBe(429);
  });

  it("does not count successful sign-ins against the account", async () => {
    const user = await makeUser();
    const address = newAddress();
    for (let i = 0; i < 12; i++) expect(statusOf(await signInFrom(address, user.email, password))).toBe(302);
    for (let i = 0; i < 5; i++) expect(statusOf(await signInFrom(address, user.email, `guess ${i}`))).toBe(400);
    expect(statusOf(await signInFrom(address, user.email, password))).toBe(429);
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
    expect(replyData<SignInReply>(refused).error).toBe("Too many sign-in attempts. Try again in 15 minutes.");
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
    for (let i = 0; i < 5; i++) await signInFrom(newAddress(), user.email, `wrong ${i}`);
    closeDb();
    // The next request opens a new connection to the same file, as a restarted server would.
    expect(statusOf(await signInFrom(newAddress(), user.email, password))).toBe(429);
  });
});

describe("signing up", () => {
  const signUpFrom = (address: string, email: string) =>
    run(
      signUp,
      args(
        formRequest("/signup", { email, displayName: "Riley Chen", organization: "Litware", password }),
        {},
        { clientAddress: address },
      ),
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
    expect(reply.formError).toBe("Too many sign-ups from your network. Try again in 60 minutes.");
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
    const user = await makeUser();
    const cookie = await cookieFor(user);
    const categoryId = String(count("SELECT id AS n FROM categories WHERE name = 'General'"));
    const file = (title: string, body = "Partners need this to plan the next quarter.") =>
      run(
        newAskAction,
        args(formRequest("/asks/new", { title, body, categoryId, confirmed: "1", intent: "file" }, cookie)),
      );
    for (let i = 0; i < 10; i++) expect(statusOf(await file(`Rate limited ask number ${i}`))).toBe(302);
    const asks = count("SELECT count(*) AS n FROM asks");

    const refused = await file("One ask too many this hour", "Still **important** to us.");
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("3600");
    const reply = replyData<FormReply>(refused);
    expect(reply.formError).toBe("You have filed many asks in a short time. Try again in 60 minutes.");
    expect(reply.values).toMatchObject({ title: "One ask too many this hour", body: "Still **important** to us." });
    expect(count("SELECT count(*) AS n FROM asks")).toBe(asks);

    const other = await makeUser();
    const otherFiles = await run(
      newAskAction,
      args(
        formRequest(
          "/asks/new",
          { title: "Another partner's ask", body: "Ours.", categoryId, confirmed: "1" },
          await cookieFor(other),
        ),
      ),
    );
    expect(statusOf(otherFiles)).toBe(302);
  });
});

async function askPage() {
  const author = await makeUser();
  const ask = makeAsk(author.id);
  const param = `${ask.id}-${ask.slug}`;
  const post = (fields: Record<string, string>, cookie: string) =>
    run(askAction, args(formRequest(`/asks/${param}`, fields, cookie), { ask: param }));
  return { ask, post };
}

async function signedIn(): Promise<{ user: User; cookie: string }> {
  const user = await makeUser();
  return { user, cookie: await cookieFor(user) };
}

describe("commenting", () => {
  it("allows 30 comments and edits in 10 minutes per partner, then keeps the typed text and saves nothing", async () => {
    const { ask, post } = await askPage();
    const { user, cookie } = await signedIn();
    for (let i = 0; i < 29; i++)
      expect(statusOf(await post({ intent: "comment", body: `Comment ${i}` }, cookie))).toBe(302);
    const commentId = count("SELECT max(id) AS n FROM comments WHERE author_id = ?", user.id);
    expect(
      statusOf(await post({ intent: "edit-comment", commentId: String(commentId), body: "Edited once" }, cookie)),
    ).toBe(302);

    const comments = count("SELECT count(*) AS n FROM comments WHERE ask_id = ?", ask.id);
    const refused = await post({ intent: "comment", body: "One more **thought**." }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("600");
    expect(replyData<AskReply>(refused)).toEqual({
      commentErrors: { body: "You have posted many comments in a short time. Try again in 10 minutes." },
      commentValues: { body: "One more **thought**." },
    });
    expect(count("SELECT count(*) AS n FROM comments WHERE ask_id = ?", ask.id)).toBe(comments);
    expect(getAsk(ask.id)?.commentCount).toBe(comments);

    const edit = await post({ intent: "edit-comment", commentId: String(commentId), body: "Edited twice" }, cookie);
    expect(statusOf(edit)).toBe(429);
    expect(replyData<AskReply>(edit)).toMatchObject({ commentId, commentValues: { body: "Edited twice" } });
    expect(count("SELECT count(*) AS n FROM comments WHERE id = ? AND body = 'Edited once'", commentId)).toBe(1);

    later(minutes(10));
    expect(statusOf(await post({ intent: "comment", body: "Back again" }, cookie))).toBe(302);
  });
});

describe("voting", () => {
  it("allows 120 votes and retractions a minute per partner, then answers 429 and changes nothing", async () => {
    const { ask, post } = await askPage();
    const { user, cookie } = await signedIn();
    for (let i = 0; i < 120; i++) {
      expect(statusOf(await post({ intent: i % 2 ? "unvote" : "vote" }, cookie))).toBe(302);
    }
    expect(getAsk(ask.id)?.voteCount).toBe(0);

    const refused = await post({ intent: "vote" }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(retryAfter(refused)).toBe("60");
    expect(replyData<AskReply>(refused).error).toBe(
      "You have voted many times in a short time. Try again in 1 minute.",
    );
    expect(getAsk(ask.id)?.voteCount).toBe(0);
    expect(count("SELECT count(*) AS n FROM votes WHERE user_id = ?", user.id)).toBe(0);

    // A page rendered for the refused post (no JavaScript) carries Retry-After too.
    const pageHeaders = new Headers(
      askHeaders({ actionHeaders: new Headers((refused as DataReply).init?.headers) } as HeadersArgs),
    );
    expect(pageHeaders.get("Retry-After")).toBe("60");

    later(45_000);
    expect(replyData<AskReply>(await post({ intent: "unvote" }, cookie)).error).toBe(
      "You have voted many times in a short time. Try again in 15 seconds.",
    );

    const other = await signedIn();
    expect(statusOf(await post({ intent: "vote" }, other.cookie))).toBe(302);
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
    expect(count("SELECT count(*) AS n FROM rate_limits WHERE key IN (?, ?)", user.email, address)).toBe(0);
  });

  it("reads overrides from the environment and applies them", async () => {
    expect(readRateLimitSettings({ RATE_LIMIT_VOTES: "3/30s", RATE_LIMIT_SIGNIN_ACCOUNT: "off" })).toEqual({
      signInAccount: null,
      signInAddress: { max: 20, windowMs: minutes(15) },
      signUp: { max: 10, windowMs: minutes(60) },
      ask: { max: 10, windowMs: minutes(60) },
      comment: { max: 30, windowMs: minutes(10) },
      vote: { max: 3, windowMs: 30_000 },
    });
    expect(readRateLimitSettings({ RATE_LIMIT_ASKS: " 2/d " }).ask).toEqual({ max: 2, windowMs: 86_400_000 });

    configureRateLimits({ RATE_LIMIT_COMMENTS: "2/1m" });
    const { post } = await askPage();
    const { cookie } = await signedIn();
    expect(statusOf(await post({ intent: "comment", body: "First" }, cookie))).toBe(302);
    expect(statusOf(await post({ intent: "comment", body: "Second" }, cookie))).toBe(302);
    const refused = await post({ intent: "comment", body: "Third" }, cookie);
    expect(statusOf(refused)).toBe(429);
    expect(replyData<AskReply>(refused).commentErrors?.body).toBe(
      "You have posted many comments in a short time. Try again in 1 minute.",
    );
  });

  it.each([
    ["RATE_LIMIT_SIGNIN_ACCOUNT", "five"],
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
    expect(countRateLimits([hit], at(0)).ok).toBe(true);
    expect(countRateLimits([hit], at(10_000)).ok).toBe(true);
    expect(countRateLimits([hit], at(20_000))).toEqual({ ok: false, retryAfterMs: 40_000 });
    expect(countRateLimits([hit], at(60_000)).ok).toBe(true);
  });

  it("counts all hits or none, and prunes windows that have closed", () => {
    const t0 = new Date("2026-06-01T12:00:00.000Z").getTime();
    const open = { ...hit, bucket: "test:all-or-none", key: "open" };
    const full = { ...hit, bucket: "test:all-or-none", key: "full", max: 1 };
    countRateLimits([full], new Date(t0));
    expect(countRateLimits([open, full], new Date(t0 + 1000)).ok).toBe(false);
    expect(count("SELECT count(*) AS n FROM rate_limits WHERE bucket = 'test:all-or-none' AND key = 'open'")).toBe(0);

    countRateLimits([{ ...hit, bucket: "test:other" }], new Date(t0 + 120_000));
    expect(count("SELECT count(*) AS n FROM rate_limits WHERE bucket = 'test:all-or-none'")).toBe(0);
  });

  it("gives a count back only in the window it was taken in", () => {
    const t0 = new Date("2026-07-01T12:00:00.000Z").getTime();
    const one = { ...hit, bucket: "test:release", max: 1 };
    const first = countRateLimits([one], new Date(t0));
    if (!first.ok) throw new Error("first hit refused");
    releaseRateLimits(first.counted);
    const second = countRateLimits([one], new Date(t0 + 1000));
    expect(second.ok).toBe(true);

    // Released after its window closed and a new one opened: the new window keeps its count.
    const third = countRateLimits([one], new Date(t0 + 61_000));
    expect(third.ok).toBe(true);
    if (second.ok) releaseRateLimits(second.counted);
    expect(countRateLimits([one], new Date(t0 + 62_000)).ok).toBe(false);
  });
});
