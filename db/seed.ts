import argon2 from "argon2";
import { inArray, sql } from "drizzle-orm";
import { slugify } from "../app/slug";
import { type Db, db } from "./client";
import { type DemoAsk, demoAsks, demoCategories, demoTeams, demoUsers } from "./demo-data";
import {
  asks,
  categories,
  comments,
  organizations,
  resolutionLinks,
  statuses,
  statusUpdates,
  subscriptions,
  teams,
  users,
  votes,
} from "./schema";

export const demoPassword = "asklog-demo";
export const demoSignIns = [
  { email: "dana@contoso.example", role: "partner (Contoso)" },
  { email: "tariq@asklog.example", role: "program team member (EPX)" },
  { email: "admin@asklog.example", role: "admin" },
];

export function hasDemoSignIns(database: Db = db()): boolean {
  const emails = demoSignIns.map((s) => s.email);
  return database.select({ id: users.id }).from(users).where(inArray(users.email, emails)).limit(1).get() !== undefined;
}

export function isEmpty(database: Db = db()): boolean {
  return database.select({ id: users.id }).from(users).limit(1).get() === undefined;
}

// The demo data names teams, categories, statuses and people by key; a key it does not
// define is a mistake in the data set, not something to load half of.
function known<K, V>(ids: Map<K, V>, key: K, what: string): V {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`The demo data names an unknown ${what}: ${String(key)}`);
  return id;
}

// Spreads votes over the days between the ask's creation and its last activity,
// deterministically, so "trending" has something to show on every fresh start.
function voteDate(ask: DemoAsk, lastActivity: string, index: number): string {
  const start = Date.parse(ask.createdAt);
  const end = Math.max(Date.parse(lastActivity), start) + 3 * 86_400_000;
  const capped = Math.min(end, Date.now());
  const share = ((index * 7919) % 101) / 100;
  return new Date(start + (capped - start) * share).toISOString();
}

export async function seedDemo(database: Db = db()): Promise<void> {
  // One hash for all demo accounts: they share the documented demo password.
  const passwordHash = await argon2.hash(demoPassword, { type: argon2.argon2id });
  database.transaction(
    (tx) => {
      const teamIds = new Map<string, number>();
      for (const name of demoTeams) {
        const row = tx.insert(teams).values({ name }).returning({ id: teams.id }).get();
        teamIds.set(name, row.id);
      }
      const categoryIds = new Map<string, number>();
      demoCategories.forEach((name, position) => {
        const row = tx.insert(categories).values({ name, position }).returning({ id: categories.id }).get();
        categoryIds.set(name, row.id);
      });
      const statusIds = new Map(
        tx
          .select({ slug: statuses.slug, id: statuses.id })
          .from(statuses)
          .all()
          .map((s) => [s.slug, s.id]),
      );
      const orgIds = new Map<string, number>();
      const userIds = new Map<string, number>();
      for (const u of demoUsers) {
        let organizationId: number | null = null;
        if (u.organization) {
          organizationId =
            orgIds.get(u.organization) ??
            tx.insert(organizations).values({ name: u.organization }).returning({ id: organizations.id }).get().id;
          orgIds.set(u.organization, organizationId);
        }
        const row = tx
          .insert(users)
          .values({
            email: u.email,
            displayName: u.displayName,
            passwordHash,
            role: u.role,
            organizationId,
            teamId: u.team ? known(teamIds, u.team, "team") : null,
            createdAt: "2021-01-04T09:00:00.000Z",
            // Demo addresses are made up (.example) and mail to them stays in the app without
            // SMTP_URL, where it shows what followers are told.
            emailVerifiedAt: "2021-01-04T09:00:00.000Z",
          })
          .returning({ id: users.id })
          .get();
        userIds.set(u.key, row.id);
      }
      const id = (key: string) => known(userIds, key, "person");

      for (const ask of demoAsks) {
        const last = ask.statusUpdates.at(-1);
        // ISO dates sort as text. The list is never empty (it starts with createdAt).
        const lastActivity =
          [ask.createdAt, ...ask.statusUpdates.map((u) => u.date), ...ask.comments.map((c) => c.date)].sort().at(-1) ??
          ask.createdAt;
        const row = tx
          .insert(asks)
          .values({
            title: ask.title,
            slug: slugify(ask.title),
            body: ask.body,
            authorId: id(ask.author),
            categoryId: known(categoryIds, ask.category, "category"),
            statusId: known(statusIds, last?.status ?? "open", "status"),
            teamId: last ? known(teamIds, last.team, "team") : null,
            voteCount: ask.votes.length,
            commentCount: ask.comments.length,
            createdAt: `${ask.createdAt}T10:00:00.000Z`,
            updatedAt: `${lastActivity}T16:00:00.000Z`,
          })
          .returning({ id: asks.id })
          .get();
        ask.votes.forEach((key, i) => {
          tx.insert(votes)
            .values({ askId: row.id, userId: id(key), createdAt: voteDate(ask, lastActivity, i) })
            .run();
        });
        ask.comments.forEach((c, i) => {
          const at = `${c.date}T${String(11 + (i % 8)).padStart(2, "0")}:15:00.000Z`;
          tx.insert(comments)
            .values({ askId: row.id, authorId: id(c.author), body: c.body, createdAt: at })
            .run();
        });
        let from = known(statusIds, "open", "status");
        for (const u of ask.statusUpdates) {
          const to = known(statusIds, u.status, "status");
          const update = tx
            .insert(statusUpdates)
            .values({
              askId: row.id,
              fromStatusId: from,
              toStatusId: to,
              teamId: known(teamIds, u.team, "team"),
              authorId: id(u.author),
              note: u.note,
              aboutDate: u.date,
              recordedAt: `${u.date}T15:00:00.000Z`,
            })
            .returning({ id: statusUpdates.id })
            .get();
          for (const link of u.links ?? []) {
            tx.insert(resolutionLinks)
              .values({ statusUpdateId: update.id, askId: row.id, ...link })
              .run();
          }
          from = to;
        }
      }
      // Authors, voters and commenters follow their asks, as filing, voting and commenting
      // through the models would have made them; the first reason wins.
      tx.run(sql`INSERT INTO ${subscriptions} (ask_id, user_id, reason, created_at)
        SELECT id, author_id, 'filed', created_at FROM ${asks}
        UNION ALL SELECT ask_id, user_id, 'voted', created_at FROM ${votes}
        UNION ALL SELECT ask_id, author_id, 'commented', created_at FROM ${comments} WHERE true
        ON CONFLICT DO NOTHING`);
    },
    { behavior: "immediate" },
  );
}
