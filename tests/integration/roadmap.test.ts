import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAsk } from "~/models/ask.server";
import { createCategory } from "~/models/category.server";
import { mergeAsk } from "~/models/merge.server";
import { setAskHidden } from "~/models/moderation.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { createTeam } from "~/models/team.server";
import type { User } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as statusesPage from "~/routes/admin.statuses";
import * as roadmapPage from "~/routes/roadmap";
import type { FormReply } from "~/validation/intent";
import { utcDate } from "~/validation/status-update";
import { db } from "../../db/client";
import { cookieFor, insertUsers, loaded, makeUser, ok, replyData, route, setAskStatus, statusOf } from "./helpers";

type Roadmap = Awaited<ReturnType<typeof roadmapPage.loader>>;
type Column = Roadmap["columns"][number];

let admin: User;
let adminCookie: string;
let member: User;
let teamId: number;
let voters: number[];
let counter = 0;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  adminCookie = await cookieFor(admin);
  member = await makeUser({ role: "team", team: "Roadmap Team" });
  const team = createTeam({ name: "Partner Support Team", actorId: admin.id });
  if (!team.ok) throw new Error(team.reason);
  teamId = team.id;
  voters = insertUsers(10, "roadmap-voter");
});

function statusNamed(slug: string) {
  const status = getStatusBySlug(slug);
  if (!status) throw new Error(`no status ${slug}`);
  return status;
}

// Each test files its asks under a category of its own and filters the roadmap by it.
function newCategory(): number {
  counter += 1;
  const result = createCategory({ name: `Roadmap category ${counter}`, actorId: admin.id });
  if (!result.ok) throw new Error(result.reason);
  return result.id;
}

function daysAgo(days: number): string {
  return utcDate(new Date(Date.now() - days * 86_400_000));
}

type AskSpec = { title: string; status?: string; votes?: number; updatedDaysAgo?: number };

// An ask filed 400 days ago with `votes` real votes, moved to `status` without a status update.
function fileAsk(categoryId: number, spec: AskSpec) {
  const ask = ok(createAsk({ title: spec.title, body: "Partners need this.", categoryId, authorId: admin.id }));
  for (const voter of voters.slice(0, spec.votes ?? 0)) castVote({ askId: ask.id, userId: voter });
  const updatedAt = `${daysAgo(spec.updatedDaysAgo ?? 1)}T12:00:00.000Z`;
  // Filed and changed long ago: dates no model lets anyone set.
  db()
    .$client.prepare("UPDATE asks SET created_at = ?, updated_at = ? WHERE id = ?")
    .run(`${daysAgo(400)}T09:00:00.000Z`, updatedAt, ask.id);
  if (spec.status) setAskStatus(ask.id, spec.status);
  return ask;
}

function postUpdate(askId: number, status: string, aboutDate: string) {
  return recordStatusUpdate({
    askId,
    toStatusId: statusNamed(status).id,
    teamId,
    note: `Moved to ${status}.`,
    aboutDate,
    links: [],
    actorId: member.id,
  });
}

const roadmap = (query: string, cookie?: string) => loaded(route(roadmapPage, `/roadmap${query}`).load(cookie));

function column(data: Roadmap, name: Column["column"]): Column {
  const found = data.columns.find((c) => c.column === name);
  if (!found) throw new Error(`no ${name} column`);
  return found;
}

function titles(data: Roadmap): Record<Column["column"], string[]> {
  return Object.fromEntries(data.columns.map((c) => [c.column, c.cards.map((card) => card.title)])) as Record<
    Column["column"],
    string[]
  >;
}

