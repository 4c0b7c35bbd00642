import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { settings } from "~/settings.server";
import { signToken, verifyToken } from "./signed-token.server";

// A webhook secret is shown once: on the page the admin lands on right after making or rotating
// it. The cookie that says "show it" holds no secret, only which endpoint and a fingerprint of
// the secret, signed; the page reads the secret itself, and the cookie is cleared once shown.
// After a later rotation the fingerprint no longer matches, so an old cookie reveals nothing.

const purpose = "webhook-secret";
const lifetimeMs = 10 * 60_000;
const revealCookie = createCookie("asklog_webhook_secret", {
  httpOnly: true,
  sameSite: "lax",
  path: "/admin/webhooks",
  maxAge: lifetimeMs / 1000,
});

type Claim = { endpointId: number; fingerprint: string };

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 32);
}

function secure(): { secure?: boolean } {
  return settings().cookieSecure ? { secure: true } : {};
}

// The Set-Cookie header for the redirect after the secret was made.
export async function revealOnce(endpointId: number, secret: string): Promise<string> {
  const claim: Claim = { endpointId, fingerprint: fingerprint(secret) };
  return revealCookie.serialize(signToken(purpose, claim, new Date(Date.now() + lifetimeMs)), secure());
}

// The secret to show on this endpoint's page, if this browser was just given it, and the header
// that makes sure it is not shown again.
export async function takeRevealed(
  request: Request,
  endpointId: number,
  currentSecret: string | undefined,
): Promise<{ secret: string | null; headers: HeadersInit }> {
  const token = await revealCookie.parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || !token || !currentSecret) return { secret: null, headers: {} };
  const verified = verifyToken<Claim>(purpose, token);
  const mine = verified.ok && verified.payload.endpointId === endpointId;
  if (!mine) return { secret: null, headers: {} };
  const cleared = { "Set-Cookie": await revealCookie.serialize("", { ...secure(), maxAge: 0 }) };
  return {
    secret: verified.payload.fingerprint === fingerprint(currentSecret) ? currentSecret : null,
    headers: cleared,
  };
}
