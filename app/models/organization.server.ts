import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { slugify } from "~/slug";
import { type Db, db, type Tx } from "../../db/client";
import { organizationDomains, organizationMerges, organizations, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { type Done, done, type Refused, refused } from "./result";
import { recountOrganizations } from "./vote.server";

// "  DELL   Technologies " and "Dell Technologies" are one organization: names match
// ignoring case, width and runs of spaces.
export function organizationNameKey(name: string): string {
  return tidyName(name.normalize("NFKC")).toLowerCase();
}

// A name as stored and shown: trimmed, each run of spaces made one.
function tidyName(typed: string): string {
  return typed.trim().replace(/\s+/g, " ");
}

// The organization a typed name means: an existing one (or the one it was merged into),
// else a new one with its own page address. The importer passes its connection, inside
// the transaction it opened itself.
export function organizationFor(tx: Tx | Db, name: string): number {
  const typed = tidyName(name);
  const existing = tx
    .select({ id: organizations.id, mergedIntoId: organizations.mergedIntoId })
    .from(organizations)
    .where(eq(organizations.nameKey, organizationNameKey(typed)))
    .get();
  if (existing) return existing.mergedIntoId ? mergedTarget(tx, existing.mergedIntoId) : existing.id;
  const row = tx
    .insert(organizations)
    .values({
      name: typed,
      nameKey: organizationNameKey(typed),
      slug: freeSlug(tx, typed),
      createdAt: new Date().toISOString(),
    })
    .returning({ id: organizations.id })
    .get();
  if (!row) throw new Error("INSERT … RETURNING returned no row");
  return row.id;
}

export type NamedOrganization = { id: number; name: string; slug: string | null };

// What a typed organization means where asks are looked up by it (the lists' filter, search's
// org:): its name folded as organizationFor folds it ("dell " is Dell), or its page address.
// A merged organization means the one it was merged into, where its people are now.
export function organizationNamed(typed: string): NamedOrganization | undefined {
  const key = organizationNameKey(typed);
  if (!key) return undefined;
  const row = db()
    .select({ id: organizations.id, mergedIntoId: organizations.mergedIntoId })
    .from(organizations)
    .where(or(eq(organizations.nameKey, key), eq(organizations.slug, key), eq(organizations.slug, slugify(typed, ""))))
    .orderBy(desc(sql`${organizations.nameKey} = ${key}`))
    .get();
  if (!row) return undefined;
  const id = row.mergedIntoId ? mergedTarget(db(), row.mergedIntoId) : row.id;
  return db()
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, id))
    .get();
}

// The names offered while a filter's organization is typed: organizations with members (asks
// and votes come from people), never a merged one; those starting with the text first, then
// those with a word starting with it.
export function suggestOrganizations(typed: string, limit = 10): { name: string; slug: string }[] {
  const key = organizationNameKey(typed);
  if (!key) return [];
  const start = `${key.replace(/[%_\\]/g, "\\$&")}%`;
  const startsWith = sql`${organizations.nameKey} LIKE ${start} ESCAPE '\\'`;
  return db()
    .select({ name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(
      and(
        isNull(organizations.mergedIntoId),
        isNotNull(organizations.slug),
        or(startsWith, sql`${organizations.nameKey} LIKE ${`% ${start}`} ESCAPE '\\'`),
        // Spelled out: drizzle leaves a one-table select's columns unqualified, which the
        // subquery would read as its own.
        sql`EXISTS (SELECT 1 FROM users u WHERE u.organization_id = organizations.id)`,
      ),
    )
    .orderBy(desc(startsWith), asc(organizations.nameKey))
    .limit(limit)
    .all()
    .flatMap((o) => (o.slug ? [{ name: o.name, slug: o.slug }] : []));
}

// Follows merges to the organization that still stands (a merged one may itself have been
// merged again).
export function mergedTarget(tx: Tx | Db, id: number): number {
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const row = tx
      .select({ mergedIntoId: organizations.mergedIntoId })
      .from(organizations)
      .where(eq(organizations.id, current))
      .get();
    if (!row?.mergedIntoId) return current;
    current = row.mergedIntoId;
  }
  throw new Error(`organization ${id}: merges form a loop`);
}

// "dell", then "dell-2" if that address is taken (by another organization, even a merged one,
// whose old page redirects).
export function freeSlug(tx: Tx | Db, name: string, exceptId?: number): string {
  const base = slugify(name, "organization");
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const taken = tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).get();
    if (!taken || taken.id === exceptId) return slug;
  }
}

