import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, lt, ne, sql } from "drizzle-orm";
import { db, preparedQuery } from "../../db/client";
import { sessions } from "../../db/schema";
import { type Done, done, type Result, refused } from "./result";

export type SessionData = { userId?: number; userAgent?: string };

const defaultLifetimeMs = 30 * 24 * 60 * 60 * 1000;

function expiry(expires?: Date): string {
  return (expires ?? new Date(Date.now() + defaultLifetimeMs)).toISOString();
}

export function createSessionRecord(data: SessionData, expires?: Date): string {
  // 256 bits from the OS generator: the id is the only secret the cookie carries.
  const id = randomBytes(32).toString("base64url");
  db()
    .insert(sessions)
    .values({
      id,
      userId: data.userId ?? null,
      userAgent: data.userAgent ?? null,
      data: JSON.stringify(data),
      expiresAt: expiry(expires),
    })
    .run();
  return id;
}

const sessionQuery = preparedQuery((database) =>
  database
    .select({ data: sessions.data })
    .from(sessions)
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))))
    .prepare(),
);

// Runs on every request that carries a cookie.
export function readSessionRecord(id: string): SessionData | null {
  const row = sessionQuery().get({ id, now: new Date().toISOString() });
  return row ? (JSON.parse(row.data) as SessionData) : null;
}

// Only updates: a session revoked in the meantime must stay gone.
export function updateSessionRecord(id: string, data: SessionData, expires?: Date): void {
  db()
    .update(sessions)
    .set({ userId: data.userId ?? null, data: JSON.stringify(data), expiresAt: expiry(expires) })
    .where(eq(sessions.id, id))
    .run();
}

export function deleteSessionRecord(id: string): void {
  db().delete(sessions).where(eq(sessions.id, id)).run();
}

export function deleteExpiredSessions(): number {
  return db().delete(sessions).where(lt(sessions.expiresAt, new Date().toISOString())).run().changes;
}

export type UserSession = { handle: string; userAgent: string | null; createdAt: string; expiresAt: string };

// Pages name a session by a hash of its id: the id itself is a credential and must
// never be written into HTML, not even the owner's.
export function sessionHandle(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 22);
}

export function listUserSessions(userId: number): UserSession[] {
  return db()
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date().toISOString())))
    .orderBy(desc(sessions.createdAt))
    .all()
    .map(({ id, ...rest }) => ({ handle: sessionHandle(id), ...rest }));
}

export type SessionEnding = Result<"not-found">;

// Ends one of the user's own sessions; a handle of someone else's session matches nothing.
export function endUserSession({ handle, userId }: { handle: string; userId: number }): SessionEnding {
  const rows = db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all();
  const match = rows.find((row) => sessionHandle(row.id) === handle);
  if (!match) return refused("not-found");
  deleteSessionRecord(match.id);
  return done();
}

// "Sign out everywhere else": every session of the user but the one making the request.
export function endOtherUserSessions({ keepId, userId }: { keepId: string; userId: number }): Done<{ ended: number }> {
  const ended = db()
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepId)))
    .run().changes;
  return done({ ended });
}
