import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { follow } from "~/models/subscription.server";
import { getActiveUser } from "~/models/user.server";
import * as root from "~/root";
import * as resendPage from "~/routes/confirm-email";
import * as confirmEmailPage from "~/routes/confirm-email.$token";
import * as forgotPasswordPage from "~/routes/forgot-password";
import * as resetPasswordPage from "~/routes/reset-password.$token";
import * as signUpPage from "~/routes/signup";
import { sendEmailConfirmation } from "~/services/account-mail.server";
import { configureRateLimits } from "~/services/rate-limit.server";
import { getUser } from "~/services/session.server";
import { db } from "../../db/client";
import { outbox, users } from "../../db/schema";
import {
  cookieFor,
  getRequest,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  replyData,
  route,
  statusOf,
} from "./helpers";
import { recordStatusEvent, testMailbox } from "./mail";

const mailbox = testMailbox();
beforeEach(() => {
  configureRateLimits({});
});

let counter = 0;
function freshEmail(): string {
  counter += 1;
  return `newcomer${counter}-${Date.now()}@fabrikam.example`;
}

// Each sign-up from an address of its own, so the sign-up limit stays out of the way.
function signUp(email: string) {
  counter += 1;
  return route(signUpPage, "/signup").post(
    {
      email,
      displayName: "Hannah Okafor",
      organization: "Fabrikam",
      password: "correct horse battery",
      redirectTo: "/",
    },
    undefined,
    { clientAddress: `10.9.0.${counter}` },
  );
}

function userRow(email: string) {
  const row = db().select().from(users).where(eq(users.email, email)).get();
  if (!row) throw new Error(`no user ${email}`);
  return row;
}

// The token in the one link of a message about the account.
function tokenIn(text: string | undefined, path: "confirm-email" | "reset-password"): string {
  const token = new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(text ?? "")?.[1];
  if (!token) throw new Error(`No /${path}/ link in ${text}`);
  return token;
}

async function signedInUser(cookie: string) {
  return getUser(getRequest("/", cookie));
}

