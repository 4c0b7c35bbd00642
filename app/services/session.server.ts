import { createCookie, createSessionStorage, redirect } from "@remix-run/node";
import {
  createSessionRecord,
  deleteSessionRecord,
  readSessionRecord,
  type SessionData,
  updateSessionRecord,
} from "~/models/session.server";
import { getActiveUser, type User } from "~/models/user.server";
import { sessionSecret } from "./secret.server";

let storage: ReturnType<typeof createStorage> | undefined;

function createStorage() {
  const cookie = createCookie("asklog_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: process.env.COOKIE_SECURE === "1",
    secrets: [sessionSecret()],
    maxAge: 30 * 24 * 60 * 60,
  });
  // Server-side sessions: the cookie holds only a random id, so a session can be
  // listed and ended on the server at any time.
  return createSessionStorage<SessionData>({
    cookie,
    createData: async (data, expires) => createSessionRecord(data, expires),
    readData: async (id) => readSessionRecord(id),
    updateData: async (id, data, expires) => updateSessionRecord(id, data, expires),
    deleteData: async (id) => deleteSessionRecord(id),
  });
}

function sessions() {
  storage ??= createStorage();
  return storage;
}

export function getSession(request: Request) {
  return sessions().getSession(request.headers.get("Cookie"));
}

export async function getUser(request: Request): Promise<User | undefined> {
  const session = await getSession(request);
  const userId = session.get("userId");
  return userId ? getActiveUser(userId) : undefined;
}

export async function requireUser(request: Request): Promise<User> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  throw redirect(`/signin?redirectTo=${encodeURIComponent(back)}`);
}

// Starts a fresh session for the user: the old session id (if any) is destroyed
// so an id planted before sign-in is worthless afterwards.
export async function startUserSession(request: Request, userId: number, redirectTo: string) {
  const old = await getSession(request);
  if (old.id) await sessions().destroySession(old);
  const fresh = await sessions().getSession();
  fresh.set("userId", userId);
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessions().commitSession(fresh) } });
}

export async function endSession(request: Request) {
  const session = await getSession(request);
  return redirect("/", { headers: { "Set-Cookie": await sessions().destroySession(session) } });
}

// Only same-site paths: an open redirect after sign-in would hand a phisher our origin.
// Control characters are refused too: browsers drop tabs and newlines from a
// Location before resolving it, so "/\t/evil.example" would mean "//evil.example".
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\") ||
    /\p{Cc}/u.test(to)
  ) {
    return fallback;
  }
  return to;
}
