import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { and, asc, desc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Delivery, NotificationKind, Role } from "~/domain";
import { pageSize } from "~/validation/fields";
import { canonicalLocale, canonicalTimeZone } from "~/validation/reading-preferences";
import { db, preparedQuery, type Tx } from "../../db/client";
import { apiTokens, notificationPreferences, organizations, sessions, teams, users, userTokens } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { claimPlaceholders } from "./claim.server";
import { joinOrganizationOfEmail, organizationFor, organizationForEmail } from "./organization.server";
import { done, type Result, refused } from "./result";
import { consumeUserToken, peekUserToken, type TokenRefusal } from "./user-token.server";
import { recountOrganizations } from "./vote.server";

export type User = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  organization: string | null;
  team: string | null;
  teamId: number | null;
  blocked: boolean;
  // Reading preferences; null follows the browser (Accept-Language, the device's zone).
  locale: string | null;
  timeZone: string | null;
  // Mail reaches only a confirmed address.
  emailConfirmed: boolean;
};

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  organization: organizations.name,
  team: teams.name,
  teamId: users.teamId,
  blocked: sql<boolean>`${users.blockedAt} IS NOT NULL`.mapWith(Boolean),
  locale: users.locale,
  timeZone: users.timeZone,
  emailConfirmed: sql<boolean>`${users.emailVerifiedAt} IS NOT NULL`.mapWith(Boolean),
};

const activeUserQuery = preparedQuery((database) =>
  database
    .select(userColumns)
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(and(eq(users.id, sql.placeholder("id")), isNull(users.disabledAt)))
    .prepare(),
);

// Disabled users are treated as absent everywhere a session is resolved (every request).
export function getActiveUser(id: number): User | undefined {
  return activeUserQuery().get({ id });
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export type UserCreation = Result<"email-taken", { user: User }>;

export async function createUser(input: {
  email: string;
  displayName: string;
  password: string;
  organization?: string;
  team?: string;
  role?: Role;
  // Only for accounts whose address nobody typed into the sign-up form (the admin, demo data).
  emailVerified?: boolean;
}): Promise<UserCreation> {
  const passwordHash = await hashPassword(input.password);
  const id = db().transaction(
    (tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) return undefined;
      // An address at a claimed domain decides the organization; the typed name is for the rest.
      const organizationId =
        organizationForEmail(tx, input.email) ?? (input.organization ? organizationFor(tx, input.organization) : null);
      const teamId = input.team ? findOrCreate(tx, teams, input.team) : null;
      const created = insertedId(
        tx
          .insert(users)
          .values({
            email: input.email,
            displayName: input.displayName,
            passwordHash,
            organizationId,
            teamId,
            role: input.role ?? "member",
            emailVerifiedAt: input.emailVerified ? new Date().toISOString() : null,
          })
          .returning({ id: users.id })
          .get(),
      );
      // An address confirmed at creation claims imported history as a followed link would.
      if (input.emailVerified) claimPlaceholders(tx, { userId: created, email: input.email });
      return created;
    },
    { behavior: "immediate" },
  );
  if (id === undefined) return refused("email-taken");
  const user = getActiveUser(id);
  if (!user) throw new Error(`User ${id} was created but cannot be read back`);
  return done({ user });
}

// INSERT … RETURNING always returns the row it inserted; a missing one is a fault.
function insertedId(row: { id: number } | undefined): number {
  if (!row) throw new Error("INSERT … RETURNING returned no row");
  return row.id;
}

function findOrCreate(tx: Tx, table: typeof teams, name: string): number {
  const existing = tx.select({ id: table.id }).from(table).where(eq(table.name, name)).get();
  if (existing) return existing.id;
  return insertedId(tx.insert(table).values({ name }).returning({ id: table.id }).get());
}