describe("confirming the address typed at sign-up", () => {
  it("mails one link to the typed address, says so, and mails nothing else there until it is followed", async () => {
    const email = freshEmail();
    const result = await signUp(`  ${email.toUpperCase()} `);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/");
    expect(await noticeAfter(result)).toContain(`We sent a link to ${email}.`);
    const user = userRow(email);
    expect(user.emailVerifiedAt).toBeNull();

    // The new partner follows an ask that then moves: the in-app entry exists, the mail does not.
    const author = await makeUser();
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: user.id });
    recordStatusEvent(ask.id, author.id);
    await mailbox.deliver();

    const received = mailbox.to(email);
    expect(received).toHaveLength(1);
    expect(received[0]?.subject).toBe("Confirm your email address for Asklog");
    expect(received[0]?.text).toContain(`/confirm-email/${tokenIn(received[0]?.text, "confirm-email")}`);
  });

  it("tells a signed-in person with an unconfirmed address on every page, until it is confirmed", async () => {
    const unconfirmed = await makeUser({ confirmed: false });
    const confirmed = await makeUser();
    const header = async (user: typeof unconfirmed) =>
      replyData<{ user: { emailConfirmed: boolean } }>(await route(root, "/").load(await cookieFor(user))).user;
    expect((await header(unconfirmed)).emailConfirmed).toBe(false);
    expect((await header(confirmed)).emailConfirmed).toBe(true);
  });

  it("confirms on the button, not on opening the link, and only once; then mail reaches the address", async () => {
    const email = freshEmail();
    await signUp(email);
    await mailbox.deliver();
    const token = tokenIn(mailbox.to(email)[0]?.text, "confirm-email");
    const page = route(confirmEmailPage, `/confirm-email/${token}`, { token });

    // A mail scanner opening the link twice changes nothing.
    for (let i = 0; i < 2; i++) {
      expect(replyData<{ email: string }>(await page.load()).email).toBe(email);
    }
    expect(userRow(email).emailVerifiedAt).toBeNull();

    const confirmed = await page.post({});
    expect(statusOf(confirmed)).toBe(302);
    expect(locationOf(confirmed)).toBe("/signin");
    expect(await noticeAfter(confirmed)).toBe(`${email} is confirmed. Asklog mails you there from now on.`);
    expect(userRow(email).emailVerifiedAt).not.toBeNull();

    const again = await page.post({});
    expect(statusOf(again)).toBe(400);
    expect(replyData<{ errors: { form: string } }>(again).errors.form).toBe(
      "This confirmation link has already been used.",
    );
    expect(statusOf(await page.load())).toBe(400);

    const author = await makeUser();
    const ask = makeAsk(author.id);
    follow({ askId: ask.id, userId: userRow(email).id });
    recordStatusEvent(ask.id, author.id);
    await mailbox.deliver();
    expect(mailbox.to(email)).toHaveLength(2);
  });

  it("refuses a forged or expired link with a clear page and changes nothing", async () => {
    const email = freshEmail();
    await signUp(email);
    await mailbox.deliver();
    const token = tokenIn(mailbox.to(email)[0]?.text, "confirm-email");

    const forged = route(confirmEmailPage, "/confirm-email/x", { token: `${token.slice(0, -2)}xx` });
    expect(statusOf(await forged.load())).toBe(400);
    expect(replyData<{ errors: { form: string } }>(await forged.post({})).errors.form).toMatch(/does not work/);

    db()
      .$client.prepare("UPDATE user_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE user_id = ?")
      .run(userRow(email).id);
    const expired = await route(confirmEmailPage, "/confirm-email/x", { token }).post({});
    expect(replyData<{ errors: { form: string } }>(expired).errors.form).toBe(
      "This confirmation link has expired: links work for 24 hours.",
    );
    expect(userRow(email).emailVerifiedAt).toBeNull();
  });

  it("sends the link again on request, three times an hour", async () => {
    const email = freshEmail();
    await signUp(email);
    const user = getActiveUser(userRow(email).id);
    if (!user) throw new Error("sign-up made no user");
    const cookie = await cookieFor(user);
    const resend = route(resendPage, "/confirm-email");
    expect(replyData<{ to: string }>(await resend.load(cookie)).to).toBe(email);
    for (let i = 0; i < 3; i++) expect(statusOf(await resend.post({}, cookie))).toBe(302);
    const refused = await resend.post({}, cookie);
    expect(statusOf(refused)).toBe(429);
    await mailbox.deliver();
    expect(mailbox.to(email)).toHaveLength(4);

    // Only the newest link works.
    const links = mailbox.to(email).map((m) => tokenIn(m.text, "confirm-email"));
    const oldest = await route(confirmEmailPage, "/x", { token: links[0] ?? "" }).post({});
    expect(statusOf(oldest)).toBe(400);
    const newest = await route(confirmEmailPage, "/x", { token: links.at(-1) ?? "" }).post({}, cookie);
    expect(locationOf(newest)).toBe("/account");
    expect(replyData<{ to: string | null }>(await resend.load(cookie)).to).toBeNull();
  });
});

describe("changing the address", () => {
  it("keeps the current address until the new one is confirmed, and refuses one another account took meanwhile", async () => {
    const user = await makeUser();
    const wanted = freshEmail();
    sendEmailConfirmation({ userId: user.id, email: wanted });
    await mailbox.deliver();
    expect(mailbox.to(user.email)).toHaveLength(0);
    expect(getActiveUser(user.id)?.email).toBe(user.email);
    const token = tokenIn(mailbox.to(wanted)[0]?.text, "confirm-email");

    await signUp(wanted);
    const taken = await route(confirmEmailPage, "/x", { token }).post({});
    expect(statusOf(taken)).toBe(409);
    expect(replyData<{ errors: { form: string } }>(taken).errors.form).toBe(
      "Another account now uses this address, so it cannot become yours.",
    );
    expect(getActiveUser(user.id)?.email).toBe(user.email);

    const other = freshEmail();
    sendEmailConfirmation({ userId: user.id, email: other });
    await mailbox.deliver();
    db().$client.prepare("UPDATE users SET email_bounced_at = '2026-01-01' WHERE id = ?").run(user.id);
    const moved = await route(confirmEmailPage, "/x", {
      token: tokenIn(mailbox.to(other)[0]?.text, "confirm-email"),
    }).post({});
    expect(statusOf(moved)).toBe(302);
    const row = db().select().from(users).where(eq(users.id, user.id)).get();
    expect(row?.email).toBe(other);
    expect(row?.emailVerifiedAt).not.toBeNull();
    expect(row?.emailBouncedAt).toBeNull();
  });
});

