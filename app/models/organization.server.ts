import { eq, isNotNull, isNull, sql } from "drizzle-orm";
import { slugify } from "~/slug";
import { type Db, db, type Tx } from "../../db/client";
import { organizations, users } from "../../db/schema";
import { recordAudit } from "./audit.server";

// "  DELL   Technologies " and "Dell Technologies" are one organization: names match
// ignoring case, width and runs of spaces.
export function organizationNameKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

// The organization a typed name means: an existing one (or the one it was merged into),
// else a new one with its own page address. The importer passes its connection, inside
// the transaction it opened itself.
export function organizationFor(tx: Tx | Db, name: string): number {
  const typed = name.trim().replace(/\s+/g, " ");
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
  const base = slugify(name) === "ask" && !/ask/i.test(name) ? "organization" : slugify(name);
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
        let moved = 0;
        for (const other of rest) {
          moved += tx
            .update(users)
            .set({ organizationId: kept.id })
            .where(eq(users.organizationId, other.id))
            .run().changes;
          tx.delete(organizations).where(eq(organizations.id, other.id)).run();
        }
        tx.update(organizations)
          .set({ nameKey: key, slug: freeSlug(tx, kept.name, kept.id) })
          .where(eq(organizations.id, kept.id))
          .run();
        if (rest.length > 0) {
          const fold = { kept: kept.name, folded: rest.map((r) => r.name), people: moved };
          folds.push(fold);
          recordAudit(tx, {
            actorId: null,
            action: "organization.fold",
            subjectType: "organization",
            subjectId: kept.id,
            before: { names: fold.folded },
            after: { name: kept.name, people: moved },
          });
        }
      }
      return folds;
    },
    { behavior: "immediate" },
  );
}
