import { isIPv6 } from "node:net";
import type { HeadersFunction } from "@remix-run/node";
import {
  addRateLimitHits,
  checkRateLimits,
  countRateLimits,
  countRateLimitWindow,
  type RateLimitCount,
  type RateLimitHit,
} from "~/models/rate-limit.server";

// Which limits exist, the variable that overrides each, its default and what a refused
// person reads. Windows are fixed and open at the first counted hit (docs/decisions/006-rate-limits.md).
// The settings schema (app/settings.server.ts) lists the variables and defaults from here.
export const policies = {
  // Per account and address: a stranger elsewhere spends their own allowance, not the owner's.
  signInAccount: {
    bucket: "sign-in:account-address",
    variable: "RATE_LIMIT_SIGNIN_ACCOUNT",
    fallback: "5/15m",
    refusal: "Too many sign-in attempts.",
  },
  // Per account across all addresses: stops guessing spread over many addresses, set high
  // enough that it takes a botnet, not a stranger, to lock the owner out.
  signInAccountCeiling: {
    bucket: "sign-in:account",
    variable: "RATE_LIMIT_SIGNIN_ACCOUNT_CEILING",
    fallback: "100/15m",
    refusal: "Too many sign-in attempts.",
  },
  signInAddress: {
    bucket: "sign-in:address",
    variable: "RATE_LIMIT_SIGNIN_ADDRESS",
    fallback: "20/15m",
    refusal: "Too many sign-in attempts.",
  },
  signUp: {
    bucket: "sign-up:address",
    variable: "RATE_LIMIT_SIGNUP",
    fallback: "10/1h",
    refusal: "Too many sign-ups from your network.",
  },
  // Each one mails the address again: a few for a slow mailbox, not a way to flood one.
  confirmEmail: {
    bucket: "confirm-email:user",
    variable: "RATE_LIMIT_CONFIRM_EMAIL",
    fallback: "3/1h",
    refusal: "You have asked for the link several times.",
  },
  // Per address asked for, whether or not it has an account (a refusal must not tell which).
  passwordResetAccount: {
    bucket: "reset-password:account",
    variable: "RATE_LIMIT_PASSWORD_RESET_ACCOUNT",
    fallback: "3/1h",
    refusal: "Too many password resets asked for.",
  },
  passwordResetAddress: {
    bucket: "reset-password:address",
    variable: "RATE_LIMIT_PASSWORD_RESET_ADDRESS",
    fallback: "10/1h",
    refusal: "Too many password resets asked for.",
  },
  ask: {
    bucket: "ask:user",
    variable: "RATE_LIMIT_ASKS",
    fallback: "10/1h",
    refusal: "You have filed many asks in a short time.",
  },
  comment: {
    bucket: "comment:user",
    variable: "RATE_LIMIT_COMMENTS",
    fallback: "30/10m",
    refusal: "You have posted many comments in a short time.",
  },
  vote: {
    bucket: "vote:user",
    variable: "RATE_LIMIT_VOTES",
    fallback: "120/1m",
    refusal: "You have voted many times in a short time.",
  },
  // Every call to /api/v1, per token; calls without one share their address's allowance.
  apiToken: {
    bucket: "api:token",
    variable: "RATE_LIMIT_API",
    fallback: "600/1m",
    refusal: "This token has made many API calls in a short time.",
  },
  apiAnonymous: {
    bucket: "api:address",
    variable: "RATE_LIMIT_API_ANONYMOUS",
    fallback: "120/1m",
    refusal: "Your network has made many API calls without a token in a short time.",
  },
} as const;

export type LimitName = keyof typeof policies;

// null: this limit is off.
export type RateLimitSettings = Record<LimitName, { max: number; windowMs: number } | null>;

const units = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseLimit(variable: string, value: string): { max: number; windowMs: number } | null {
  if (value === "off") return null;
  const match = /^(\d+)\/(\d*)([smhd])$/.exec(value);
  const max = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * units[(match?.[3] ?? "s") as keyof typeof units];
  if (!match || !Number.isSafeInteger(max) || max < 1 || !Number.isSafeInteger(windowMs) || windowMs < 1000) {
    throw new Error(
      `${variable}="${value}" is not a rate limit. Use <count>/<window> with a count of at least 1 and a window in s, m, h or d (like 5/15m or 120/1m), or off.`,
    );
  }
  return { max, windowMs };
}

// A bad value stops the server at start with the variable's name: a typo must not
// quietly leave sign-in open to guessing, nor lock everyone out.
export function readRateLimitSettings(env: Record<string, string | undefined>): RateLimitSettings {
  const all = env.RATE_LIMITS?.trim() ?? "on";
  if (all !== "on" && all !== "off") throw new Error(`RATE_LIMITS="${all}" must be on or off.`);
  const settings = {} as RateLimitSettings;
  for (const [name, policy] of Object.entries(policies) as [LimitName, (typeof policies)[LimitName]][]) {
    settings[name] =
      all === "off" ? null : parseLimit(policy.variable, env[policy.variable]?.trim() || policy.fallback);
  }
  return settings;
}

// Read once when the server build is loaded, so bad values fail the start.
let settings = readRateLimitSettings(process.env);

// Reads the settings again (tests switch limits with it).
export function configureRateLimits(env: Record<string, string | undefined> = process.env): void {
  settings = readRateLimitSettings(env);
}

