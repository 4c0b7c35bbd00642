import { and, asc, count, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Role } from "~/domain";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import { asks, comments, organizationDomains, organizations, teams, users } from "../../db/schema";
import { mergedTarget } from "./organization.server";

export type Profile = {
  id: number;
  displayName: string;
  role: Role;
  team: string | null;
  organization: { name: string; slug: string | null } | null;
  profileHidden: boolean;
  // Imported with earlier history and not claimed by anyone yet.
  placeholder: boolean;
  createdAt: string;
};

// A person's page: anyone who wrote something on Asklog has one, placeholders included. Whether
// a hidden one may be shown is the page's to decide (it knows the viewer).
export function getProfile(id: number): Profile | undefined {
  const row = db()
    .select({
      id: users.id,
      displayName: users.displayName,
      role: users.role,
      team: teams.name,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
      profileHidden: users.profileHidden,
      placeholder: users.placeholder,
      createdAt: users.createdAt,
    })
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(users.id, id))
    .get();
  if (!row) return undefined;
  const { organizationName, organizationSlug, ...profile } = row;
  return {
    ...profile,
    organization: organizationName ? { name: organizationName, slug: organizationSlug } : null,
  };
}

// What a reader may see of someone's comments: what the ask page would show them. Deleted
// comments never show; hidden ones and those on hidden asks only to those who moderate them.
export type CommentReader = { seesHiddenComments: boolean; seesHiddenAsks: boolean };

function readableComments(personId: number, reader: CommentReader): SQL | undefined {
  return and(
    eq(comments.authorId, personId),
    isNull(comments.deletedAt),
    reader.seesHiddenComments ? undefined : isNull(comments.hiddenAt),
    reader.seesHiddenAsks ? undefined : isNull(asks.hiddenAt),
  );
}

// The start of each comment only: a profile lists many, as a line each.
const excerptLength = 300;

// A person's comments, newest first, each with the ask it is on.
export function listPersonComments(personId: number, reader: CommentReader, page: number, size = pageSize) {
  const where = readableComments(personId, reader);
  const rows = db()
    .select({
      id: comments.id,
      excerpt: sql<string>`substr(${comments.body}, 1, ${excerptLength})`,
      complete: sql<boolean>`length(${comments.body}) <= ${excerptLength}`.mapWith(Boolean),
      createdAt: comments.createdAt,
      hiddenAt: comments.hiddenAt,
      ask: { id: asks.id, slug: asks.slug, title: asks.title, hiddenAt: asks.hiddenAt },
    })
    .from(comments)
    .innerJoin(asks, eq(asks.id, comments.askId))
    .where(where)
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(size)
    .offset((page - 1) * size)
    .all();
  const total =
    db().select({ total: count() }).from(comments).innerJoin(asks, eq(asks.id, comments.askId)).where(where).get()
      ?.total ?? 0;
  return { comments: rows, total };
}

export type PersonComment = ReturnType<typeof listPersonComments>["comments"][number];

export type OrganizationPage = {
  id: number;
  name: string;
  slug: string;
  domains: string[];
  memberCount: number;
};

// An organization's page by its address. A merged organization's old address answers with the
// address of the one it was merged into (followed to the end of a chain of merges).
export function findOrganizationPage(
  slug: string,
): { organization: OrganizationPage } | { mergedInto: string } | undefined {
  const found = db()
    .select({ id: organizations.id, name: organizations.name, mergedIntoId: organizations.mergedIntoId })
    .from(organizations)
    .where(eq(organizations.slug, slug))
    .get();
  if (!found) return undefined;
  if (found.mergedIntoId) {
    const target = db()
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.id, mergedTarget(db(), found.mergedIntoId)))
      .get();
    return target?.slug ? { mergedInto: target.slug } : undefined;
  }
  const domains = db()
    .select({ domain: organizationDomains.domain })
    .from(organizationDomains)
    .where(eq(organizationDomains.organizationId, found.id))
    .orderBy(asc(organizationDomains.domain))
    .all()
    .map((d) => d.domain);
  const memberCount = db().select({ n: count() }).from(users).where(eq(users.organizationId, found.id)).get()?.n ?? 0;
  return { organization: { id: found.id, name: found.name, slug, domains, memberCount } };
}