export type OrganizationFold = { kept: string; folded: string[]; people: number };

// Before organizations had a folded name and a page, each typed spelling became its own row.
// Runs at start-up (server/startup.ts): gives every row its key and slug, and folds spellings
// that now match into the one most people use, moving their people. What it folded is
// returned and kept in the audit log.
export function upgradeOrganizations(): OrganizationFold[] {
  return db().transaction(
    (tx) => {
      const pending = tx
        .select({ id: organizations.id, name: organizations.name })
        .from(organizations)
        .where(isNull(organizations.nameKey))
        .all();
      if (pending.length === 0) return [];
      const members = new Map(
        tx
          .select({ id: users.organizationId, count: sql<number>`count(*)` })
          .from(users)
          .where(isNotNull(users.organizationId))
          .groupBy(users.organizationId)
          .all()
          .map((r) => [r.id, r.count]),
      );
      const byKey = new Map<string, { id: number; name: string }[]>();
      for (const org of pending) {
        const key = organizationNameKey(org.name);
        byKey.set(key, [...(byKey.get(key) ?? []), org]);
      }
      const folds: OrganizationFold[] = [];
      for (const [key, spellings] of byKey) {
        // The spelling most people chose stays; on a tie, the oldest.
        spellings.sort((a, b) => (members.get(b.id) ?? 0) - (members.get(a.id) ?? 0) || a.id - b.id);
        const [kept, ...rest] = spellings;
        if (!kept) continue;
        const moved: number[] = [];
        for (const other of rest) {
          for (const person of tx
            .update(users)
            .set({ organizationId: kept.id })
            .where(eq(users.organizationId, other.id))
            .returning({ id: users.id })
            .all()) {
            moved.push(person.id);
          }
          tx.delete(organizations).where(eq(organizations.id, other.id)).run();
        }
        // The migration counted "Dell" and "DELL" as two organizations on every ask both voted on.
        recountOrganizations(tx, moved);
        tx.update(organizations)
          .set({ nameKey: key, slug: freeSlug(tx, kept.name, kept.id) })
          .where(eq(organizations.id, kept.id))
          .run();
        if (rest.length > 0) {
          const fold = { kept: kept.name, folded: rest.map((r) => r.name), people: moved.length };
          folds.push(fold);
          recordAudit(tx, {
            actorId: null,
            action: "organization.fold",
            subjectType: "organization",
            subjectId: kept.id,
            before: { names: fold.folded },
            after: { name: kept.name, people: moved.length },
          });
        }
      }
      return folds;
    },
    { behavior: "immediate" },
  );
}

// The organization an address belongs to by its domain: the most specific claimed domain
// wins (mail.dell.com, then dell.com, then com), following merges.
export function organizationForEmail(tx: Tx | Db, email: string): number | undefined {
  const claim = domainClaim(tx, email);
  return claim ? mergedTarget(tx, claim.organizationId) : undefined;
}

// What the sign-up and account pages tell a person whose address decides their organization.
export function claimedOrganization(email: string): { name: string; domain: string } | undefined {
  const claim = domainClaim(db(), email);
  if (!claim) return undefined;
  const name = db()
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, mergedTarget(db(), claim.organizationId)))
    .get()?.name;
  return name === undefined ? undefined : { name, domain: claim.domain };
}

function domainClaim(tx: Tx | Db, email: string): { domain: string; organizationId: number } | undefined {
  const host = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  const labels = host.split(".");
  const candidates = labels.map((_, i) => labels.slice(i).join(".")).filter(Boolean);
  if (!email.includes("@") || candidates.length === 0) return undefined;
  return tx
    .select({ domain: organizationDomains.domain, organizationId: organizationDomains.organizationId })
    .from(organizationDomains)
    .where(inArray(organizationDomains.domain, candidates))
    .orderBy(desc(sql`length(${organizationDomains.domain})`))
    .get();
}

export type OrganizationRow = {
  id: number;
  name: string;
  slug: string | null;
  domains: string[];
  memberCount: number;
  askCount: number;
};

