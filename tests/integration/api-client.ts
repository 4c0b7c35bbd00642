import type { TokenScope } from "~/domain";
import { createApiToken } from "~/models/api-token.server";
import type { User } from "~/models/user.server";
import * as unknownRoute from "~/routes/api.v1.$";
import * as asksRoute from "~/routes/api.v1.asks";
import * as askRoute from "~/routes/api.v1.asks_.$number";
import * as commentsRoute from "~/routes/api.v1.asks_.$number_.comments";
import * as statusUpdatesRoute from "~/routes/api.v1.asks_.$number_.status-updates";
import * as voteRoute from "~/routes/api.v1.asks_.$number_.vote";
import * as categoriesRoute from "~/routes/api.v1.categories";
import * as meRoute from "~/routes/api.v1.me";
import * as openapiRoute from "~/routes/api.v1.openapi[.]json";
import * as statusesRoute from "~/routes/api.v1.statuses";
import * as teamsRoute from "~/routes/api.v1.teams";
import { args, ok } from "./helpers";

// Calls /api/v1 as the Express edge would hand a request to Remix: the route module that
// matches the path, with its params, from one loopback client.

type Module = {
  loader: (a: ReturnType<typeof args>) => Promise<Response> | Response;
  action?: (a: ReturnType<typeof args>) => Promise<Response> | Response;
};

const table: [RegExp, Module, string[]][] = [
  [/^\/api\/v1\/asks$/, asksRoute, []],
  [/^\/api\/v1\/asks\/([^/]+)$/, askRoute, ["number"]],
  [/^\/api\/v1\/asks\/([^/]+)\/vote$/, voteRoute, ["number"]],
  [/^\/api\/v1\/asks\/([^/]+)\/comments$/, commentsRoute, ["number"]],
  [/^\/api\/v1\/asks\/([^/]+)\/status-updates$/, statusUpdatesRoute, ["number"]],
  [/^\/api\/v1\/statuses$/, statusesRoute, []],
  [/^\/api\/v1\/categories$/, categoriesRoute, []],
  [/^\/api\/v1\/teams$/, teamsRoute, []],
  [/^\/api\/v1\/me$/, meRoute, []],
  [/^\/api\/v1\/openapi\.json$/, openapiRoute as unknown as Module, []],
];

export type Call = {
  method?: string;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
};

export async function api(path: string, { method = "GET", token, body, rawBody, headers = {} }: Call = {}) {
  const url = new URL(path, "http://localhost");
  const found = table.find(([pattern]) => pattern.test(url.pathname));
  const [pattern, module, names] = found ?? [/^/, unknownRoute as unknown as Module, []];
  const match = pattern.exec(url.pathname) ?? [];
  const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
  const text = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const request = new Request(url, {
    method,
    headers: {
      ...(text !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: text,
  });
  const handler = method === "GET" || method === "HEAD" ? module.loader : module.action;
  // Remix answers 405 itself for a method a route has no function for.
  const response = handler ? await handler(args(request, params)) : new Response(null, { status: 405 });
  const raw = await response.text();
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
    json: json as any,
    raw,
  };
}

export function tokenFor(
  user: User,
  scopes: TokenScope[] = ["read", "write"],
  { expiresInDays = 30 as number | null, now }: { expiresInDays?: number | null; now?: Date } = {},
): string {
  return ok(
    createApiToken({
      name: "test script",
      scopes,
      expiresInDays,
      teamScopeAllowed: user.role !== "member",
      expiryRequired: false,
      userId: user.id,
      now,
    }),
  ).token;
}