describe("roadmap", () => {
  it("is titled for the tab", () => {
    // The page's meta reads nothing of its arguments.
    expect(roadmapPage.meta({} as Parameters<typeof roadmapPage.meta>[0])).toContainEqual({
      title: "Roadmap · Asklog",
    });
  });

  it("shows planned and in-progress asks by votes and recently completed ones, with their details", async () => {
    const category = newCategory();
    fileAsk(category, { title: "Planned, few votes", status: "planned", votes: 1 });
    const top = fileAsk(category, { title: "Planned, most votes", status: "planned", votes: 5 });
    postUpdate(top.id, "planned", daysAgo(3));
    fileAsk(category, { title: "Being built", status: "in-progress", votes: 2 });
    fileAsk(category, { title: "Shipped last week", status: "completed", updatedDaysAgo: 7 });
    fileAsk(category, { title: "Still open", votes: 9 });
    fileAsk(category, { title: "Under review", status: "under-review", votes: 9 });
    fileAsk(category, { title: "Declined", status: "declined", updatedDaysAgo: 1 });

    const data = await roadmap(`?category=${category}`);
    expect(data.columns.map((c) => c.column)).toEqual(["planned", "in-progress", "completed"]);
    expect(titles(data)).toEqual({
      planned: ["Planned, most votes", "Planned, few votes"],
      "in-progress": ["Being built"],
      completed: ["Shipped last week"],
    });
    expect(column(data, "planned")).toMatchObject({
      total: 2,
      statuses: [{ slug: "planned", name: "Planned" }],
      cards: [
        {
          id: top.id,
          slug: top.slug,
          voteCount: 5,
          team: "Partner Support Team",
          category: `Roadmap category ${counter}`,
          status: { slug: "planned", name: "Planned" },
          changedOn: daysAgo(3),
        },
        { voteCount: 1, team: null },
      ],
    });
    expect(data.filter).toEqual({ category: String(category), days: 90 });
  });

  it("filters by category, and shows every category without one", async () => {
    const mine = newCategory();
    const other = newCategory();
    fileAsk(mine, { title: "Planned in mine", status: "planned" });
    fileAsk(other, { title: "Planned in the other", status: "planned" });

    expect(titles(await roadmap(`?category=${mine}`)).planned).toEqual(["Planned in mine"]);
    expect(titles(await roadmap(`?category=${other}`)).planned).toEqual(["Planned in the other"]);
    const everything = titles(await roadmap(""));
    expect(everything.planned).toEqual(expect.arrayContaining(["Planned in mine", "Planned in the other"]));
    // A category that does not exist is no filter, like in the asks list.
    expect((await roadmap("?category=999999")).filter.category).toBe("");
  });

  it("keeps completed asks for 90 days after their latest status update, newest first", async () => {
    const category = newCategory();
    const month = fileAsk(category, { title: "Completed a month ago" });
    postUpdate(month.id, "completed", daysAgo(30));
    const quarter = fileAsk(category, { title: "Completed 100 days ago", updatedDaysAgo: 2 });
    // Recorded this week, about a day 100 days back: the date it is about counts.
    postUpdate(quarter.id, "completed", daysAgo(100));
    fileAsk(category, { title: "Completed without updates, 10 days ago", status: "completed", updatedDaysAgo: 10 });
    fileAsk(category, { title: "Completed without updates, 200 days ago", status: "completed", updatedDaysAgo: 200 });
    const reopened = fileAsk(category, { title: "Completed long ago, noted this week" });
    postUpdate(reopened.id, "completed", daysAgo(300));
    postUpdate(reopened.id, "completed", daysAgo(5));

    expect(titles(await roadmap(`?category=${category}`)).completed).toEqual([
      "Completed long ago, noted this week",
      "Completed without updates, 10 days ago",
      "Completed a month ago",
    ]);
    expect(titles(await roadmap(`?category=${category}&days=180`)).completed).toEqual([
      "Completed long ago, noted this week",
      "Completed without updates, 10 days ago",
      "Completed a month ago",
      "Completed 100 days ago",
    ]);
    // Only the offered windows: anything else is the default.
    expect((await roadmap(`?category=${category}&days=5000`)).filter.days).toBe(90);
    expect(column(await roadmap(`?category=${category}`), "completed").cards[2]?.changedOn).toBe(daysAgo(30));
  });

  it("never shows hidden or merged asks, not even to moderators", async () => {
    const category = newCategory();
    const hidden = fileAsk(category, { title: "Hidden plan", status: "planned", votes: 3 });
    setAskHidden({ askId: hidden.id, reason: "Posted by mistake", actorId: member.id });
    const original = fileAsk(category, { title: "The original", status: "planned", votes: 1 });
    const duplicate = fileAsk(category, { title: "The duplicate", votes: 4 });
    expect(mergeAsk({ askId: duplicate.id, targetId: original.id, actorId: member.id })).toEqual({ ok: true });
    // The team closes out both; the duplicate stays merged.
    postUpdate(duplicate.id, "completed", daysAgo(0));
    postUpdate(original.id, "completed", daysAgo(0));

    for (const cookie of [undefined, await cookieFor(member)]) {
      expect(titles(await roadmap(`?category=${category}`, cookie))).toEqual({
        planned: [],
        "in-progress": [],
        completed: ["The original"],
      });
    }
  });

  it("caps each column, counts the rest and links to the asks list filtered by status", async () => {
    const category = newCategory();
    for (let i = 0; i < 52; i++) fileAsk(category, { title: `Planned ask ${i}`, status: "planned" });
    fileAsk(category, { title: "Nearly done", status: "in-progress" });

    const data = await roadmap(`?category=${category}`);
    const planned = column(data, "planned");
    expect(planned.cards).toHaveLength(50);
    expect(planned.total).toBe(52);
    expect(planned.statuses).toEqual([{ slug: "planned", name: "Planned" }]);
    expect(column(data, "in-progress")).toMatchObject({ total: 1, cards: [{ title: "Nearly done" }] });
  });

  it("runs the same few queries however many asks there are", async () => {
    const small = newCategory();
    fileAsk(small, { title: "A lone plan", status: "planned" });
    const large = newCategory();
    for (let i = 0; i < 60; i++) {
      const ask = fileAsk(large, { title: `Busy ask ${i}`, status: ["planned", "in-progress"][i % 2], votes: i % 4 });
      if (i % 3 === 0) postUpdate(ask.id, "completed", daysAgo(i));
    }
    const prepare = vi.spyOn(db().$client, "prepare");
    const queries = async (category: number) => {
      prepare.mockClear();
      const data = await roadmap(`?category=${category}`);
      return { count: prepare.mock.calls.length, cards: data.columns.flatMap((c) => c.cards).length };
    };
    try {
      const few = await queries(small);
      const many = await queries(large);
      expect(few.cards).toBe(1);
      expect(many.cards).toBe(60);
      // Categories, the roadmap statuses, and one query per column.
      expect(many.count).toBe(few.count);
      expect(many.count).toBeLessThanOrEqual(5);
    } finally {
      prepare.mockRestore();
    }
  });
});