// The admin list: every organization still standing (merged ones live on only as redirects),
// with how many people belong to it and how many asks they filed.
export function listOrganizations(): OrganizationRow[] {
  const rows = db()
    .select({
      id: organizations.id,
      name: organizations.name,
      slug: organizations.slug,
      // Spelled out: drizzle leaves the columns of a one-table select unqualified, which a
      // subquery would read as its own.
      domains: sql<
        string | null
      >`(SELECT group_concat(d.domain, ' ') FROM organization_domains d WHERE d.organization_id = organizations.id)`,
      memberCount: sql<number>`(SELECT count(*) FROM users u WHERE u.organization_id = organizations.id)`,
      askCount: sql<number>`(SELECT count(*) FROM asks a JOIN users u ON u.id = a.author_id WHERE u.organization_id = organizations.id)`,
    })
    .from(organizations)
    .where(isNull(organizations.mergedIntoId))
    .orderBy(asc(sql`coalesce(${organizations.nameKey}, lower(${organizations.name}))`), asc(organizations.id))
    .all();
  return rows.map((row) => ({ ...row, domains: row.domains ? row.domains.split(" ").sort() : [] }));
}

export type OrganizationMergeRow = {
  id: number;
  from: { id: number; name: string };
  into: { id: number; name: string; slug: string | null };
  people: number;
  domains: string[];
  mergedBy: string | null;
  createdAt: string;
  undoneAt: string | null;
  // Still undoable: not undone, and its target has not been merged on since.
  undoable: boolean;
};

const mergedFrom = alias(organizations, "merged_from");
const mergedInto = alias(organizations, "merged_into");

// The latest merges first, undone ones included, so an admin sees what happened and when.
export function listOrganizationMerges(limit = 20): OrganizationMergeRow[] {
  return db()
    .select({
      id: organizationMerges.id,
      fromId: mergedFrom.id,
      fromName: mergedFrom.name,
      intoId: mergedInto.id,
      intoName: mergedInto.name,
      intoSlug: mergedInto.slug,
      intoMergedIntoId: mergedInto.mergedIntoId,
      memberIds: organizationMerges.memberIds,
      domains: organizationMerges.domains,
      mergedBy: users.displayName,
      createdAt: organizationMerges.createdAt,
      undoneAt: organizationMerges.undoneAt,
    })
    .from(organizationMerges)
    .innerJoin(mergedFrom, eq(mergedFrom.id, organizationMerges.fromId))
    .innerJoin(mergedInto, eq(mergedInto.id, organizationMerges.intoId))
    .leftJoin(users, eq(users.id, organizationMerges.mergedById))
    .orderBy(desc(organizationMerges.id))
    .limit(limit)
    .all()
    .map((m) => ({
      id: m.id,
      from: { id: m.fromId, name: m.fromName },
      into: { id: m.intoId, name: m.intoName, slug: m.intoSlug },
      people: jsonList<number>(m.memberIds).length,
      domains: jsonList<string>(m.domains),
      mergedBy: m.mergedBy,
      createdAt: m.createdAt,
      undoneAt: m.undoneAt,
      undoable: m.undoneAt === null && m.intoMergedIntoId === null,
    }));
}

function jsonList<T>(text: string): T[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? (value as T[]) : [];
}

type Standing = { id: number; name: string; slug: string | null; mergedIntoId: number | null };

function findOrganization(tx: Tx, id: number): Standing | undefined {
  return tx
    .select({
      id: organizations.id,
      name: organizations.name,
      slug: organizations.slug,
      mergedIntoId: organizations.mergedIntoId,
    })
    .from(organizations)
    .where(eq(organizations.id, id))
    .get();
}

function organizationName(tx: Tx, id: number): string {
  return findOrganization(tx, id)?.name ?? `#${id}`;
}

export type OrganizationRename =
  | Done<{ id: number; name: string; slug: string | null }>
  | Refused<"not-found" | "merged" | "name-empty">
  | Refused<"name-taken" | "slug-taken", { takenBy: string; mergedInto: string | null }>;

// A new name, and a new page address when one is given (the old address then finds
// nothing, so by default the address stays). A name that folds to another organization's,
// even a merged one's, is refused: typing it would join that one.
export function renameOrganization({
  id,
  name,
  slug,
  actorId,
}: {
  id: number;
  name: string;
  slug?: string;
  actorId: number;
}): OrganizationRename {
  const typed = tidyName(name);
  return db().transaction(
    (tx): OrganizationRename => {
      const org = findOrganization(tx, id);
      if (!org) return refused("not-found");
      if (org.mergedIntoId) return refused("merged");
      if (!typed) return refused("name-empty");
      const key = organizationNameKey(typed);
      const holder = tx
        .select({ id: organizations.id, name: organizations.name, mergedIntoId: organizations.mergedIntoId })
        .from(organizations)
        .where(eq(organizations.nameKey, key))
        .get();
      if (holder && holder.id !== id) return refused("name-taken", takenBy(tx, holder));
      const newSlug = slug && slug !== org.slug ? slug : org.slug;
      if (newSlug !== org.slug && newSlug) {
        const slugHolder = tx
          .select({ id: organizations.id, name: organizations.name, mergedIntoId: organizations.mergedIntoId })
          .from(organizations)
          .where(eq(organizations.slug, newSlug))
          .get();
        if (slugHolder && slugHolder.id !== id) return refused("slug-taken", takenBy(tx, slugHolder));
      }
      if (typed !== org.name || newSlug !== org.slug) {
        tx.update(organizations)
          .set({ name: typed, nameKey: key, slug: newSlug })
          .where(eq(organizations.id, id))
          .run();
        recordAudit(tx, {
          actorId,
          action: "organization.rename",
          subjectType: "organization",
          subjectId: id,
          before: { name: org.name, slug: org.slug },
          after: { name: typed, slug: newSlug },
        });
      }
      return done({ id, name: typed, slug: newSlug });
    },
    { behavior: "immediate" },
  );
}

