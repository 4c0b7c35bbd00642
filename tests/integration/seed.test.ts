import { beforeAll, describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { listComments } from "~/models/comment.server";
import { runImport } from "~/models/import.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { followerIds } from "~/models/subscription.server";
import { verifyLogin } from "~/models/user.server";
import * as askPage from "~/routes/asks.$ask";
import { openImportSource } from "~/services/import-source.server";
import { db } from "../../db/client";
import { demoDataPath, demoPassword, demoSignIns, hasDemoSignIns, isEmpty, seedDemo } from "../../db/seed";
import { loaded, route } from "./helpers";

// The SQL names the columns T describes.
function all<T>(sql: string, ...params: unknown[]): T[] {
  return db()
    .$client.prepare(sql)
    .all(...params) as T[];
}

function one<T>(sql: string, ...params: unknown[]): T {
  const [row, ...more] = all<T>(sql, ...params);
  if (row === undefined || more.length) throw new Error(`Expected one row from: ${sql}`);
  return row;
}

describe("the demo data set", () => {
  let cpor: { id: number; slug: string };

  beforeAll(async () => {
    expect(isEmpty()).toBe(true);
    await seedDemo();
    cpor = one<{ id: number; slug: string }>(
      "SELECT id, slug FROM asks WHERE title LIKE 'A customer-facing page that explains CPOR%'",
    );
  });

  it("loads the demo sign-ins, each of which signs in with the demo password", async () => {
    expect(isEmpty()).toBe(false);
    expect(hasDemoSignIns()).toBe(true);
    for (const { email } of demoSignIns) {
      expect((await verifyLogin(email, demoPassword))?.email, email).toBe(email);
    }
    // Every demo person is an account of their own, none an unclaimed placeholder.
    expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE placeholder = 1").n).toBe(0);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE email_verified_at IS NULL").n).toBe(0);
  });

  it("goes in through the importer, so importing the file again changes nothing", async () => {
    expect(one<{ n: number }>("SELECT count(*) AS n FROM asks WHERE source_ref IS NULL").n).toBe(0);
    const before = one<{ n: number }>("SELECT count(*) AS n FROM comments").n;
    const again = await runImport({ source: await openImportSource(demoDataPath), actorId: null });
    expect(again.errors).toEqual([]);
    for (const [kind, count] of Object.entries(again.counts)) {
      expect({ kind, ...count }).toEqual({ kind, created: 0, updated: 0, unchanged: count.unchanged });
    }
    expect(again.counts.asks.unchanged).toBeGreaterThanOrEqual(31);
    expect(one<{ n: number }>("SELECT count(*) AS n FROM comments").n).toBe(before);
  });

  it("lists the demo categories in the order the file gives them", () => {
    const names = all<{ name: string }>("SELECT name FROM categories ORDER BY position, id").map((c) => c.name);
    expect(names.filter((n) => n !== "General")).toEqual([
      "Partner Center",
      "Partner of Record",
      "Change of Channel Partner",
      "Incentives and rebates",
      "Programs and benefits",
      "Documentation and training",
    ]);
  });

  it("contains the CPOR ask from the design brief", () => {
    const asks = all<{ title: string }>("SELECT title FROM asks WHERE title LIKE '%CPOR%' AND title LIKE '%POE%'");
    expect(asks).toHaveLength(1);
    expect(asks[0]?.title).toContain("CPOR");
    expect(cpor).toBeDefined();
  });

  it("gives the CPOR ask 6 votes, the Completed status and its resolution link", async () => {
    const param = `${cpor.id}-${cpor.slug}`;
    const page = await loaded(route(askPage, `/asks/${param}`, { ask: param }).load());
    expect(page.ask.voteCount).toBe(6);
    expect(all("SELECT 1 FROM votes WHERE ask_id = ?", cpor.id)).toHaveLength(6);
    expect(page.ask.status.name).toBe("Completed");
    expect(page.ask.status.slug).toBe("completed");
    expect(page.ask.resolutionLinks.map((l) => l.url)).toEqual(["https://aka.ms/about-cpor"]);
  });

  it("shows its 3 status updates oldest first, by Assignment Team, EPX and Program team", () => {
    const updates = listStatusUpdates(cpor.id);
    expect(updates.map((u) => u.aboutDate)).toEqual(["2021-04-27", "2021-05-11", "2021-07-23"]);
    expect(updates.map((u) => u.team)).toEqual(["Assignment Team", "EPX", "Program team"]);
    expect(updates.at(-1)?.toStatus.name).toBe("Completed");
    expect(updates.at(-1)?.links.map((l) => l.url)).toEqual(["https://aka.ms/about-cpor"]);
    expect(updates[0]?.links).toEqual([]);
  });

  it("has 6 comments on the CPOR ask, one from a partner at Dell", () => {
    const comments = listComments(cpor.id);
    expect(comments).toHaveLength(6);
    expect(comments.filter((c) => c.organization === "Dell")).toHaveLength(1);
    expect(one<{ n: number }>("SELECT comment_count AS n FROM asks WHERE id = ?", cpor.id).n).toBe(6);
    const dates = comments.map((c) => c.createdAt);
    expect(dates).toEqual([...dates].sort());
  });

  it("has at least 31 asks covering all seven statuses", () => {
    const { n } = one<{ n: number }>("SELECT count(*) AS n FROM asks");
    expect(n).toBeGreaterThanOrEqual(31);
    const used = all<{ slug: string }>(
      "SELECT DISTINCT s.slug FROM asks a JOIN statuses s ON s.id = a.status_id ORDER BY s.position",
    ).map((s) => s.slug);
    expect(used).toEqual(["open", "under-review", "planned", "in-progress", "completed", "declined", "duplicate"]);
    for (const status of used) {
      expect(listAsks({ sort: "top", status, page: 1 }).total, status).toBeGreaterThan(0);
    }
  });

  it("keeps every ask's vote and comment counts equal to the real rows", () => {
    const mismatches = all(
      `SELECT a.id, a.vote_count, a.comment_count,
              (SELECT count(*) FROM votes v WHERE v.ask_id = a.id) AS votes,
              (SELECT count(*) FROM comments c WHERE c.ask_id = a.id AND c.deleted_at IS NULL) AS comments
       FROM asks a
       WHERE a.vote_count <> (SELECT count(*) FROM votes v WHERE v.ask_id = a.id)
          OR a.comment_count <> (SELECT count(*) FROM comments c WHERE c.ask_id = a.id AND c.deleted_at IS NULL)`,
    );
    expect(mismatches).toEqual([]);
    const { votes } = one<{ votes: number }>("SELECT sum(vote_count) AS votes FROM asks");
    expect(votes).toBeGreaterThan(0);
  });

  it("has every ask's author, voters and commenters follow it, so a status update reaches them", () => {
    const people = all<{ userId: number }>(
      `SELECT author_id AS userId FROM asks WHERE id = ?
       UNION SELECT user_id FROM votes WHERE ask_id = ?
       UNION SELECT author_id FROM comments WHERE ask_id = ?`,
      cpor.id,
      cpor.id,
      cpor.id,
    ).map((p) => p.userId);
    expect(people.length).toBeGreaterThan(6);
    expect(followerIds(cpor.id).sort()).toEqual(people.sort());
    const notFollowing = all(
      `SELECT p.ask_id, p.user_id FROM (
         SELECT id AS ask_id, author_id AS user_id FROM asks
         UNION SELECT ask_id, user_id FROM votes
         UNION SELECT ask_id, author_id FROM comments) p
       WHERE NOT EXISTS (SELECT 1 FROM subscriptions s
         WHERE s.ask_id = p.ask_id AND s.user_id = p.user_id AND s.unfollowed_at IS NULL)`,
    );
    expect(notFollowing).toEqual([]);
  });
});
