import { data } from "@remix-run/node";
import type { Role } from "~/domain";
import type { User } from "~/models/user.server";
import { getUser, requireUser } from "./session.server";

// Everything a signed-in person may do, by name, listed with the first role that has it:
// a team member may do all a partner may, an admin all a team member may. Routes ask for
// a permission; only this table knows which role has it.
const partner = [
  "ask:create",
  "vote:cast",
  "comment:create",
  "ask:follow",
  "comment:delete-own",
  "account:sessions",
  "account:edit",
  "notifications:read",
] as const;
const teamOnly = [
  "ask:triage",
  "ask:merge",
  "ask:moderate",
  "ask:edit-any",
  "comment:moderate",
  "comment:official",
  "user:block",
  // A profile its person hid is still there for moderators (their own page stays theirs).
  "profile:read-hidden",
] as const;
const adminOnly = [
  "admin:users",
  "admin:teams",
  "admin:categories",
  "admin:statuses",
  "admin:organizations",
  "admin:audit",
  "admin:mail",
  "admin:webhooks",
  "admin:settings",
  "import:run",
  "export:site",
] as const;

export const permissions = [...partner, ...teamOnly, ...adminOnly] as const;
export type Permission = (typeof permissions)[number];

const byRole: Record<Role, ReadonlySet<Permission>> = {
  member: new Set(partner),
  team: new Set([...partner, ...teamOnly]),
  admin: new Set(permissions),
};

// Posting permissions a block takes away; reading and following stay.
const posting: ReadonlySet<Permission> = new Set(["ask:create", "vote:cast", "comment:create"]);

export function can(user: Pick<User, "role" | "blocked"> | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  if (user.blocked && posting.has(permission)) return false;
  return byRole[user.role].has(permission);
}

// Signed out: off to sign in. Signed in without the permission: 403, whatever
// the URL or the form said.
export async function requirePermission(request: Request, permission: Permission): Promise<User> {
  const user = await requireUser(request);
  ensurePermission(user, permission);
  return user;
}

export function ensurePermission(user: User, permission: Permission): void {
  if (!can(user, permission)) {
    throw data(user.blocked && posting.has(permission) ? "Your account is blocked from posting." : "Not allowed", {
      status: 403,
    });
  }
}

export async function userCan(request: Request, permission: Permission): Promise<boolean> {
  return can(await getUser(request), permission);
}
