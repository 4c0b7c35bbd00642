import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, TypedResponse } from "@remix-run/node";
import type { Role } from "~/domain";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { createUser, type User } from "~/models/user.server";
import * as root from "~/root";
import { startUserSession } from "~/services/session.server";
import { db } from "../../db/client";

let counter = 0;

// A user whose address is confirmed (mail reaches them) unless `confirmed: false`.
export async function makeUser({
  confirmed = true,
  ...overrides
}: {
  role?: Role;
  organization?: string;
  team?: string;
  confirmed?: boolean;
} = {}): Promise<User> {
  counter += 1;
  const created = await createUser({
    email: `user${counter}-${Date.now()}@example.com`,
    displayName: `Test User ${counter}`,
    password: "correct horse battery",
    organization: overrides.team ? undefined : (overrides.organization ?? "Contoso"),
    ...overrides,
  });
  if (!created.ok) throw new Error(`makeUser: ${created.reason}`);
  if (confirmed) confirmAddress(created.user.id);
  return created.user;
}

function confirmAddress(userId: number): void {
  db().$client.prepare("UPDATE users SET email_verified_at = created_at WHERE id = ?").run(userId);
}

// A user with that role (on that team), signed in: the user and the Cookie header their browser sends.
export async function signedIn(role: Role = "member", team?: string): Promise<{ user: User; cookie: string }> {
  const user = await makeUser({ role, ...(team ? { team } : {}) });
  return { user, cookie: await cookieFor(user) };
}

export function makeAsk(authorId: number, title = "A realistic ask about partner rebates") {
  const [category] = listCategories();
  if (!category) throw new Error("makeAsk: no category to file under");
  return ok(
    createAsk({ title, body: "Partners need **this** to explain rebates.", categoryId: category.id, authorId }),
  );
}

// What a model write the fixture expects to succeed gave back; a refusal fails the test.
export function ok<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error(`Expected the write to succeed, got ${JSON.stringify(result)}`);
  // Narrowed by the check above; TypeScript does not narrow a generic by its `ok` field.
  return result as Extract<R, { ok: true }>;
}

// Signs the user in through the real session service and returns the Cookie header a browser would send.
export async function cookieFor(user: User): Promise<string> {
  const response = await startUserSession(new Request("http://localhost/signin"), user.id, "/");
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0] ?? "";
}

export function formRequest(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

type RouteArgs = ActionFunctionArgs & LoaderFunctionArgs;

// The load context server/app.ts gives every request; tests pose as one loopback client unless told otherwise.
export function args(
  request: Request,
  params: Record<string, string> = {},
  context: Partial<AppLoadContext> = {},
): RouteArgs {
  return {
    request,
    params,
    context: { requestId: "test-request", nonce: "test-nonce", clientAddress: "127.0.0.1", ...context },
  } as RouteArgs;
}

// What `data(value, { status })` from @remix-run/node returns (single fetch): not a Response.
export type DataReply<T = unknown> = { type: "DataWithResponseInit"; data: T; init: ResponseInit | null };

export function isDataReply(value: unknown): value is DataReply {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

// Runs a loader or action and returns what it threw or returned: a Response (redirects),
// a data() reply (400s, 404s) or plain loader data.
export async function run<T>(fn: (a: RouteArgs) => Promise<T>, a: RouteArgs): Promise<T | Response | DataReply> {
  try {
    return await fn(a);
  } catch (thrown) {
    if (thrown instanceof Response || isDataReply(thrown)) return thrown;
    throw thrown;
  }
}

// The HTTP status a browser would see for a loader or action result.
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (isDataReply(result)) return result.init?.status ?? 200;
  return 200;
}

// The body of a data() reply or plain loader data.
export function replyData<T>(result: unknown): T {
  if (result instanceof Response) throw new Error(`Expected data, got a ${result.status} Response`);
  return (isDataReply(result) ? result.data : result) as T;
}

export function locationOf(result: unknown): string | null {
  if (!(result instanceof Response)) throw new Error(`Expected a redirect Response, got ${JSON.stringify(result)}`);
  return result.headers.get("Location");
}

type RouteModule<L, A> = { loader?: (a: RouteArgs) => Promise<L>; action?: (a: RouteArgs) => Promise<A> };

// One way for a test to call a route: `route(askPage, "/asks/1-x", { ask: "1-x" })` gives
// `load(cookie?)` and `post(fields, cookie?)`, each answering what the route returned or
// threw (a redirect Response, a data() reply, or loader data), as a browser would get it.
export function route<L, A>(module: RouteModule<L, A>, path: string, params: Record<string, string> = {}) {
  return {
    load: (cookie?: string, context?: Partial<AppLoadContext>) => {
      if (!module.loader) throw new Error(`${path} has no loader`);
      return run(module.loader, args(getRequest(path, cookie), params, context));
    },
    post: (fields: Record<string, string>, cookie?: string, context?: Partial<AppLoadContext>) => {
      if (!module.action) throw new Error(`${path} has no action`);
      return run(module.action, args(formRequest(path, fields, cookie), params, context));
    },
  };
}

// The confirmation a redirect left for the next page ("Team renamed."), as the root loader
// reads it from the notice cookie; null when the redirect left none.
export async function noticeAfter(result: unknown): Promise<string | null> {
  if (!(result instanceof Response)) return null;
  const cookie = result.headers
    .getSetCookie()
    .find((c) => c.startsWith("asklog_notice="))
    ?.split(";")[0];
  if (!cookie) return null;
  return replyData<{ notice: string | null }>(await route(root, "/").load(cookie)).notice;
}

// Loader data, failing the test when the loader redirected or refused instead.
export async function loaded<L>(result: Promise<L | Response | DataReply>): Promise<L> {
  const value = await result;
  if (value instanceof Response || isDataReply(value)) throw new Error(`Expected page data, got ${statusOf(value)}`);
  return value;
}

// The JSON body a resource route answered with (see app/services/json-response.server.ts).
export async function jsonBody<T>(result: Promise<TypedResponse<T> | Response | DataReply>): Promise<T> {
  const response = await result;
  if (!(response instanceof Response) || response.status !== 200)
    throw new Error(`Expected JSON, got ${statusOf(response)}`);
  return (await response.json()) as T;
}

// Users that only need to exist (voters, commenters), without paying for an argon2 hash each.
export function insertUsers(count: number, prefix: string): number[] {
  const insert = db().$client.prepare(
    `INSERT INTO users (email, display_name, password_hash, email_verified_at)
     VALUES (?, ?, 'not-a-hash', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id`,
  );
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = insert.get(`${prefix}-${i}-${Date.now()}@example.com`, `${prefix} ${i}`) as { id: number };
    ids.push(row.id);
  }
  return ids;
}

export function setAskStatus(askId: number, statusSlug: string): void {
  db()
    .$client.prepare("UPDATE asks SET status_id = (SELECT id FROM statuses WHERE slug = ?) WHERE id = ?")
    .run(statusSlug, askId);
}

let organizationCounter = 0;
// An organization name no other test uses, so a list or page filtered by it holds only the
// calling test's asks.
export function freshOrganization(label: string): string {
  organizationCounter += 1;
  return `${label} ${organizationCounter} ${Date.now()}`;
}

export function organizationRow(name: string): { id: number; slug: string } {
  return db().$client.prepare("SELECT id, slug FROM organizations WHERE name = ?").get(name) as {
    id: number;
    slug: string;
  };
}