function takenBy(tx: Tx, holder: { name: string; mergedIntoId: number | null }) {
  return {
    takenBy: holder.name,
    mergedInto: holder.mergedIntoId ? organizationName(tx, mergedTarget(tx, holder.mergedIntoId)) : null,
  };
}

export type DomainsChange =
  | Done<{ domains: string[] }>
  | Refused<"not-found" | "merged">
  | Refused<"domain-taken", { domain: string; takenBy: string }>;

// The mail domains whose addresses join the organization at sign-up. The whole list is
// replaced; a domain another organization claims is refused with its name.
export function setOrganizationDomains({
  id,
  domains,
  actorId,
}: {
  id: number;
  domains: readonly string[];
  actorId: number;
}): DomainsChange {
  const wanted = [...new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))].sort();
  return db().transaction(
    (tx): DomainsChange => {
      const org = findOrganization(tx, id);
      if (!org) return refused("not-found");
      if (org.mergedIntoId) return refused("merged");
      const before = domainsOf(tx, id);
      if (wanted.length) {
        const claimed = tx
          .select({ domain: organizationDomains.domain, organizationId: organizationDomains.organizationId })
          .from(organizationDomains)
          .where(inArray(organizationDomains.domain, wanted))
          .all()
          .find((claim) => claim.organizationId !== id);
        if (claimed) {
          return refused("domain-taken", {
            domain: claimed.domain,
            takenBy: organizationName(tx, claimed.organizationId),
          });
        }
      }
      if (before.join(" ") === wanted.join(" ")) return done({ domains: wanted });
      tx.delete(organizationDomains).where(eq(organizationDomains.organizationId, id)).run();
      if (wanted.length) {
        tx.insert(organizationDomains)
          .values(wanted.map((domain) => ({ domain, organizationId: id })))
          .run();
      }
      recordAudit(tx, {
        actorId,
        action: "organization.domains",
        subjectType: "organization",
        subjectId: id,
        before: { domains: before },
        after: { domains: wanted },
      });
      return done({ domains: wanted });
    },
    { behavior: "immediate" },
  );
}

function domainsOf(tx: Tx, id: number): string[] {
  return tx
    .select({ domain: organizationDomains.domain })
    .from(organizationDomains)
    .where(eq(organizationDomains.organizationId, id))
    .orderBy(asc(organizationDomains.domain))
    .all()
    .map((d) => d.domain);
}

export type OrganizationMove = { mergeId: number; from: string; into: string; people: number; domains: string[] };

export type OrganizationMerge =
  | Done<OrganizationMove>
  | Refused<"same" | "not-found" | "already-merged">
  | Refused<"into-merged", { into: string; mergedInto: string }>;

