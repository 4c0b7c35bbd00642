import { beforeAll, describe, expect, it } from "vitest";
import { setAskHidden } from "~/models/moderation.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import type { User } from "~/models/user.server";
import * as triagePage from "~/routes/triage";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import {
  cookieFor,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  ok,
  route,
  setAskStatus,
  signedIn,
  statusOf,
} from "./helpers";

let counter = 0;

function teamMember() {
  counter += 1;
  return signedIn("team", `Triage Team ${counter}`);
}

let author: User;
beforeAll(async () => {
  author = await makeUser();
});

function newAsk(title: string) {
  counter += 1;
  return makeAsk(author.id, `${title} (${counter})`);
}

function assign(askId: number, member: User, status = "under-review"): void {
  ok(
    recordStatusUpdate({
      askId,
      toStatusId: getStatusBySlug(status)?.id ?? 0,
      teamId: member.teamId ?? 0,
      note: "Assigned for triage.",
      links: [],
      actorId: member.id,
    }),
  );
}

// When an ask was filed and last changed: dates no model lets anyone set.
function setDates(askId: number, dates: { createdAt?: string; updatedAt?: string }): void {
  const sql = db().$client;
  if (dates.createdAt) sql.prepare("UPDATE asks SET created_at = ? WHERE id = ?").run(dates.createdAt, askId);
  if (dates.updatedAt) sql.prepare("UPDATE asks SET updated_at = ? WHERE id = ?").run(dates.updatedAt, askId);
}

function hide(askId: number, moderator: User): void {
  ok(setAskHidden({ askId, reason: "Spam", actorId: moderator.id }));
}

const triage = (query: string, cookie?: string) => route(triagePage, `/triage${query}`).load(cookie);

const queue = (query: string, cookie: string) => loaded(triage(query, cookie));

