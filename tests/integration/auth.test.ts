import { describe, expect, it } from "vitest";
import * as signInPage from "~/routes/signin";
import * as signOutPage from "~/routes/signout";
import * as signUpPage from "~/routes/signup";
import { getUser } from "~/services/session.server";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import { cookieFor, getRequest, locationOf, makeUser, replyData, route, statusOf } from "./helpers";

const password = "correct horse battery";

const signUp = route(signUpPage, "/signup");
const signIn = route(signInPage, "/signin");
const signOut = route(signOutPage, "/signout");

// As stored: the password hash is what these tests are about, and no model hands it out.
function userRows(email: string) {
  return db()
    .$client.prepare("SELECT id, email, password_hash AS passwordHash FROM users WHERE email = ?")
    .all(email) as {
    id: number;
    email: string;
    passwordHash: string;
  }[];
}

function userRow(email: string) {
  const [row] = userRows(email);
  if (!row) throw new Error(`no user ${email}`);
  return row;
}

function sessionCookie(response: unknown): string {
  expect(response).toBeInstanceOf(Response);
  const setCookie = (response as Response).headers.get("Set-Cookie") ?? "";
  expect(setCookie).toMatch(/^asklog_session=[^;]+/);
  return setCookie.split(";")[0] ?? "";
}

async function userBehind(cookie: string) {
  return getUser(getRequest("/", cookie));
}

let emailCounter = 0;
function freshEmail(): string {
  emailCounter += 1;
  return `partner${emailCounter}-${Date.now()}@fabrikam.example`;
}

describe("signing up", () => {
  it("creates the account, signs the partner in and sends them on", async () => {
    const email = freshEmail();
    const result = await signUp.post({
      email: `  ${email.toUpperCase()} `,
      displayName: "Hannah Okafor",
      organization: "Fabrikam",
      password,
      redirectTo: "/asks/new",
    });

    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/asks/new");
    const setCookie = (result as Response).headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const row = userRow(email);
    const user = await userBehind(sessionCookie(result));
    expect(user).toMatchObject({ id: row.id, email, displayName: "Hannah Okafor", organization: "Fabrikam" });
  });

  it.each(["//evil.example", "https://evil.example", "/\t/evil.example"])(
    "sends a new partner home instead of to the off-site redirectTo %j",
    async (redirectTo) => {
      const result = await signUp.post({
        email: freshEmail(),
        displayName: "Omar Said",
        organization: "Dell",
        password,
        redirectTo,
      });
      expect(statusOf(result)).toBe(302);
      expect(locationOf(result)).toBe("/");
    },
  );

  it("stores an argon2id hash, never the password", async () => {
    const email = freshEmail();
    await signUp.post({ email, displayName: "Ivan Petrov", organization: "Fabrikam", password });
    const row = userRow(email);
    expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(row.passwordHash).not.toContain(password);
    const everything = JSON.stringify(db().$client.prepare("SELECT * FROM users").all());
    expect(everything).not.toContain(password);
  });

  it("refuses a taken email with a message on the email field, keeping what was typed but the password", async () => {
    const email = freshEmail();
    const first = await signUp.post({ email, displayName: "Jessica Tran", organization: "Fabrikam", password });
    expect(statusOf(first)).toBe(302);

    const secret = "another secret phrase";
    const second = await signUp.post({
      email: email.toUpperCase(),
      displayName: "Someone Else",
      organization: "Litware",
      password: secret,
      redirectTo: "/my-asks",
    });

    expect(statusOf(second)).toBe(400);
    const reply = replyData<FormReply>(second);
    expect(reply.errors.email).toBe("An account with this email already exists. Sign in instead.");
    expect(reply.values.displayName).toBe("Someone Else");
    expect(reply.values.organization).toBe("Litware");
    expect(reply.values).not.toHaveProperty("password");
    expect(JSON.stringify(second)).not.toContain(secret);
    expect(userRows(email)).toHaveLength(1);
  });

  it("returns field errors for invalid input without echoing the password or creating anyone", async () => {
    const email = freshEmail();
    const result = await signUp.post({
      email,
      displayName: "Kofi Mensah",
      organization: "Northwind",
      password: "short1",
    });
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    expect(reply.errors.password).toBe("Password must be at least 10 characters.");
    expect(reply.values.email).toBe(email);
    expect(JSON.stringify(result)).not.toContain("short1");
    expect(userRows(email)).toHaveLength(0);
  });
});