describe("forgotten passwords", () => {
  const forgot = (email: string, clientAddress = "10.8.0.1") =>
    route(forgotPasswordPage, "/forgot-password").post({ email }, undefined, { clientAddress });

  it("answers an unknown address exactly as a known one, and mails only the known one", async () => {
    const known = await makeUser();
    const unknown = freshEmail();
    const answers = [await forgot(known.email, "10.8.1.1"), await forgot(unknown, "10.8.1.2")];
    const [forKnown, forUnknown] = await Promise.all(
      answers.map(async (a) => ({
        status: statusOf(a),
        location: locationOf(a),
        notice: (await noticeAfter(a))?.replace(/\S+@\S+/, "ADDRESS"),
      })),
    );
    expect(forUnknown).toEqual(forKnown);
    expect(forKnown?.status).toBe(302);
    await mailbox.deliver();
    expect(mailbox.to(unknown)).toHaveLength(0);
    expect(mailbox.to(known.email)).toHaveLength(1);
    expect(
      db()
        .select()
        .from(outbox)
        .all()
        .filter((m) => m.toAddress === unknown),
    ).toHaveLength(0);
  });

  it("limits requests per address asked for, the same for addresses without an account", async () => {
    const known = await makeUser();
    const unknown = freshEmail();
    for (const email of [known.email, unknown]) {
      for (let i = 0; i < 3; i++) expect(statusOf(await forgot(email, `10.8.2.${i}`))).toBe(302);
      expect(statusOf(await forgot(email, "10.8.2.9"))).toBe(429);
    }
  });

  it("sets a new password once, signs out every session, and signs this device in", async () => {
    const user = await makeUser();
    const [laptop, phone] = [await cookieFor(user), await cookieFor(user)];
    await forgot(user.email, "10.8.3.1");
    await mailbox.deliver();
    const token = tokenIn(mailbox.to(user.email)[0]?.text, "reset-password");
    const page = route(resetPasswordPage, `/reset-password/${token}`, { token });
    expect(statusOf(await page.load())).toBe(200);

    const tooShort = await page.post({ password: "short" });
    expect(replyData<{ errors: { password: string } }>(tooShort).errors.password).toBe(
      "Password must be at least 10 characters.",
    );

    const reset = await page.post({ password: "a brand new passphrase" });
    expect(statusOf(reset)).toBe(302);
    expect(await signedInUser(laptop)).toBeUndefined();
    expect(await signedInUser(phone)).toBeUndefined();
    const fresh = (reset as Response).headers
      .getSetCookie()
      .find((c) => c.startsWith("asklog_session="))
      ?.split(";")[0];
    expect((await signedInUser(fresh ?? ""))?.id).toBe(user.id);

    const again = await page.post({ password: "yet another passphrase" });
    expect(replyData<{ errors: { form: string } }>(again).errors.form).toBe("This reset link has already been used.");
    const hash = db().select({ h: users.passwordHash }).from(users).where(eq(users.id, user.id)).get()?.h ?? "";
    const argon2 = await import("argon2");
    expect(await argon2.verify(hash, "a brand new passphrase")).toBe(true);
  });

  it("refuses an expired link and leaves the password and sessions alone", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user);
    await forgot(user.email, "10.8.4.1");
    await mailbox.deliver();
    const token = tokenIn(mailbox.to(user.email)[0]?.text, "reset-password");
    db()
      .$client.prepare("UPDATE user_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE user_id = ?")
      .run(user.id);
    const page = route(resetPasswordPage, "/x", { token });
    expect(statusOf(await page.load())).toBe(400);
    const refused = await page.post({ password: "a brand new passphrase" });
    expect(replyData<{ errors: { form: string } }>(refused).errors.form).toBe(
      "This reset link has expired: links work for one hour.",
    );
    expect((await signedInUser(cookie))?.id).toBe(user.id);
  });
});
