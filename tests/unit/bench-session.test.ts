import { createCookie } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { sessionIdFromCookie } from "../../scripts/bench-session";

// The benchmark's baseline answers as the signed-in partner only if it reads the cookie the app
// issues; Remix's own cookie makes the value here, as the app's session storage does.
const secret = "bench-only-secret";
const cookie = createCookie("asklog_session", { secrets: [secret], httpOnly: true, sameSite: "lax", path: "/" });

async function header(sessionId: string, signedWith = cookie): Promise<string> {
  const setCookie = await signedWith.serialize(sessionId);
  return `asklog_theme=dark; ${setCookie.slice(0, setCookie.indexOf(";"))}`;
}

describe("sessionIdFromCookie", () => {
  it("reads the session id from a cookie Remix signed", async () => {
    expect(sessionIdFromCookie(await header("k3Yq-9_zZ+/="), "asklog_session", secret)).toBe("k3Yq-9_zZ+/=");
  });

  it("refuses a cookie signed with another secret", async () => {
    const other = createCookie("asklog_session", { secrets: ["another-secret"] });
    expect(sessionIdFromCookie(await header("abc", other), "asklog_session", secret)).toBeNull();
  });

  it("refuses a cookie whose value was changed after signing", async () => {
    const forged = (await header("abc")).replace("asklog_session=", "asklog_session=x");
    expect(sessionIdFromCookie(forged, "asklog_session", secret)).toBeNull();
  });

  it("finds no session without the cookie", () => {
    expect(sessionIdFromCookie("asklog_theme=dark", "asklog_session", secret)).toBeNull();
    expect(sessionIdFromCookie(undefined, "asklog_session", secret)).toBeNull();
  });
});