// Returns the user when the password matches; argon2 verifies in constant time.
export async function verifyLogin(email: string, password: string): Promise<User | undefined> {
  const row = db()
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      disabledAt: users.disabledAt,
      placeholder: users.placeholder,
    })
    .from(users)
    .where(eq(users.email, email))
    .get();
  // An unknown or disabled account costs the same hash check as a known one, so the
  // response time does not tell which email addresses have accounts. An imported placeholder
  // has no password at all (an empty hash, which argon2 would reject as malformed): it gets
  // the stand-in too, and the same answer as a wrong password.
  const usable = row && !row.placeholder && row.passwordHash ? row.passwordHash : undefined;
  const matches = await argon2.verify(usable ?? (await standInHash()), password);
  if (!row || !usable || row.disabledAt || !matches) return undefined;
  return getActiveUser(row.id);
}

let standInHashPromise: Promise<string> | undefined;
function standInHash(): Promise<string> {
  standInHashPromise ??= hashPassword(randomBytes(16).toString("hex"));
  return standInHashPromise;
}

// Makes sure the account named by ADMIN_EMAIL exists with the admin role and
// the given password, so a fresh deployment always has a way in.
export async function ensureAdmin({ email, password }: { email: string; password: string }): Promise<void> {
  const normalized = email.trim().toLowerCase();
  const existing = db().select({ id: users.id }).from(users).where(eq(users.email, normalized)).get();
  if (!existing) {
    const created = await createUser({
      email: normalized,
      displayName: "Administrator",
      password,
      role: "admin",
      emailVerified: true,
    });
    // Another process starting at the same moment may have created it first; then it is updated like any other.
    if (created.ok) return;
  }
  const passwordHash = await hashPassword(password);
  db().transaction(
    (tx) => {
      const admin = tx
        .update(users)
        .set({
          role: "admin",
          passwordHash,
          disabledAt: null,
          emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${new Date().toISOString()})`,
        })
        .where(eq(users.email, normalized))
        .returning({ id: users.id })
        .get();
      if (admin) claimPlaceholders(tx, { userId: admin.id, email: normalized });
    },
    { behavior: "immediate" },
  );
}

export type AdminUser = {
  id: number;
  // Null for an imported placeholder: its address is made up, and means nothing to anyone.
  email: string | null;
  displayName: string;
  role: Role;
  teamId: number | null;
  team: string | null;
  organization: string | null;
  disabledAt: string | null;
  blockedAt: string | null;
  createdAt: string;
};

export type UserFilter = { q?: string; role?: Role; page: number };

const adminUserColumns = {
  id: users.id,
  email: sql<string | null>`CASE WHEN ${users.placeholder} THEN NULL ELSE ${users.email} END`,
  displayName: users.displayName,
  role: users.role,
  teamId: users.teamId,
  team: teams.name,
  organization: organizations.name,
  disabledAt: users.disabledAt,
  blockedAt: users.blockedAt,
  createdAt: users.createdAt,
};

// Unlike getActiveUser, these include disabled accounts: admins must see them to enable them again.
export function listUsersForAdmin(filter: UserFilter): { users: AdminUser[]; total: number } {
  const conditions: SQL[] = [];
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        sql`${users.displayName} LIKE ${pattern} ESCAPE '\\'`,
        // An imported person is found by the address the source gave, not by the made-up one.
        sql`CASE WHEN ${users.placeholder} THEN ${users.claimEmail} ELSE ${users.email} END LIKE ${pattern} ESCAPE '\\'`,
      ) as SQL,
    );
  }
  if (filter.role) conditions.push(eq(users.role, filter.role));
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = db()
    .select(adminUserColumns)
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(where)
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(pageSize)
    .offset((filter.page - 1) * pageSize)
    .all();
  const total = db().select({ total: sql<number>`count(*)` }).from(users).where(where).get()?.total ?? 0;
  return { users: rows, total };
}

export function getUserForAdmin(id: number): AdminUser | undefined {
  return db()
    .select(adminUserColumns)
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(users.id, id))
    .get();
}

export type AccessChange = Result<"not-found" | "self" | "unknown-team">;

// Role, team and organization in one transaction, one audit entry per thing
// that changed. An admin may not demote themselves: someone must stay able to
// undo it.
export function changeUserAccess(access: {
  userId: number;
  role: Role;
  teamId: number | null;
  organization: string | null;
  actorId: number;
}): AccessChange {
  const { userId, actorId } = access;
  return db().transaction(
    (tx): AccessChange => {
      const before = tx
        .select({
          role: users.role,
          teamId: users.teamId,
          team: teams.name,
          organizationId: users.organizationId,
          organization: organizations.name,
        })
        .from(users)
        .leftJoin(organizations, eq(organizations.id, users.organizationId))
        .leftJoin(teams, eq(teams.id, users.teamId))
        .where(eq(users.id, userId))
        .get();
      if (!before) return refused("not-found");
      if (actorId === userId && access.role !== before.role) return refused("self");
      const team =
        access.teamId === null
          ? undefined
          : tx.select({ name: teams.name }).from(teams).where(eq(teams.id, access.teamId)).get();
      if (access.teamId !== null && !team) return refused("unknown-team");
      const orgId = access.organization ? organizationFor(tx, access.organization) : null;
      const org = orgId
        ? tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()
        : undefined;
      tx.update(users)
        .set({ role: access.role, teamId: access.teamId, organizationId: orgId })
        .where(eq(users.id, userId))
        .run();
      const audit = (action: string, was: unknown, now: unknown) =>
        recordAudit(tx, { actorId, action, subjectType: "user", subjectId: userId, before: was, after: now });
      if (before.role !== access.role) audit("user.role", { role: before.role }, { role: access.role });
      if (before.teamId !== access.teamId) {
        audit(
          "user.team",
          { teamId: before.teamId, team: before.team },
          { teamId: access.teamId, team: team?.name ?? null },
        );
      }
      if (before.organizationId !== orgId) {
        recountOrganizations(tx, [userId]);
        audit("user.organization", { organization: before.organization }, { organization: org?.name ?? null });
      }
      return done();
    },
    { behavior: "immediate" },
  );
}

// Disabling ends every session and API token of the user in the same transaction, so they
// are signed out on their next request, not when their cookie expires.
export type DisabledChange = Result<"not-found" | "self">;

export function setUserDisabled({
  userId,
  disabled,
  actorId,
}: {
  userId: number;
  disabled: boolean;
  actorId: number;
}): DisabledChange {
  return db().transaction(
    (tx): DisabledChange => {
      const before = tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).get();
      if (!before) return refused("not-found");
      if (disabled && actorId === userId) return refused("self");
      if (Boolean(before.disabledAt) === disabled) return done();
      const disabledAt = disabled ? new Date().toISOString() : null;
      tx.update(users).set({ disabledAt }).where(eq(users.id, userId)).run();
      const sessionsEnded = disabled ? tx.delete(sessions).where(eq(sessions.userId, userId)).run().changes : 0;
      // API tokens stop too, and stay revoked if the account is enabled again.
      const tokensRevoked = disabled
        ? tx
            .update(apiTokens)
            .set({ revokedAt: disabledAt })
            .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
            .run().changes
        : 0;
      recordAudit(tx, {
        actorId,
        action: disabled ? "user.disable" : "user.enable",
        subjectType: "user",
        subjectId: userId,
        before,
        after: disabled ? { disabledAt, sessionsEnded, tokensRevoked } : { disabledAt },
      });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type ReadingPreferencesChange = Result<"not-found" | "bad-locale" | "bad-time-zone">;

// The language and time zone dates are shown in; null goes back to following the browser.
// Stored in canonical form ("en-gb" as "en-GB"), as Intl would resolve it.
export function setReadingPreferences({
  userId,
  locale,
  timeZone,
}: {
  userId: number;
  locale: string | null;
  timeZone: string | null;
}): ReadingPreferencesChange {
  const savedLocale = locale === null ? null : canonicalLocale(locale);
  if (savedLocale === undefined) return refused("bad-locale");
  const savedTimeZone = timeZone === null ? null : canonicalTimeZone(timeZone);
  if (savedTimeZone === undefined) return refused("bad-time-zone");
  const changed = db()
    .update(users)
    .set({ locale: savedLocale, timeZone: savedTimeZone })
    .where(eq(users.id, userId))
    .run().changes;
  return changed ? done() : refused("not-found");
}

export type EmailConfirmation = Result<TokenRefusal | "email-taken", { userId: number; email: string }>;

// Following a confirmation link: the address it was sent to becomes the account's, confirmed,
// with any earlier bounce forgotten (a changed address starts clean). The link is used up in
// the same transaction, and not at all when another account took the address meanwhile.
export function confirmEmail({ token }: { token: string }): EmailConfirmation {
  let email = "";
  const result = consumeUserToken<"email-taken" | "invalid">({
    token,
    purpose: "confirm-email",
    apply: (tx, claim) => {
      if (!claim.email) return refused("invalid");
      email = claim.email;
      const holder = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
      if (holder && holder.id !== claim.userId) return refused("email-taken");
      tx.update(users)
        .set({
          email,
          emailVerifiedAt: new Date().toISOString(),
          emailBouncedAt: null,
          emailBounceReason: null,
        })
        .where(eq(users.id, claim.userId))
        .run();
      // Owning the address is what an imported person's history waits for.
      claimPlaceholders(tx, { userId: claim.userId, email });
      joinOrganizationOfEmail(tx, claim.userId, email);
      return done();
    },
  });
  return result.ok ? done({ userId: result.userId, email }) : result;
}

export type PasswordReset = Result<TokenRefusal, { userId: number }>;

// A reset link sets a new password and ends every session of the account in one
// transaction: whoever knew the old password is signed out everywhere. Following the link
// also proves the address works, so an unconfirmed one counts as confirmed.
export async function resetPassword({ token, password }: { token: string; password: string }): Promise<PasswordReset> {
  // A link that cannot work costs no argon2 hash.
  const usable = peekUserToken({ token, purpose: "reset-password" });
  if (!usable.ok) return usable;
  const passwordHash = await hashPassword(password);
  const result = consumeUserToken<"invalid">({
    token,
    purpose: "reset-password",
    apply: (tx, { userId, email }) => {
      const user = tx
        .select({ email: users.email, disabledAt: users.disabledAt, emailVerifiedAt: users.emailVerifiedAt })
        .from(users)
        .where(eq(users.id, userId))
        .get();
      if (!user || user.disabledAt) return refused("invalid");
      const confirms = !user.emailVerifiedAt && email === user.email;
      tx.update(users)
        .set({ passwordHash, ...(confirms ? { emailVerifiedAt: new Date().toISOString() } : {}) })
        .where(eq(users.id, userId))
        .run();
      if (confirms) claimPlaceholders(tx, { userId, email: user.email });
      tx.delete(sessions).where(eq(sessions.userId, userId)).run();
      return done();
    },
  });
  return result.ok ? done({ userId: result.userId }) : result;
}

// Where a password reset goes: an account with that address that may still sign in. An
// imported placeholder's address is made up; it is claimed by signing up, never by a reset.
export function activeUserByEmail(email: string): { id: number; email: string } | undefined {
  return db()
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.email, email.trim().toLowerCase()), isNull(users.disabledAt), eq(users.placeholder, false)))
    .get();
}

export type AddressState = {
  email: string;
  confirmed: boolean;
  bouncedAt: string | null;
  bounceReason: string | null;
  mailOff: boolean;
  // An address waiting for its link to be followed (a new one, or the first one at sign-up).
  pendingEmail: string | null;
};

// What the account and confirmation pages say about the address mail goes to.
export function addressState(userId: number): AddressState | undefined {
  const user = db()
    .select({
      email: users.email,
      verifiedAt: users.emailVerifiedAt,
      bouncedAt: users.emailBouncedAt,
      bounceReason: users.emailBounceReason,
      mailOffAt: users.mailOffAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return undefined;
  const pending = db()
    .select({ email: userTokens.email })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.userId, userId),
        eq(userTokens.purpose, "confirm-email"),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, new Date().toISOString()),
      ),
    )
    .orderBy(desc(userTokens.id))
    .get();
  const pendingEmail = pending?.email ?? null;
  return {
    email: user.email,
    confirmed: user.verifiedAt !== null,
    bouncedAt: user.bouncedAt,
    bounceReason: user.bounceReason,
    mailOff: user.mailOffAt !== null,
    pendingEmail: pendingEmail === user.email && user.verifiedAt !== null ? null : pendingEmail,
  };
}

// "Stop all mail" (an unsubscribe link, the account page) and its undo. Answers what it was
// before, so an undo can put it back.
export function setMailOff({
  userId,
  off,
}: {
  userId: number;
  off: boolean;
}): Result<"not-found", { wasOff: boolean }> {
  return db().transaction(
    (tx): Result<"not-found", { wasOff: boolean }> => {
      const user = tx.select({ mailOffAt: users.mailOffAt }).from(users).where(eq(users.id, userId)).get();
      if (!user) return refused("not-found");
      const wasOff = user.mailOffAt !== null;
      if (wasOff !== off) {
        tx.update(users)
          .set({ mailOffAt: off ? new Date().toISOString() : null })
          .where(eq(users.id, userId))
          .run();
      }
      return done({ wasOff });
    },
    { behavior: "immediate" },
  );
}

// How one kind of mail reaches the person; null goes back to the kind's default. Answers the
// setting before (null: the default), so an undo can put it back.
export function setKindDelivery({
  userId,
  kind,
  delivery,
}: {
  userId: number;
  kind: NotificationKind;
  delivery: Delivery | null;
}): Result<"not-found", { before: Delivery | null }> {
  return db().transaction(
    (tx): Result<"not-found", { before: Delivery | null }> => {
      if (!tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get()) return refused("not-found");
      const where = and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, kind));
      const before =
        tx.select({ delivery: notificationPreferences.delivery }).from(notificationPreferences).where(where).get()
          ?.delivery ?? null;
      if (delivery === null) tx.delete(notificationPreferences).where(where).run();
      else {
        tx.insert(notificationPreferences)
          .values({ userId, kind, delivery })
          .onConflictDoUpdate({
            target: [notificationPreferences.userId, notificationPreferences.kind],
            set: { delivery },
          })
          .run();
      }
      return done({ before });
    },
    { behavior: "immediate" },
  );
}

export type ProfileChange = Result<"not-found">;

// A person's own name and organization (null: none). The organization is found or added the way
// an admin's change finds it ("dell" is Dell), so the same company is never listed twice; an
// address at a claimed domain keeps its organization whatever is typed.
export function updateProfile({
  userId,
  displayName,
  organization,
}: {
  userId: number;
  displayName: string;
  organization: string | null;
}): ProfileChange {
  return db().transaction(
    (tx): ProfileChange => {
      const person = tx
        .select({ email: users.email, organizationId: users.organizationId })
        .from(users)
        .where(eq(users.id, userId))
        .get();
      if (!person) return refused("not-found");
      const organizationId =
        organizationForEmail(tx, person.email) ?? (organization ? organizationFor(tx, organization) : null);
      tx.update(users).set({ displayName, organizationId }).where(eq(users.id, userId)).run();
      if (organizationId !== person.organizationId) recountOrganizations(tx, [userId]);
      return done();
    },
    { behavior: "immediate" },
  );
}

export type PasswordChange = Result<"not-found" | "wrong-password">;

// Only someone who knows the current password may set a new one: a session left open on a
// shared computer is not enough. Ending the other sessions is the caller's, which knows which one to keep.
export async function changePassword({
  userId,
  currentPassword,
  newPassword,
}: {
  userId: number;
  currentPassword: string;
  newPassword: string;
}): Promise<PasswordChange> {
  const row = db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!row) return refused("not-found");
  if (!(await argon2.verify(row.passwordHash, currentPassword))) return refused("wrong-password");
  const passwordHash = await hashPassword(newPassword);
  const changed = db().update(users).set({ passwordHash }).where(eq(users.id, userId)).run().changes;
  return changed ? done() : refused("not-found");
}

// The person's choice to have no profile page: their name still shows next to what they wrote,
// without a link, and their page answers "not found" to everyone but them and moderators.
export function setProfileHidden({ userId, hidden }: { userId: number; hidden: boolean }): Result<"not-found"> {
  const changed = db().update(users).set({ profileHidden: hidden }).where(eq(users.id, userId)).run().changes;
  return changed ? done() : refused("not-found");
}
