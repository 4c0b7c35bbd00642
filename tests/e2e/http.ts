import { expect, inject } from "vitest";
import { setCookiePairs } from "../../scripts/server-process";

// Plain HTTP against the e2e server, for tests that check what the server sends
// rather than what a browser makes of it.

export function url(path: string): string {
  return new URL(path, inject("baseUrl")).href;
}

// Signs in through the real form post and returns the Cookie header to send
// afterwards, whatever the session cookie is called. Writes must say where they
// come from, as a browser's would.
export async function signIn(email: string, password: string, userAgent?: string): Promise<string> {
  const response = await fetch(url("/signin"), {
    method: "POST",
    redirect: "manual",
    headers: { Origin: new URL(inject("baseUrl")).origin, ...(userAgent ? { "User-Agent": userAgent } : {}) },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
  });
  expect(response.status, `sign-in of ${email}: ${await response.text()}`).toBe(302);
  const cookies = setCookiePairs(response.headers).filter((pair) => !pair.endsWith("="));
  expect(cookies.length, `sign-in of ${email} set no cookie`).toBeGreaterThan(0);
  return cookies.join("; ");
}

// A GET that does not follow redirects, so a redirect is seen (and its target checked) as such.
export function get(path: string, cookie?: string): Promise<Response> {
  return fetch(url(path), { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
