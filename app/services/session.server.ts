import { createCookie, createSessionStorage, redirect } from "@remix-run/node";
import {
  createSessionRecord,
  deleteSessionRecord,
  readSessionRecord,
  type SessionData,
  updateSessionRecord,
} from "~/models/session.server";
import { getActiveUser, type User } from "~/models/user.server";
import { settings } from "~/settings.server";
import { redirectWithNotice } from "./notice.server";
import { currentRequest } from "./request-context.server";
import { sessionSecret } from "./secret.server";

type Storage = ReturnType<typeof createStorage>;
const storages = new Map<boolean, Storage>();

// Over https the cookie is Secure and named __Host-: the browser then refuses it from
// plain http and from any other host or path, so a sibling subdomain cannot plant one.
// Plain http (a laptop, the test server) keeps the plain name a browser accepts there.
function createStorage(secure: boolean) {
  const cookie = createCookie(secure ? "__Host-asklog_session" : "asklog_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
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

function sessions(request: Request): Storage {
  return storageFor(new URL(request.url).protocol);
}

function storageFor(protocol: string): Storage {
  const secure = settings().cookieSecure || protocol === "https:";
  let storage = storages.get(secure);
  if (!storage) {
    storage = createStorage(secure);
    storages.set(secure, storage);
  }
  return storage;
}

// The session a Cookie header signs in, read before Remix runs: the page cache keeps a
// signed-in reader's pages under their session. Undefined for nobody: no cookie, a forged
// or expired one, or a session that was ended.
export async function signedInSessionId(cookieHeader: string | undefined, protocol: string) {
  if (!cookieHeader) return undefined;
  const session = await storageFor(protocol).getSession(cookieHeader);
  return session.get("userId") ? session.id : undefined;
}

export function getSession(request: Request) {
  return sessions(request).getSession(request.headers.get("Cookie"));
}

export async function getUser(request: Request): Promise<User | undefined> {
  return (await getUserAndSession(request)).user;
}

type UserAndSession = { user: User | undefined; session: Awaited<ReturnType<typeof getSession>> };

// Read once per request: an action's permission check, its handler and the page it
// renders all ask who is there, and each read would otherwise query the session row.
const byRequest = new WeakMap<Request, Promise<UserAndSession>>();

function getUserAndSession(request: Request): Promise<UserAndSession> {
  let found = byRequest.get(request);
  if (!found) {
    found = readUserAndSession(request);
    byRequest.set(request, found);
  }
  return found;
}

async function readUserAndSession(request: Request): Promise<UserAndSession> {
  const session = await getSession(request);
  const userId = session.get("userId");
  const user = userId ? getActiveUser(userId) : undefined;
  // The request log line names who made the request.
  const record = currentRequest();
  if (record && user) record.userId = user.id;
  return { user, session };
}

// Sign-in and sign-up are for signed-out people; anyone else goes home.
export async function requireSignedOut(request: Request): Promise<null> {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function requireUser(request: Request): Promise<User> {
  return (await requireUserAndSession(request)).user;
}

// The signed-in user and the session they are using (the account page lists and ends sessions).
export async function requireUserAndSession(request: Request) {
  const { user, session } = await getUserAndSession(request);
  if (user) return { user, session };
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  throw redirect(`/signin?redirectTo=${encodeURIComponent(back)}`);
}

// Starts a fresh session for the user: the old session id (if any) is destroyed
// so an id planted before sign-in is worthless afterwards.
export async function startUserSession(request: Request, userId: number, redirectTo: string) {
  const storage = sessions(request);
  const old = await getSession(request);
  if (old.id) await storage.destroySession(old);
  const fresh = await storage.getSession();
  fresh.set("userId", userId);
  // Kept so the account page can tell the user's devices apart.
  fresh.set("userAgent", request.headers.get("User-Agent")?.slice(0, 300) ?? undefined);
  return redirect(redirectTo, { headers: { "Set-Cookie": await storage.commitSession(fresh) } });
}

// Signs out the device making the request; with a notice, the home page says so.
export async function endSession(request: Request, notice?: string) {
  const session = await getSession(request);
  const headers = { "Set-Cookie": await sessions(request).destroySession(session) };
  return notice ? redirectWithNotice("/", notice, { headers }) : redirect("/", { headers });
}
