import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { TokenScope } from "~/domain";
import { db } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { done, type Result, refused } from "./result";
import { getActiveUser, type User } from "./user.server";

// Personal API tokens: "asklog_pat_" and 32 random bytes. Only a SHA-256 of the token is
// stored (a token is long and random, so a slow hash would add nothing but latency to
// every API call); its first characters stay readable so its owner can tell tokens apart.
export const tokenPrefix = "asklog_pat_";
const shownPrefixLength = tokenPrefix.length + 4;

// lastUsedAt is written at most this often, so a busy script does not make every read a write.
const lastUseEvery = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type TokenView = {
  id: number;
  name: string;
  displayPrefix: string;
  scopes: TokenScope[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedAddress: string | null;
  revokedAt: string | null;
  createdAt: string;
};

const viewColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  displayPrefix: apiTokens.displayPrefix,
  scopes: apiTokens.scopes,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  lastUsedAddress: apiTokens.lastUsedAddress,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};

export type TokenCreation = Result<"team-scope" | "expiry-required" | "not-found", { id: number; token: string }>;

// `teamScopeAllowed` and `expiryRequired` come from the caller: who may use the team scope is
// the permission table's business, whether tokens must expire is a site setting.
export function createApiToken({
  name,
  scopes,
  expiresInDays,
  teamScopeAllowed,
  expiryRequired,
  userId,
  now = new Date(),
}: {
  name: string;
  scopes: TokenScope[];
  expiresInDays: number | null;
  teamScopeAllowed: boolean;
  expiryRequired: boolean;
  userId: number;
  now?: Date;
}): TokenCreation {
  if (scopes.includes("team") && !teamScopeAllowed) return refused("team-scope");
  if (expiresInDays === null && expiryRequired) return refused("expiry-required");
  const token = `${tokenPrefix}${randomBytes(32).toString("base64url")}`;
  const expiresAt = expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000).toISOString();
  return db().transaction(
    (tx): TokenCreation => {
      if (!tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get()) return refused("not-found");
      const row = tx
        .insert(apiTokens)
        .values({
          userId,
          name,
          scopes: [...new Set(scopes)],
          expiresAt,
          tokenHash: hashToken(token),
          displayPrefix: token.slice(0, shownPrefixLength),
        })
        .returning({ id: apiTokens.id })
        .get();
      recordAudit(tx, {
        actorId: userId,
        action: "token.create",
        subjectType: "token",
        subjectId: row.id,
        after: { name, scopes, expiresAt },
      });
      return done({ id: row.id, token });
    },
    { behavior: "immediate" },
  );
}

export function listOwnTokens(userId: number): TokenView[] {
  return db().select(viewColumns).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.id)).all();
}

export type AdminTokenView = TokenView & { userId: number; owner: string; ownerEmail: string };

export function listAllTokens(): AdminTokenView[] {
  return db()
    .select({ ...viewColumns, userId: apiTokens.userId, owner: users.displayName, ownerEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .orderBy(desc(apiTokens.id))
    .all();
}

// `ownerId` limits the revocation to that user's tokens (the account page); an admin passes none.
export function revokeApiToken({
  tokenId,
  ownerId,
  actorId,
}: {
  tokenId: number;
  ownerId?: number;
  actorId: number;
}): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const token = tx
        .select({ userId: apiTokens.userId, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
        .from(apiTokens)
        .where(eq(apiTokens.id, tokenId))
        .get();
      if (!token || (ownerId !== undefined && token.userId !== ownerId)) return refused("not-found");
      if (token.revokedAt) return done();
      const revokedAt = new Date().toISOString();
      tx.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.id, tokenId)).run();
      recordAudit(tx, {
        actorId,
        action: "token.revoke",
        subjectType: "token",
        subjectId: tokenId,
        before: { name: token.name, userId: token.userId, revokedAt: null },
        after: { revokedAt },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type TokenRefusal = "unknown" | "expired" | "revoked" | "disabled";
export type TokenHolder = Result<TokenRefusal, { tokenId: number; user: User; scopes: TokenScope[] }>;

// Who an `Authorization: Bearer …` header speaks for. A disabled user's tokens are refused
// here even when nobody revoked them.
export function authenticateToken(token: string, address: string, now = new Date()): TokenHolder {
  if (!token.startsWith(tokenPrefix)) return refused("unknown");
  const row = db()
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      lastUsedAddress: apiTokens.lastUsedAddress,
    })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)))
    .get();
  if (!row) return refused("unknown");
  if (row.revokedAt) return refused("revoked");
  if (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime()) return refused("expired");
  const user = getActiveUser(row.userId);
  if (!user) return refused("disabled");
  const stale = !row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= lastUseEvery;
  if (stale) {
    db()
      .update(apiTokens)
      .set({ lastUsedAt: now.toISOString(), lastUsedAddress: address })
      .where(and(eq(apiTokens.id, row.id), isNull(apiTokens.revokedAt)))
      .run();
  }
  return done({ tokenId: row.id, user, scopes: row.scopes });
}
