import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { policies as rateLimitPolicies, readRateLimitSettings } from "~/services/rate-limit.server";
import { z } from "~/validation/zod";
import { defaultDatabasePath } from "../db/client";

// Every setting Asklog reads from the environment, in one schema. server/env.ts checks it
// once at start and stops with one line naming what is wrong; code then reads settings()
// instead of process.env. It lives in app/, not server/, because app code reads settings
// too (the session secret, the cookie flag, the request log switch) and app/ never imports
// server/. db/client.ts reads DATABASE_PATH itself, as the bottom layer that tests and tools
// point at a file at run time; this schema checks the same variable with its default.
//
// Each field's description says what is expected: it is the end of the error line.
// README.md's settings table is tested against this schema (tests/unit/settings.test.ts).

const onOff = z.enum(["on", "off"]);
const zeroOne = z.enum(["0", "1"]);

// A rate limit's format and meaning belong to the rate-limit service: its parser decides.
function rateLimit(variable: string) {
  return z.string().superRefine((value, ctx) => {
    try {
      readRateLimitSettings({ [variable]: value });
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: error instanceof Error ? error.message : String(error),
        params: { whole: true },
      });
    }
  });
}

const rateLimitFields = Object.fromEntries(
  Object.values(rateLimitPolicies).map(({ variable, fallback }) => [
    variable,
    rateLimit(variable).default(fallback).describe("a rate limit like 5/15m, or off"),
  ]),
);

// Express's `trust proxy`: a number of hops, true/false, or addresses and subnets
// (loopback, linklocal, uniquelocal, 10.0.0.0/8, …) separated by commas.
const proxyNames = new Set(["loopback", "linklocal", "uniquelocal"]);
function isProxyAddress(item: string): boolean {
  const [address = "", prefix] = item.split("/");
  if (proxyNames.has(address) && prefix === undefined) return true;
  const version = isIP(address);
  if (!version) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
const trustProxy = z
  .string()
  .refine(
    (value) =>
      /^\d+$/.test(value) ||
      value === "true" ||
      value === "false" ||
      value.split(",").every((item) => isProxyAddress(item.trim())),
  )
  .transform((value): number | boolean | string => {
    if (/^\d+$/.test(value)) return Number(value);
    if (value === "true" || value === "false") return value === "true";
    return value;
  });

export const settingsSchema = z
  .object({
    NODE_ENV: z
      .enum(["production", "development", "test"])
      .default("production")
      .describe("production, development or test"),
    PORT: z.coerce.number().int().min(0).max(65535).prefault("3000").describe("a port number from 0 to 65535"),
    HOST: z.string().trim().min(1).default("0.0.0.0").describe("an address to listen on, like 0.0.0.0 or 127.0.0.1"),
    DATABASE_PATH: z.string().min(1).default(defaultDatabasePath).describe("the path of the SQLite file"),
    SEED_DEMO: zeroOne.default("1").describe("0 or 1"),
    ADMIN_EMAIL: z.email().optional().describe("an email address"),
    ADMIN_PASSWORD: z.string().min(1).optional().describe("a password"),
    SESSION_SECRET: z.string().min(1).optional().describe("a secret string"),
    COOKIE_SECURE: zeroOne.optional().describe("0 or 1"),
    APP_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => new URL(url).origin)
      .optional()
      .describe("the public address, like https://asks.example.com"),
    TRUST_PROXY: trustProxy.optional().describe("a number of proxies, true, or addresses like loopback or 10.0.0.0/8"),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .prefault("1048576")
      .describe("a whole number of bytes, like 1048576 (no units)"),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .prefault(String(512 * 1024 * 1024))
      .describe("a whole number of bytes, like 536870912 (no units)"),
    REQUEST_LOG: onOff.default("on").describe("on or off"),
    RATE_LIMITS: onOff.default("on").describe("on or off"),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/ })
      .optional()
      .describe("an SMTP address like smtp://user:pass@mail.example.com:587"),
    MAIL_FROM: z
      .string()
      .trim()
      .min(3)
      .default("Asklog <asklog@localhost>")
      .describe('a sender like "Asklog <asks@example.com>"'),
    MAIL_UNSUBSCRIBE_MAILTO: z.email().optional().describe("an email address that unsubscribes its sender"),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).prefault("10").describe("a whole number from 1 to 100"),
    OUTBOX_WORKER: z
      .enum(["inline", "off"])
      .default("inline")
      .describe("inline (the web process sends mail) or off (npm run worker does)"),
    WEBHOOK_ALLOW_PRIVATE: zeroOne
      .default("0")
      .describe("0 or 1 (1 lets webhooks reach loopback and private addresses, for a local receiver)"),
    WEBHOOK_VOTE_BATCH_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .prefault("60")
      .describe("a whole number of seconds from 1 to 3600"),
    API_CORS_ORIGINS: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((url) => new URL(url).origin === url)))
      .optional()
      .describe("origins separated by commas, like https://tools.example.com,https://intranet.example.com"),
    WEB_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe("a whole number of web processes from 1 to 64"),
    PAGE_CACHE_MB: z.coerce
      .number()
      .int()
      .min(0)
      .max(4096)
      .prefault("32")
      .describe("a whole number of megabytes from 0 (off) to 4096"),
    CACHE_S_MAXAGE: z.coerce
      .number()
      .int()
      .min(0)
      .max(86400)
      .prefault("60")
      .describe("a whole number of seconds from 0 to 86400"),
    CACHE_STALE_WHILE_REVALIDATE: z.coerce
      .number()
      .int()
      .min(0)
      .max(86400)
      .prefault("300")
      .describe("a whole number of seconds from 0 to 86400"),
    ...rateLimitFields,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD are set together or not at all",
        params: { whole: true },
      });
    }
  });