describe("signing in", () => {
  it("gives one generic message for a wrong password and for an unknown email", async () => {
    const user = await makeUser();
    const wrongPassword = await signIn.post({
      email: user.email,
      password: "wrong password!!",
      redirectTo: "/my-asks",
    });
    const unknownEmail = await signIn.post({ email: "nobody@nowhere.example", password, redirectTo: "/my-asks" });

    for (const result of [wrongPassword, unknownEmail]) {
      expect(statusOf(result)).toBe(400);
      const reply = replyData<FormReply>(result);
      expect(reply.errors.form).toBe("That email and password do not match an account.");
      expect(reply.values).not.toHaveProperty("password");
      expect(JSON.stringify(result)).not.toContain("wrong password!!");
      expect(JSON.stringify(result)).not.toContain(password);
    }
    expect(replyData<FormReply>(wrongPassword).values.email).toBe(user.email);
  });

  it("signs in with the right password, whatever the email's case, and goes to a same-site redirectTo", async () => {
    const user = await makeUser();
    const result = await signIn.post({
      email: ` ${user.email.toUpperCase()} `,
      password,
      redirectTo: "/my-asks?tab=voted",
    });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/my-asks?tab=voted");
    expect((await userBehind(sessionCookie(result)))?.id).toBe(user.id);
  });

  it.each([
    "//evil.example",
    "https://evil.example",
    "http://evil.example/asks",
    "/\\evil.example",
    // Browsers drop tabs and newlines from a Location before resolving it: "/\t/x" means "//x".
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("sends an off-site redirectTo %j home instead", async (redirectTo) => {
    const user = await makeUser();
    const result = await signIn.post({ email: user.email, password, redirectTo });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/");
  });

  it("rotates the session id: a cookie from before sign-in stops working, the new one works", async () => {
    const planter = await makeUser();
    const user = await makeUser();
    const before = await cookieFor(planter);
    expect((await userBehind(before))?.id).toBe(planter.id);

    const result = await signIn.post({ email: user.email, password }, before);
    const after = sessionCookie(result);

    expect(after).not.toBe(before);
    expect(await userBehind(before)).toBeUndefined();
    expect((await userBehind(after))?.id).toBe(user.id);
  });

  it("rotates the session id when the same person signs in again", async () => {
    const user = await makeUser();
    const before = await cookieFor(user);
    const result = await signIn.post({ email: user.email, password }, before);
    const after = sessionCookie(result);
    expect(after).not.toBe(before);
    expect(await userBehind(before)).toBeUndefined();
    expect((await userBehind(after))?.id).toBe(user.id);
  });
});

describe("signing out", () => {
  it("ends the session on the server, so the old cookie no longer resolves a user", async () => {
    const user = await makeUser();
    const cookie = await cookieFor(user);
    const other = await cookieFor(user);
    expect((await userBehind(cookie))?.id).toBe(user.id);

    const result = await signOut.post({}, cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/");
    expect((result as Response).headers.get("Set-Cookie")).toMatch(
      /asklog_session=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/i,
    );

    // Replaying the cookie (a stolen copy, a stale tab) finds nothing on the server.
    expect(await userBehind(cookie)).toBeUndefined();
    // Only that session ends: the same person's session on another device stays.
    expect((await userBehind(other))?.id).toBe(user.id);
  });
});
