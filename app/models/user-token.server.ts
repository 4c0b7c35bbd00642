import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { UserTokenPurpose } from "~/domain";
import { db, type Tx } from "../../db/client";
import { users, userTokens } from "../../db/schema";
import { enqueueMail, type MailDraft } from "./outbox.server";
import { done, type Result, refused } from "./result";

// Single-use links sent by mail (confirm an address, reset a password). The raw token goes
// only into the mail; the table keeps its SHA-256, so a copy of the database opens nothing.
// A 256-bit random token needs no slow hash: there is nothing to guess offline.

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

// Written in the caller's transaction, next to the outbox row that carries the link. A newer
// link replaces the older unused ones of the same purpose: only the latest mail works.
export function issueUserToken(
  tx: Tx,
  {
    userId,
    purpose,
    email,
    lifetimeMs,
    now = new Date(),
  }: { userId: number; purpose: UserTokenPurpose; email?: string; lifetimeMs: number; now?: Date },
): string {
  const token = randomBytes(32).toString("base64url");
  tx.delete(userTokens)
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)))
    .run();
  tx.insert(userTokens)
    .values({
      userId,
      purpose,
      tokenHash: hashToken(token),
      email: email ?? null,
      expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
      createdAt: now.toISOString(),
    })
    .run();
  return token;
}

// A link and the mail that carries it, in one transaction: the link exists exactly when its
// mail is queued. `mail` renders the message around the raw token (models do not render).
export function mailUserLink({
  userId,
  purpose,
  email,
  lifetimeMs,
  mail,
}: {
  userId: number;
  purpose: UserTokenPurpose;
  email: string;
  lifetimeMs: number;
  mail: (token: string) => MailDraft;
}): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const user = tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).get();
      if (!user || user.disabledAt) return refused("not-found");
      enqueueMail(tx, mail(issueUserToken(tx, { userId, purpose, email, lifetimeMs })));
      return done();
    },
    { behavior: "immediate" },
  );
}

export type TokenClaim = { userId: number; email: string | null };
export type TokenRefusal = "invalid" | "expired" | "used";

function check(
  tx: Tx,
  token: string,
  purpose: UserTokenPurpose,
  now: Date,
): Result<TokenRefusal, TokenClaim & { id: number }> {
  const row = tx
    .select({
      id: userTokens.id,
      userId: userTokens.userId,
      email: userTokens.email,
      expiresAt: userTokens.expiresAt,
      usedAt: userTokens.usedAt,
    })
    .from(userTokens)
    .where(and(eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.purpose, purpose)))
    .get();
  if (!row) return refused("invalid");
  if (row.usedAt) return refused("used");
  if (row.expiresAt <= now.toISOString()) return refused("expired");
  return done({ id: row.id, userId: row.userId, email: row.email });
}

// What a link would do, without using it: a GET shows the page, only the POST acts
// (mail scanners fetch links before the person does).
export function peekUserToken({
  token,
  purpose,
  now = new Date(),
}: {
  token: string;
  purpose: UserTokenPurpose;
  now?: Date;
}): Result<TokenRefusal, TokenClaim> {
  const found = db().transaction((tx) => check(tx, token, purpose, now));
  return found.ok ? done({ userId: found.userId, email: found.email }) : found;
}

// Uses the link once. `apply` makes its change in the same IMMEDIATE transaction: the link is
// marked used exactly when the change commits, and a refused change leaves it usable.
export function consumeUserToken<R extends string = never>({
  token,
  purpose,
  apply,
  now = new Date(),
}: {
  token: string;
  purpose: UserTokenPurpose;
  apply?: (tx: Tx, claim: TokenClaim) => Result<R>;
  now?: Date;
}): Result<TokenRefusal | R, TokenClaim> {
  return db().transaction(
    (tx): Result<TokenRefusal | R, TokenClaim> => {
      const found = check(tx, token, purpose, now);
      if (!found.ok) return found;
      const claim = { userId: found.userId, email: found.email };
      const applied = apply?.(tx, claim);
      if (applied && !applied.ok) return applied;
      tx.update(userTokens).set({ usedAt: now.toISOString() }).where(eq(userTokens.id, found.id)).run();
      return done(claim);
    },
    { behavior: "immediate" },
  );
}
