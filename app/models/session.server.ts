import { randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { db } from "../../db/client";
import { sessions } from "../../db/schema";

export type SessionData = { userId?: number };

const defaultLifetimeMs = 30 * 24 * 60 * 60 * 1000;

function expiry(expires?: Date): string {
  return (expires ?? new Date(Date.now() + defaultLifetimeMs)).toISOString();
}

export function createSessionRecord(data: SessionData, expires?: Date): string {
  // 256 bits from the OS generator: the id is the only secret the cookie carries.
  const id = randomBytes(32).toString("base64url");
  db()
    .insert(sessions)
    .values({ id, userId: data.userId ?? null, data: JSON.stringify(data), expiresAt: expiry(expires) })
    .run();
  return id;
}

export function readSessionRecord(id: string): SessionData | null {
  const [row] = db()
    .select({ data: sessions.data })
    .from(sessions)
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date().toISOString())))
    .all();
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
