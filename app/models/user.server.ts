import argon2 from "argon2";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { organizations, teams, users } from "../../db/schema";

export type Role = "member" | "team" | "admin";

export type User = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  organization: string | null;
  team: string | null;
  teamId: number | null;
  blocked: boolean;
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
};

function selectUsers() {
  return db()
    .select(userColumns)
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId));
}

// Disabled users are treated as absent everywhere a session is resolved.
export function getActiveUser(id: number): User | undefined {
  const [row] = selectUsers()
    .where(and(eq(users.id, id), isNull(users.disabledAt)))
    .all();
  return row;
}

export function emailTaken(email: string): boolean {
  return db().select({ id: users.id }).from(users).where(eq(users.email, email)).all().length > 0;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export class EmailTakenError extends Error {}

export async function createUser(input: {
  email: string;
  displayName: string;
  password: string;
  organization?: string;
  team?: string;
  role?: Role;
}): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const id = db().transaction(
    (tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).all().length > 0) {
        throw new EmailTakenError(input.email);
      }
      const organizationId = input.organization ? findOrCreate(tx, organizations, input.organization) : null;
      const teamId = input.team ? findOrCreate(tx, teams, input.team) : null;
      const [row] = tx
        .insert(users)
        .values({
          email: input.email,
          displayName: input.displayName,
          passwordHash,
          organizationId,
          teamId,
          role: input.role ?? "member",
        })
        .returning({ id: users.id })
        .all();
      return row.id;
    },
    { behavior: "immediate" },
  );
  return getActiveUser(id) as User;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

function findOrCreate(tx: Tx, table: typeof organizations | typeof teams, name: string): number {
  const [existing] = tx.select({ id: table.id }).from(table).where(eq(table.name, name)).all();
  if (existing) return existing.id;
  const [row] = tx.insert(table).values({ name }).returning({ id: table.id }).all();
  return row.id;
}

// Returns the user when the password matches; argon2 verifies in constant time.
export async function verifyLogin(email: string, password: string): Promise<User | undefined> {
  const [row] = db()
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email))
    .all();
  if (!row || row.disabledAt) return undefined;
  if (!(await argon2.verify(row.passwordHash, password))) return undefined;
  return getActiveUser(row.id);
}

// Makes sure the account named by ADMIN_EMAIL exists with the admin role and
// the given password, so a fresh deployment always has a way in.
export async function ensureAdmin(email: string, password: string): Promise<void> {
  const normalized = email.trim().toLowerCase();
  const [existing] = db().select({ id: users.id }).from(users).where(eq(users.email, normalized)).all();
  if (!existing) {
    await createUser({ email: normalized, displayName: "Administrator", password, role: "admin" });
    return;
  }
  const passwordHash = await hashPassword(password);
  db().update(users).set({ role: "admin", passwordHash, disabledAt: null }).where(eq(users.id, existing.id)).run();
}
