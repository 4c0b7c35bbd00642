// How the benchmark's baseline reads the app's session cookie without Remix: Remix signs it as
// cookie-signature does, the base64 JSON of the session id, a dot, and the HMAC-SHA256 of that
// under the secret in base64 without padding; the pair is URI-encoded in the Cookie header.
import { createHmac, timingSafeEqual } from "node:crypto";

export function sessionIdFromCookie(cookieHeader: string | undefined, name: string, secret: string): string | null {
  const pair = cookieHeader?.split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  if (!pair || !secret) return null;
  let signed: string;
  try {
    signed = decodeURIComponent(pair.slice(name.length + 1));
  } catch {
    return null;
  }
  const dot = signed.lastIndexOf(".");
  if (dot < 0) return null;
  const value = signed.slice(0, dot);
  const expected = Buffer.from(
    `${value}.${createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "")}`,
  );
  const given = Buffer.from(signed);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const id: unknown = JSON.parse(Buffer.from(value, "base64").toString("utf8"));
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}
