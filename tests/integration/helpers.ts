import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { createUser, type Role, type User } from "~/models/user.server";
import { startUserSession } from "~/services/session.server";

let counter = 0;

export async function makeUser(overrides: { role?: Role; organization?: string; team?: string } = {}): Promise<User> {
  counter += 1;
  return createUser({
    email: `user${counter}-${Date.now()}@example.com`,
    displayName: `Test User ${counter}`,
    password: "correct horse battery",
    organization: overrides.team ? undefined : (overrides.organization ?? "Contoso"),
    ...overrides,
  });
}

export function makeAsk(authorId: number, title = "A realistic ask about partner rebates") {
  const categoryId = listCategories()[0].id;
  return createAsk({ title, body: "Partners need **this** to explain rebates.", categoryId }, authorId);
}

// Signs the user in through the real session service and returns the Cookie header a browser would send.
export async function cookieFor(user: User): Promise<string> {
  const response = await startUserSession(new Request("http://localhost/signin"), user.id, "/");
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0];
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

export function args(request: Request, params: Record<string, string> = {}): RouteArgs {
  return { request, params, context: {} } as RouteArgs;
}

// Runs a loader or action and returns the Response it threw or returned (redirects, 404s), or its data.
export async function run<T>(fn: (a: RouteArgs) => Promise<T>, a: RouteArgs): Promise<T | Response> {
  try {
    return await fn(a);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