// "Dell Technologies" into "Dell": its people and domains move over, its page redirects and
// its name joins Dell from now on. What moved is recorded so that an undo moves exactly that
// back; the asks those people voted on count their organizations again.
export function mergeOrganizations({
  fromId,
  intoId,
  actorId,
}: {
  fromId: number;
  intoId: number;
  actorId: number;
}): OrganizationMerge {
  if (fromId === intoId) return refused("same");
  return db().transaction(
    (tx): OrganizationMerge => {
      const from = findOrganization(tx, fromId);
      const into = findOrganization(tx, intoId);
      if (!from || !into) return refused("not-found");
      if (from.mergedIntoId) return refused("already-merged");
      if (into.mergedIntoId) {
        return refused("into-merged", {
          into: into.name,
          mergedInto: organizationName(tx, mergedTarget(tx, into.mergedIntoId)),
        });
      }
      const memberIds = tx
        .update(users)
        .set({ organizationId: intoId })
        .where(eq(users.organizationId, fromId))
        .returning({ id: users.id })
        .all()
        .map((u) => u.id)
        .sort((a, b) => a - b);
      const domains = domainsOf(tx, fromId);
      tx.update(organizationDomains)
        .set({ organizationId: intoId })
        .where(eq(organizationDomains.organizationId, fromId))
        .run();
      tx.update(organizations).set({ mergedIntoId: intoId }).where(eq(organizations.id, fromId)).run();
      const merge = tx
        .insert(organizationMerges)
        .values({
          fromId,
          intoId,
          memberIds: JSON.stringify(memberIds),
          domains: JSON.stringify(domains),
          mergedById: actorId,
        })
        .returning({ id: organizationMerges.id })
        .get();
      if (!merge) throw new Error("INSERT … RETURNING returned no row");
      recountOrganizations(tx, memberIds);
      recordAudit(tx, {
        actorId,
        action: "organization.merge",
        subjectType: "organization",
        subjectId: fromId,
        before: { name: from.name, domains },
        after: { mergedInto: into.name, people: memberIds.length, domains: domainsOf(tx, intoId) },
      });
      return done({ mergeId: merge.id, from: from.name, into: into.name, people: memberIds.length, domains });
    },
    { behavior: "immediate" },
  );
}

export type OrganizationUnmerge =
  | Done<OrganizationMove>
  | Refused<"not-found" | "already-undone">
  | Refused<"into-merged", { into: string; mergedInto: string }>;

// Puts back what a merge moved: the people it moved who are still in the target (anyone who
// joined the target since, or left it, stays where they are) and the domains it still holds.
export function undoOrganizationMerge({ mergeId, actorId }: { mergeId: number; actorId: number }): OrganizationUnmerge {
  return db().transaction(
    (tx): OrganizationUnmerge => {
      const merge = tx.select().from(organizationMerges).where(eq(organizationMerges.id, mergeId)).get();
      if (!merge) return refused("not-found");
      if (merge.undoneAt) return refused("already-undone");
      const from = findOrganization(tx, merge.fromId);
      const into = findOrganization(tx, merge.intoId);
      if (!from || !into) return refused("not-found");
      // Undoing under a later merge would leave people in an organization that itself redirects.
      if (into.mergedIntoId) {
        return refused("into-merged", {
          into: into.name,
          mergedInto: organizationName(tx, mergedTarget(tx, into.mergedIntoId)),
        });
      }
      const recorded = jsonList<number>(merge.memberIds);
      const movedBack = recorded.length
        ? tx
            .update(users)
            .set({ organizationId: from.id })
            .where(and(inArray(users.id, recorded), eq(users.organizationId, into.id)))
            .returning({ id: users.id })
            .all()
            .map((u) => u.id)
        : [];
      const recordedDomains = jsonList<string>(merge.domains);
      const domains = recordedDomains.length
        ? tx
            .update(organizationDomains)
            .set({ organizationId: from.id })
            .where(
              and(
                inArray(organizationDomains.domain, recordedDomains),
                eq(organizationDomains.organizationId, into.id),
              ),
            )
            .returning({ domain: organizationDomains.domain })
            .all()
            .map((d) => d.domain)
            .sort()
        : [];
      tx.update(organizations).set({ mergedIntoId: null }).where(eq(organizations.id, from.id)).run();
      tx.update(organizationMerges)
        .set({ undoneAt: new Date().toISOString() })
        .where(eq(organizationMerges.id, mergeId))
        .run();
      recountOrganizations(tx, movedBack);
      recordAudit(tx, {
        actorId,
        action: "organization.merge-undo",
        subjectType: "organization",
        subjectId: from.id,
        before: { mergedInto: into.name },
        after: { name: from.name, people: movedBack.length, domains },
      });
      return done({ mergeId, from: from.name, into: into.name, people: movedBack.length, domains });
    },
    { behavior: "immediate" },
  );
}

// A confirmed change of address to a claimed domain joins that organization, as signing up
// with it would have.
export function joinOrganizationOfEmail(tx: Tx, userId: number, email: string): void {
  const organizationId = organizationForEmail(tx, email);
  if (organizationId === undefined) return;
  const changed = tx
    .update(users)
    .set({ organizationId })
    .where(and(eq(users.id, userId), sql`${users.organizationId} IS NOT ${organizationId}`))
    .run().changes;
  if (changed) recountOrganizations(tx, [userId]);
}