export type RateLimitCheck = { ok: true } | { ok: false; message: string; init: ResponseInit };

type Wanted = { name: LimitName; key: string };

// The limits that are on, as hits to check or count.
function hitsFor(wanted: Wanted[]): RateLimitHit[] {
  return wanted.flatMap(({ name, key }) => {
    const limit = settings[name];
    return limit ? [{ bucket: policies[name].bucket, key, ...limit }] : [];
  });
}

function answer(name: LimitName, result: RateLimitCount): RateLimitCheck {
  if (result.ok) return { ok: true };
  const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  return {
    ok: false,
    message: `${policies[name].refusal} Try again in ${waitText(retryAfterSeconds)}.`,
    init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  };
}

function count(name: LimitName, key: string): RateLimitCheck {
  const hits = hitsFor([{ name, key }]);
  return hits.length ? answer(name, countRateLimits({ hits })) : { ok: true };
}

// Sign-in counts failures only: the limits are checked before the password is, and a
// failure is counted after argon2 says no. So a person who signs in fine never spends
// anything, and any number of right passwords may be in flight at once (an office after
// lunch, a load test). The price: wrong passwords sent in parallel all pass the check
// before any of them is counted, so a burst can overshoot a limit by the number of
// attempts in flight when it was reached (each one costs its sender an argon2 wait, and
// the next check after them refuses). Counting before the check and giving the count
// back on success closed that gap but held a count per sign-in in flight, so more than
// 20 at once from one address were refused (docs/decisions/006-rate-limits.md).
function signInLimits(email: string, clientAddress: string): Wanted[] {
  const account = email.trim().toLowerCase().slice(0, 254);
  const address = addressKey(clientAddress);
  return [
    ...(account
      ? [
          { name: "signInAccount" as const, key: `${address} ${account}` },
          { name: "signInAccountCeiling" as const, key: account },
        ]
      : []),
    { name: "signInAddress", key: address },
  ];
}

// While any of them is full even the right password is refused.
export function checkSignIn(email: string, clientAddress: string): RateLimitCheck {
  const hits = hitsFor(signInLimits(email, clientAddress));
  return hits.length ? answer("signInAccount", checkRateLimits({ hits })) : { ok: true };
}

export function countFailedSignIn(email: string, clientAddress: string): void {
  addRateLimitHits({ hits: hitsFor(signInLimits(email, clientAddress)) });
}

export function countSignUp(clientAddress: string): RateLimitCheck {
  return count("signUp", addressKey(clientAddress));
}

export function countConfirmationMail(userId: number): RateLimitCheck {
  return count("confirmEmail", String(userId));
}

// Both are counted before anything is looked up, so a refusal looks the same for any address.
export function countPasswordReset(email: string, clientAddress: string): RateLimitCheck {
  const address = count("passwordResetAddress", addressKey(clientAddress));
  if (!address.ok) return address;
  return count("passwordResetAccount", email.trim().toLowerCase().slice(0, 254));
}

export function countUserAction(name: "ask" | "comment" | "vote", userId: number): RateLimitCheck {
  return count(name, String(userId));
}

export type ApiAllowance =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; message: string; headers: Record<string, string> };

// One API call counted against its token (or, without one, its address), with the RateLimit-*
// headers (IETF draft "RateLimit header fields for HTTP") that tell a script how far it is from the limit.
export function countApiCall(caller: { tokenId: number } | { address: string }): ApiAllowance {
  const name: LimitName = "tokenId" in caller ? "apiToken" : "apiAnonymous";
  const [hit] = hitsFor([{ name, key: "tokenId" in caller ? String(caller.tokenId) : addressKey(caller.address) }]);
  if (!hit) return { ok: true, headers: {} };
  const result = countRateLimitWindow({ hit });
  const policy = {
    "RateLimit-Policy": `${hit.max};w=${Math.round(hit.windowMs / 1000)}`,
    "RateLimit-Limit": String(hit.max),
  };
  if (result.ok) {
    return {
      ok: true,
      headers: {
        ...policy,
        "RateLimit-Remaining": String(result.remaining),
        "RateLimit-Reset": String(Math.max(0, Math.ceil(result.resetMs / 1000))),
      },
    };
  }
  const wait = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  return {
    ok: false,
    message: `${policies[name].refusal} Try again in ${waitText(wait)}.`,
    headers: { ...policy, "RateLimit-Remaining": "0", "RateLimit-Reset": String(wait), "Retry-After": String(wait) },
  };
}

// Remix leaves an action's headers off the page unless the route passes them on:
// a route that can answer 429 exports this as `headers`, so Retry-After reaches the browser.
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

function waitText(seconds: number): string {
  if (seconds < 60) return plural(seconds, "second");
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return plural(minutes, "minute");
  return plural(Math.ceil(minutes / 60), "hour");
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

// One person behind IPv6 usually holds a whole /64, so that is the unit counted;
// IPv4 arriving on an IPv6 socket (::ffff:203.0.113.7) counts as the IPv4 address.
export function addressKey(address: string): string {
  const plain = address.trim().toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(plain)) return plain || "unknown";
  const [head, tail = ""] = plain.split("::");
  const left = head ? head.split(":") : [];
  const right = plain.includes("::") && tail ? tail.split(":") : [];
  const groups = plain.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