export type SettingName = keyof typeof settingsSchema.shape;

export type Settings = {
  nodeEnv: "production" | "development" | "test";
  port: number;
  host: string;
  seedDemo: boolean;
  admin: { email: string; password: string } | undefined;
  sessionSecret: string | undefined;
  cookieSecure: boolean;
  appOrigin: string | undefined;
  trustProxy: number | boolean | string | undefined;
  maxBodyBytes: number;
  importMaxBytes: number;
  requestLog: boolean;
  // Pages on these origins may call /api/v1 from a browser (CORS); none when unset.
  apiCorsOrigins: string[];
  mail: {
    smtpUrl: string | undefined;
    from: string;
    unsubscribeMailto: string | undefined;
    maxAttempts: number;
    inlineWorker: boolean;
  };
  // Web processes serving one port (node:cluster); 1 serves from the starting process itself.
  webConcurrency: number;
  // Pages kept in memory per web process, in bytes; 0 turns the page cache off.
  pageCacheBytes: number;
  // How long a shared cache (a CDN) may keep a signed-out page, and serve it stale while it asks again.
  sharedCache: { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };
  webhooks: {
    // Lets deliveries reach loopback and private networks: for a receiver on the same machine or LAN.
    allowPrivate: boolean;
    // How long vote changes gather before one vote.changed delivery tells about all of them.
    voteBatchMs: number;
  };
};

export class SettingsError extends Error {}

// Named in an error line, never shown.
const secretSettings = new Set(["SESSION_SECRET", "ADMIN_PASSWORD", "SMTP_URL"]);

// An empty variable (PORT=) counts as unset, as most tools treat it.
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value?.trim()) set[name] = value;
  return set;
}

export function readSettings(env: Record<string, string | undefined>): Settings {
  const given = withoutEmpty(env);
  const parsed = settingsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "");
    if (issue?.code === "custom" && issue.params?.whole) throw new SettingsError(issue.message);
    const expected = settingsSchema.shape[variable as SettingName]?.description ?? issue?.message;
    const value = secretSettings.has(variable) ? "(hidden)" : `"${given[variable] ?? ""}"`;
    throw new SettingsError(`${variable}=${value} is not valid: expected ${expected}.`);
  }
  const s = parsed.data;
  return {
    nodeEnv: s.NODE_ENV,
    port: s.PORT,
    host: s.HOST,
    seedDemo: s.SEED_DEMO === "1",
    admin: s.ADMIN_EMAIL && s.ADMIN_PASSWORD ? { email: s.ADMIN_EMAIL, password: s.ADMIN_PASSWORD } : undefined,
    sessionSecret: s.SESSION_SECRET,
    cookieSecure: s.COOKIE_SECURE === "1",
    appOrigin: s.APP_URL,
    trustProxy: s.TRUST_PROXY,
    maxBodyBytes: s.MAX_BODY_BYTES,
    importMaxBytes: s.IMPORT_MAX_BYTES,
    requestLog: s.REQUEST_LOG === "on",
    apiCorsOrigins: s.API_CORS_ORIGINS ?? [],
    mail: {
      smtpUrl: s.SMTP_URL,
      from: s.MAIL_FROM,
      unsubscribeMailto: s.MAIL_UNSUBSCRIBE_MAILTO,
      maxAttempts: s.MAIL_MAX_ATTEMPTS,
      inlineWorker: s.OUTBOX_WORKER === "inline",
    },
    webConcurrency: s.WEB_CONCURRENCY ?? availableParallelism(),
    pageCacheBytes: s.PAGE_CACHE_MB * 1024 * 1024,
    sharedCache: { maxAgeSeconds: s.CACHE_S_MAXAGE, staleWhileRevalidateSeconds: s.CACHE_STALE_WHILE_REVALIDATE },
    webhooks: {
      allowPrivate: s.WEBHOOK_ALLOW_PRIVATE === "1",
      voteBatchMs: s.WEBHOOK_VOTE_BATCH_SECONDS * 1000,
    },
  };
}

let current: Settings | undefined;

// Read once per process (and once more by the Remix build, which has its own copy of
// this module): the environment does not change while a server runs.
// Where links in mail, webhooks and API answers point: APP_URL when set, else the origin
// the request came to (API answers), else this machine's.
export function publicOrigin(requestOrigin?: string): string {
  const s = settings();
  return s.appOrigin ?? requestOrigin ?? `http://localhost:${s.port}`;
}

export function settings(): Settings {
  current ??= readSettings(process.env);
  return current;
}