describe("the triage queue", () => {
  it("is for program teams only: partners get 403, signed-out visitors go to sign in", async () => {
    const partner = await makeUser();
    expect(statusOf(await triage("?view=new", await cookieFor(partner)))).toBe(403);
    const signedOut = await triage("?view=mine");
    expect(locationOf(signedOut)).toBe(`/signin?redirectTo=${encodeURIComponent("/triage?view=mine")}`);
  });

  it("New lists open asks with no team and no status update, oldest first", async () => {
    const { user, cookie } = await teamMember();
    const oldest = newAsk("Explain CPOR to customers");
    const older = newAsk("Show the reason a claim was rejected");
    const assigned = newAsk("Notify the outgoing partner of a CoCP request");
    const closed = newAsk("An ask closed without an update");
    const hidden = newAsk("An ask hidden by a moderator");
    setDates(oldest.id, { createdAt: "2001-01-01T09:00:00.000Z" });
    setDates(older.id, { createdAt: "2001-01-02T09:00:00.000Z" });
    for (const ask of [assigned, closed, hidden]) setDates(ask.id, { createdAt: "2000-06-01T09:00:00.000Z" });
    assign(assigned.id, user);
    setAskStatus(closed.id, "completed");
    hide(hidden.id, user);

    const data = await queue("", cookie);
    expect(data.view).toBe("new");
    const ids = data.asks.map((a) => a.id);
    expect(ids.slice(0, 2)).toEqual([oldest.id, older.id]);
    expect(ids).not.toContain(assigned.id);
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(hidden.id);
    expect(data.total).toBe(
      (
        db()
          .$client.prepare(
            `SELECT count(*) AS n FROM asks JOIN statuses ON statuses.id = asks.status_id
             WHERE asks.team_id IS NULL AND asks.hidden_at IS NULL AND NOT statuses.is_closed
               AND NOT EXISTS (SELECT 1 FROM status_updates WHERE ask_id = asks.id)`,
          )
          .get() as { n: number }
      ).n,
    );

    // Once answered, an ask leaves New even if its team is later taken away again
    // (no model takes a team away yet, so the row is changed directly).
    db().$client.prepare("UPDATE asks SET team_id = NULL WHERE id = ?").run(assigned.id);
    expect((await queue("?view=new", cookie)).asks.map((a) => a.id)).not.toContain(assigned.id);
  });

  it("Assigned to my team lists the team's open asks, the oldest-updated first", async () => {
    const { user, cookie } = await teamMember();
    const other = await teamMember();
    const recent = newAsk("Recently updated ask for the team");
    const waiting = newAsk("Long-waiting ask for the team");
    const done = newAsk("Completed ask of the team");
    const elsewhere = newAsk("Ask of another team");
    assign(recent.id, user);
    assign(waiting.id, user, "planned");
    assign(done.id, user, "completed");
    assign(elsewhere.id, other.user);
    setDates(recent.id, { updatedAt: "2024-03-01T09:00:00.000Z" });
    setDates(waiting.id, { updatedAt: "2023-01-01T09:00:00.000Z" });

    const data = await queue("?view=mine", cookie);
    expect(data.myTeam).toBe(user.team);
    expect(data.asks.map((a) => a.id)).toEqual([waiting.id, recent.id]);
    expect(data.total).toBe(2);
    expect(data.asks[0]?.status.name).toBe("Planned");

    expect((await queue("?view=mine", other.cookie)).asks.map((a) => a.id)).toEqual([elsewhere.id]);
  });

  it("Assigned to my team is empty for a member without a team", async () => {
    const admin = await makeUser({ role: "admin" });
    const data = await queue("?view=mine", await cookieFor(admin));
    expect(data).toMatchObject({ view: "mine", myTeam: null, asks: [], total: 0 });
  });

  it("pages through a long queue", async () => {
    const { user, cookie } = await teamMember();
    for (let i = 0; i < pageSize + 1; i++) assign(newAsk(`Queued ask number ${i}`).id, user);

    const first = await queue("?view=mine", cookie);
    expect(first.asks).toHaveLength(pageSize);
    expect(first.total).toBe(pageSize + 1);
    const second = await queue("?view=mine&page=2", cookie);
    expect(second.page).toBe(2);
    expect(second.asks).toHaveLength(1);
    expect(first.asks.map((a) => a.id)).not.toContain(second.asks[0]?.id);
  });

  it("All open by team counts open asks per team, lists every team, and filters by one", async () => {
    const busy = await teamMember();
    const idle = await teamMember();
    const a = newAsk("First open ask of the busy team");
    const b = newAsk("Second open ask of the busy team");
    const closed = newAsk("Declined ask of the idle team");
    const hidden = newAsk("Hidden ask of the busy team");
    assign(a.id, busy.user);
    assign(b.id, busy.user, "in-progress");
    assign(closed.id, idle.user, "declined");
    assign(hidden.id, busy.user);
    hide(hidden.id, busy.user);

    const all = await queue("?view=by-team", busy.cookie);
    expect(all.team).toBeNull();
    const count = (teamId: number | null) => all.teamCounts.find((c) => c.teamId === teamId)?.count;
    expect(count(busy.user.teamId)).toBe(2);
    expect(count(idle.user.teamId)).toBe(0);
    expect(all.teamCounts.at(-1)).toMatchObject({ teamId: null, team: null });
    const unassigned = db()
      .$client.prepare(
        `SELECT count(*) AS n FROM asks JOIN statuses ON statuses.id = asks.status_id
         WHERE asks.team_id IS NULL AND asks.hidden_at IS NULL AND NOT statuses.is_closed`,
      )
      .get() as { n: number };
    expect(count(null)).toBe(unassigned.n);
    expect(all.total).toBe(all.teamCounts.reduce((sum, c) => sum + c.count, 0));
    // Rows come grouped by team name, the unassigned last.
    const names = all.asks.map((r) => r.team ?? "\uffff");
    expect(names).toEqual([...names].sort());

    const filtered = await queue(`?view=by-team&team=${busy.user.teamId}`, busy.cookie);
    expect(filtered.team).toBe(busy.user.teamId);
    expect(filtered.asks.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(filtered.asks.every((r) => r.team === busy.user.team)).toBe(true);

    const none = await queue("?view=by-team&team=none", busy.cookie);
    expect(none.total).toBe(unassigned.n);
    expect(none.asks.every((r) => r.teamId === null)).toBe(true);

    expect((await queue(`?view=by-team&team=${idle.user.teamId}`, busy.cookie)).asks).toEqual([]);
  });

  it("marks asks that were resolved with a link", async () => {
    const { user, cookie } = await teamMember();
    const resolved = newAsk("An ask answered with a docs page");
    const open = newAsk("An ask still without an answer");
    ok(
      recordStatusUpdate({
        askId: resolved.id,
        toStatusId: getStatusBySlug("in-progress")?.id ?? 0,
        teamId: user.teamId ?? 0,
        note: "A first page is published; more to come.",
        links: [{ url: "https://example.com/docs", title: "Docs" }],
        actorId: user.id,
      }),
    );
    assign(open.id, user);
    const rows = (await queue("?view=mine", cookie)).asks;
    expect(rows.map((r) => [r.id, r.hasResolution]).sort()).toEqual(
      [
        [resolved.id, true],
        [open.id, false],
      ].sort(),
    );
  });
});