describe("roadmap column of a status", () => {
  const save = (fields: Record<string, string>) => route(statusesPage, "/admin/statuses").post(fields, adminCookie);

  function audit(statusId: number) {
    return (
      db()
        .$client.prepare(
          "SELECT action, before, after FROM audit_entries WHERE subject_type = 'status' AND subject_id = ? ORDER BY id",
        )
        .all(statusId) as { action: string; before: string | null; after: string | null }[]
    ).map((a) => ({ ...a, before: a.before && JSON.parse(a.before), after: a.after && JSON.parse(a.after) }));
  }

  it("is set by an admin, moves the status's asks between columns, and is audited", async () => {
    const category = newCategory();
    fileAsk(category, { title: "Being reviewed", status: "under-review", votes: 2 });
    const review = statusNamed("under-review");
    expect(review).toMatchObject({ roadmapColumn: null });
    const update = (roadmapColumn: string) =>
      save({
        intent: "update",
        id: String(review.id),
        name: review.name,
        color: review.color,
        acceptsVotes: "on",
        roadmapColumn,
      });
    const where = async () =>
      Object.entries(titles(await roadmap(`?category=${category}`)))
        .filter(([, cards]) => cards.includes("Being reviewed"))
        .map(([name]) => name);

    expect(await where()).toEqual([]);
    expect(statusOf(await update("planned"))).toBe(302);
    expect(await where()).toEqual(["planned"]);
    expect(column(await roadmap(`?category=${category}`), "planned").statuses).toEqual([
      { slug: "under-review", name: "Under review" },
      { slug: "planned", name: "Planned" },
    ]);
    expect(statusOf(await update("in-progress"))).toBe(302);
    expect(await where()).toEqual(["in-progress"]);
    expect(statusOf(await update(""))).toBe(302);
    expect(await where()).toEqual([]);

    expect(audit(review.id)).toEqual([
      { action: "status.update", before: { roadmapColumn: null }, after: { roadmapColumn: "planned" } },
      { action: "status.update", before: { roadmapColumn: "planned" }, after: { roadmapColumn: "in-progress" } },
      { action: "status.update", before: { roadmapColumn: "in-progress" }, after: { roadmapColumn: null } },
    ]);
  });

  it("is chosen for a new status, refused when not one of the columns, and kept by a form without it", async () => {
    const category = newCategory();
    expect(
      statusOf(await save({ intent: "create", name: "Accepted", color: "#0550ae", roadmapColumn: "in-progress" })),
    ).toBe(302);
    const accepted = statusNamed("accepted");
    expect(accepted).toMatchObject({ roadmapColumn: "in-progress" });
    expect(audit(accepted.id)).toEqual([
      {
        action: "status.create",
        before: null,
        after: {
          slug: "accepted",
          name: "Accepted",
          color: "#0550ae",
          isClosed: false,
          acceptsVotes: false,
          roadmapColumn: "in-progress",
        },
      },
    ]);
    fileAsk(category, { title: "Accepted ask", status: "accepted" });
    expect(titles(await roadmap(`?category=${category}`))["in-progress"]).toEqual(["Accepted ask"]);

    const refused = await save({
      intent: "update",
      id: String(accepted.id),
      name: "Accepted",
      color: "#0550ae",
      roadmapColumn: "someday",
    });
    expect(statusOf(refused)).toBe(400);
    expect(replyData<FormReply>(refused).errors.roadmapColumn).toBe("Choose one of the listed roadmap columns.");

    // A rename from a form that has no roadmap field leaves the column alone.
    expect(statusOf(await save({ intent: "update", id: String(accepted.id), name: "Agreed", color: "#0550ae" }))).toBe(
      302,
    );
    expect(getStatusBySlug("accepted")).toMatchObject({ name: "Agreed", roadmapColumn: "in-progress" });

    const { rows: statuses } = await loaded(route(statusesPage, "/admin/statuses").load(adminCookie));
    expect(statuses.find((s) => s.slug === "accepted")).toMatchObject({ roadmapColumn: "in-progress" });
  });
});
