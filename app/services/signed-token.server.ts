import { createHmac, timingSafeEqual } from "node:crypto";
import { sessionSecret } from "./secret.server";

// A small signed, expiring value for links that work without signing in (unsubscribe). The
// payload is readable; the signature (HMAC-SHA256 with the session secret, per purpose) is
// what makes it trustworthy.

type Verified<T> = { ok: true; payload: T } | { ok: false; reason: "forged" | "expired" };

function signature(purpose: string, body: string): Buffer {
  return createHmac("sha256", sessionSecret()).update(`${purpose}.${body}`).digest();
}

export function signToken(purpose: string, payload: object, expiresAt: Date): string {
  const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(expiresAt.getTime() / 1000) })).toString(
    "base64url",
  );
  return `${body}.${signature(purpose, body).toString("base64url")}`;
}

export function verifyToken<T>(purpose: string, token: string, now = new Date()): Verified<T> {
  const [body = "", sig = "", ...rest] = token.split(".");
  if (!body || !sig || rest.length) return { ok: false, reason: "forged" };
  const expected = signature(purpose, body);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  let payload: { exp?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "forged" };
  }
  if (typeof payload.exp !== "number" || payload.exp * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, payload: payload as T };
}
