import { describe, expect, it } from "vitest";
import { getAsk, listAsks } from "~/models/ask.server";
import { getStatusBySlug } from "~/models/status.server";
import { listStatusUpdates, recordStatusUpdate } from "~/models/status-update.server";
import type { User } from "~/models/user.server";
import * as statusPage from "~/routes/asks.$ask_.status";
import { parseSearchQuery } from "~/services/search-query.server";
import type { FormReply } from "~/validation/intent";
import { type ResolutionLink, utcDate } from "~/validation/status-update";
import { db } from "../../db/client";
import { loaded, locationOf, makeAsk, makeUser, ok, replyData, route, signedIn, statusOf } from "./helpers";

let counter = 0;

// A program team member on a team of their own, so tests do not see each other's asks.
async function teamMember(team?: string): Promise<{ user: User; cookie: string }> {
  counter += 1;
  return signedIn("team", team ?? `Status Team ${counter}`);
}

function statusId(slug: string): number {
  const status = getStatusBySlug(slug);
  if (!status) throw new Error(`no status ${slug}`);
  return status.id;
}

function teamOf(user: User): number {
  if (!user.teamId) throw new Error(`${user.displayName} is on no team`);
  return user.teamId;
}

function daysFromToday(days: number): string {
  return utcDate(new Date(Date.now() + days * 86_400_000));
}

type StoredAsk = { statusId: number; teamId: number | null; updatedAt: string };

function storedAsk(askId: number): StoredAsk {
  return db()
    .$client.prepare("SELECT status_id AS statusId, team_id AS teamId, updated_at AS updatedAt FROM asks WHERE id = ?")
    .get(askId) as StoredAsk;
}

type StoredUpdate = {
  id: number;
  fromStatusId: number | null;
  toStatusId: number;
  teamId: number | null;
  note: string;
  aboutDate: string;
  recordedAt: string;
  editedAt: string | null;
};

function storedUpdates(askId: number): StoredUpdate[] {
  return db()
    .$client.prepare(
      `SELECT id, from_status_id AS fromStatusId, to_status_id AS toStatusId, team_id AS teamId, note,
        about_date AS aboutDate, recorded_at AS recordedAt, edited_at AS editedAt
       FROM status_updates WHERE ask_id = ? ORDER BY id`,
    )
    .all(askId) as StoredUpdate[];
}

function storedLinks(askId: number): { statusUpdateId: number; url: string; title: string }[] {
  return db()
    .$client.prepare(
      "SELECT status_update_id AS statusUpdateId, url, title FROM resolution_links WHERE ask_id = ? ORDER BY id",
    )
    .all(askId) as { statusUpdateId: number; url: string; title: string }[];
}

type StoredAudit = {
  actorId: number;
  action: string;
  subjectType: string;
  before: string | null;
  after: string | null;
};

function auditFor(askId: number): StoredAudit[] {
  return db()
    .$client.prepare(
      `SELECT actor_id AS actorId, action, subject_type AS subjectType, before, after
       FROM audit_entries WHERE subject_type = 'ask' AND subject_id = ? ORDER BY id`,
    )
    .all(askId) as StoredAudit[];
}

// An ask filed 400 days ago, so updates can be back-dated into its history.
async function olderAsk() {
  const author = await makeUser();
  counter += 1;
  const title = `An older ask about partner rebates (case ${counter})`;
  const ask = makeAsk(author.id, title);
  const filed = daysFromToday(-400);
  db()
    .$client.prepare("UPDATE asks SET created_at = ?, updated_at = ? WHERE id = ?")
    .run(`${filed}T09:00:00.000Z`, `${filed}T09:00:00.000Z`, ask.id);
  const path = `/asks/${ask.id}-${ask.slug}`;
  const statusPath = `${path}/status`;
  // ?update=ID opens an update for editing; the form posts to the bare address.
  const page = (query = "") => route(statusPage, `${statusPath}${query}`, { ask: `${ask.id}-${ask.slug}` });
  return { ask, title, filed, path, statusPath, page };
}

function update(
  fields: { status: string; teamId: number; note?: string; aboutDate?: string } & Record<
    string,
    string | number | undefined
  >,
) {
  const { status, teamId: team, note, aboutDate, ...rest } = fields;
  return {
    intent: "create",
    statusId: String(statusId(status)),
    teamId: String(team),
    note: note ?? "Assigned to the team for triage.",
    aboutDate: aboutDate ?? utcDate(),
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v ?? "")])),
  };
}

describe("recording a status update", () => {
  it("stores the update, moves the ask's status, team and updatedAt, and audits it", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const before = storedAsk(target.ask.id);
    expect(before.teamId).toBeNull();

    const result = await target
      .page()
      .post(update({ status: "under-review", teamId: teamOf(user), note: "Assigned to the **EPX** team." }), cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${target.path}#status-details`);

    const after = storedAsk(target.ask.id);
    expect(after.statusId).toBe(statusId("under-review"));
    expect(after.teamId).toBe(user.teamId);
    expect(after.updatedAt > before.updatedAt).toBe(true);
    const ask = getAsk(target.ask.id);
    expect(ask?.status.name).toBe("Under review");
    expect(ask?.team).toBe(user.team);

    const [stored] = storedUpdates(target.ask.id);
    expect(stored).toMatchObject({
      fromStatusId: statusId("open"),
      toStatusId: statusId("under-review"),
      teamId: user.teamId,
      note: "Assigned to the **EPX** team.",
      aboutDate: utcDate(),
      editedAt: null,
    });
    const [shown] = listStatusUpdates(target.ask.id);
    expect(shown).toMatchObject({ author: user.displayName, team: user.team, fromStatus: "Open" });
    expect(shown?.toStatus.name).toBe("Under review");

    const [audit] = auditFor(target.ask.id);
    expect(audit).toMatchObject({ actorId: user.id, action: "status_update.create", subjectType: "ask" });
    expect(JSON.parse(audit?.before ?? "null")).toEqual({ statusId: statusId("open"), teamId: null });
    expect(JSON.parse(audit?.after ?? "null")).toMatchObject({
      statusId: statusId("under-review"),
      teamId: user.teamId,
      statusUpdate: { id: stored?.id, note: "Assigned to the **EPX** team.", aboutDate: utcDate(), links: [] },
    });
  });

  it("lists history by the date it is about; a back-dated update keeps recordedAt as now and does not roll the ask back", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const team = teamOf(user);

    await target
      .page()
      .post(update({ status: "planned", teamId: team, note: "Planned for the spring release." }), cookie);
    const startedAt = new Date().toISOString();
    const backDated = daysFromToday(-300);
    const result = await target
      .page()
      .post(
        update({ status: "under-review", teamId: team, note: "Imported: assigned for triage.", aboutDate: backDated }),
        cookie,
      );
    expect(statusOf(result)).toBe(302);

    const history = listStatusUpdates(target.ask.id);
    expect(history.map((u) => [u.aboutDate, u.toStatus.name])).toEqual([
      [backDated, "Under review"],
      [utcDate(), "Planned"],
    ]);
    expect((history[0]?.recordedAt ?? "") >= startedAt).toBe(true);
    expect(history[0]?.recordedAt.slice(0, 10)).toBe(utcDate());
    // The ask stays where its history ends.
    expect(getAsk(target.ask.id)?.status.name).toBe("Planned");
  });

  it("appends a same-status update as a note without changing the status", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const team = teamOf(user);
    await target.page().post(update({ status: "in-progress", teamId: team, note: "Work has started." }), cookie);
    const result = await target
      .page()
      .post(update({ status: "in-progress", teamId: team, note: "Still on track for June." }), cookie);
    expect(statusOf(result)).toBe(302);

    expect(getAsk(target.ask.id)?.status.name).toBe("In progress");
    const history = listStatusUpdates(target.ask.id);
    expect(history.map((u) => u.note)).toEqual(["Work has started.", "Still on track for June."]);
    expect(history[1]).toMatchObject({ fromStatus: "In progress", toStatus: { name: "In progress" } });
  });

  it("defaults the date to today when it is left empty", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    await target.page().post(update({ status: "planned", teamId: teamOf(user), aboutDate: "" }), cookie);
    expect(storedUpdates(target.ask.id)[0]?.aboutDate).toBe(utcDate());
  });

  it("refuses a date in the future, an impossible date and one before the ask was filed, keeping the input", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const cases: [string, string][] = [
      [daysFromToday(2), "The date cannot be in the future."],
      ["2021-02-30", "Enter a real date as YYYY-MM-DD."],
      ["27/04/2021", "Enter a real date as YYYY-MM-DD."],
      [daysFromToday(-401), `The date cannot be before the ask was filed (${target.filed}).`],
    ];
    for (const [aboutDate, message] of cases) {
      const fields = update({ status: "planned", teamId: teamOf(user), note: "Kept note", aboutDate });
      const result = await target.page().post(fields, cookie);
      expect(statusOf(result)).toBe(400);
      const reply = replyData<FormReply>(result);
      expect(reply.errors.aboutDate).toBe(message);
      expect(reply.values).toMatchObject({ note: "Kept note", aboutDate });
    }
    expect(storedUpdates(target.ask.id)).toEqual([]);
    expect(storedAsk(target.ask.id).statusId).toBe(statusId("open"));
  });

  it("requires a status, a team and a note, and refuses ids that do not exist", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();

    const empty = await target.page().post({ intent: "create", statusId: "", teamId: "", note: "  " }, cookie);
    expect(statusOf(empty)).toBe(400);
    expect(replyData<FormReply>(empty).errors).toMatchObject({
      statusId: "Choose the new status.",
      teamId: "Choose a team.",
      note: "Write a note about this update.",
    });

    const long = await target
      .page()
      .post(update({ status: "planned", teamId: teamOf(user), note: "x".repeat(5001) }), cookie);
    expect(replyData<FormReply>(long).errors.note).toBe("The note must be at most 5,000 characters.");

    const noStatus = await target
      .page()
      .post({ ...update({ status: "planned", teamId: teamOf(user) }), statusId: "999999" }, cookie);
    expect(statusOf(noStatus)).toBe(400);
    expect(replyData<FormReply>(noStatus).errors.statusId).toBe("Choose one of the listed statuses.");

    const noTeam = await target.page().post(update({ status: "planned", teamId: 999999 }), cookie);
    expect(statusOf(noTeam)).toBe(400);
    expect(replyData<FormReply>(noTeam).errors.teamId).toBe("Choose one of the listed teams.");
    expect(replyData<FormReply>(noTeam).values.note).toBe("Assigned to the team for triage.");

    expect(storedUpdates(target.ask.id)).toEqual([]);
    expect(auditFor(target.ask.id)).toEqual([]);
  });

  it("refuses link URLs that are not web addresses, and half-filled link rows, next to the right field", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const fields = update({
      status: "completed",
      teamId: teamOf(user),
      "links.0.url": "javascript:alert(1)",
      "links.0.title": "Click me",
      "links.1.url": "data:text/html,<script>alert(1)</script>",
      "links.1.title": "Data",
      "links.2.url": "/asks/1",
      "links.2.title": "Relative",
      "links.3.url": "https://aka.ms/about-cpor",
      "links.4.title": "A title without a URL",
    });
    const result = await target.page().post(fields, cookie);
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    const notWeb = "Enter a full web address starting with https:// or http://.";
    expect(reply.errors).toMatchObject({
      "links.0.url": notWeb,
      "links.1.url": notWeb,
      "links.2.url": notWeb,
      "links.3.title": "Give the link a title.",
      "links.4.url": "Enter the link's URL.",
    });
    expect(reply.errors["links.0.title"]).toBeUndefined();
    expect(reply.values["links.0.url"]).toBe("javascript:alert(1)");
    expect(reply.values["links.4.title"]).toBe("A title without a URL");

    const tooLong = await target.page().post(
      update({
        status: "completed",
        teamId: teamOf(user),
        "links.0.url": `https://example.com/${"a".repeat(2000)}`,
        "links.0.title": "t".repeat(201),
      }),
      cookie,
    );
    expect(replyData<FormReply>(tooLong).errors).toMatchObject({
      "links.0.url": "The URL must be at most 2,000 characters.",
      "links.0.title": "The link title must be at most 200 characters.",
    });

    expect(storedUpdates(target.ask.id)).toEqual([]);
    expect(storedLinks(target.ask.id)).toEqual([]);
  });

  it("stores valid resolution links with the update and shows them on the ask and in lists", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const result = await target.page().post(
      update({
        status: "completed",
        teamId: teamOf(user),
        note: "Completed: a customer-facing page now describes CPOR.",
        "links.0.url": " https://aka.ms/about-cpor ",
        "links.0.title": " About CPOR ",
        "links.2.url": "http://example.com/release-notes",
        "links.2.title": "Release notes",
      }),
      cookie,
    );
    expect(statusOf(result)).toBe(302);

    const expected = [
      { url: "https://aka.ms/about-cpor", title: "About CPOR" },
      { url: "http://example.com/release-notes", title: "Release notes" },
    ];
    expect(getAsk(target.ask.id)?.resolutionLinks).toEqual(expected);
    expect(listStatusUpdates(target.ask.id)[0]?.links).toEqual(expected);
    const phrase = (title: string) => ok(parseSearchQuery(`"${title}"`)).match;
    const resolved = listAsks({ sort: "newest", match: phrase(target.title), page: 1 }).asks;
    expect(resolved.map((a) => [a.id, a.hasResolution])).toEqual([[target.ask.id, true]]);
    const other = await olderAsk();
    const open = listAsks({ sort: "newest", match: phrase(other.title), page: 1 }).asks;
    expect(open.map((a) => [a.id, a.hasResolution])).toEqual([[other.ask.id, false]]);
  });
});

describe("the status update page", () => {
  it("shows a fresh form with the member's team and today's date", async () => {
    const target = await olderAsk();
    const { user, cookie } = await teamMember();
    const data = await loaded(target.page().load(cookie));
    expect(data.updateId).toBeUndefined();
    expect(data.defaults).toEqual({ statusId: null, teamId: user.teamId, note: "", aboutDate: utcDate(), links: [] });
    expect(data.minDate).toBe(target.filed);
    expect(data.statuses.map((s) => s.name)).toContain("Under review");
    expect(data.teams.map((t) => t.id)).toContain(user.teamId);
  });

  it("lets nobody but the team in: partners get 403 and signed-out visitors go to sign in", async () => {
    const target = await olderAsk();
    const { cookie: partnerCookie } = await signedIn();
    const { user } = await teamMember();

    expect(statusOf(await target.page().load(partnerCookie))).toBe(403);
    const posted = await target.page().post(update({ status: "completed", teamId: teamOf(user) }), partnerCookie);
    expect(statusOf(posted)).toBe(403);

    const signedOut = await target.page("?update=1").load();
    expect(locationOf(signedOut)).toBe(`/signin?redirectTo=${encodeURIComponent(`${target.statusPath}?update=1`)}`);
    const signedOutPost = await target.page().post(update({ status: "completed", teamId: teamOf(user) }));
    expect(locationOf(signedOutPost)).toBe(`/signin?redirectTo=${encodeURIComponent(target.statusPath)}`);

    expect(storedUpdates(target.ask.id)).toEqual([]);
    expect(storedAsk(target.ask.id).statusId).toBe(statusId("open"));
  });

  it("answers 404 for an ask that does not exist", async () => {
    const { cookie } = await teamMember();
    const missing = route(statusPage, "/asks/999999-nothing/status", { ask: "999999-nothing" });
    expect(statusOf(await missing.load(cookie))).toBe(404);
  });
});

describe("editing and removing a status update", () => {
  async function withUpdates() {
    const target = await olderAsk();
    const team = `Edit Team ${Date.now()}-${Math.random()}`;
    const author = await teamMember(team);
    const colleague = await teamMember(team);
    const teamId = teamOf(author.user);
    const record = (status: string, note: string, more: { aboutDate?: string; links?: ResolutionLink[] }) =>
      ok(
        recordStatusUpdate({
          askId: target.ask.id,
          toStatusId: statusId(status),
          teamId,
          note,
          links: [],
          ...more,
          actorId: author.user.id,
        }),
      );
    record("under-review", "First.", { aboutDate: daysFromToday(-10) });
    record("completed", "Done.", { links: [{ url: "https://example.com/done", title: "Done page" }] });
    const [older, latest] = storedUpdates(target.ask.id);
    if (!older || !latest) throw new Error("two updates were recorded");
    // What the edit form of the latest update posts.
    const edit = (fields: Parameters<typeof update>[0], cookie: string) =>
      target.page().post({ ...update(fields), intent: "edit", updateId: String(latest.id) }, cookie);
    return { target, author, colleague, older, latest, edit };
  }

  it("shows the author's own update in the edit form", async () => {
    const { target, author, latest } = await withUpdates();
    const data = await loaded(target.page(`?update=${latest.id}`).load(author.cookie));
    expect(data.updateId).toBe(latest.id);
    expect(data.defaults).toEqual({
      statusId: statusId("completed"),
      teamId: author.user.teamId,
      note: "Done.",
      aboutDate: utcDate(),
      links: [{ url: "https://example.com/done", title: "Done page" }],
    });
    expect(statusOf(await target.page("?update=abc").load(author.cookie))).toBe(404);
  });

  it("lets the author edit: the note, status and links change, it is marked edited and audited", async () => {
    const { target, author, latest, edit } = await withUpdates();
    const otherTeam = await teamMember();
    const result = await edit(
      {
        status: "declined",
        teamId: teamOf(otherTeam.user),
        note: "Declined after all.",
        "links.0.url": "https://example.com/why",
        "links.0.title": "Why",
      },
      author.cookie,
    );
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${target.path}#status-details`);

    const edited = storedUpdates(target.ask.id).find((u) => u.id === latest.id);
    expect(edited).toMatchObject({ toStatusId: statusId("declined"), note: "Declined after all." });
    expect(edited?.editedAt).not.toBeNull();
    expect(edited?.recordedAt).toBe(latest.recordedAt);
    expect(storedLinks(target.ask.id)).toEqual([
      { statusUpdateId: latest.id, url: "https://example.com/why", title: "Why" },
    ]);
    expect(storedAsk(target.ask.id)).toMatchObject({ statusId: statusId("declined"), teamId: otherTeam.user.teamId });
    expect(listStatusUpdates(target.ask.id)[1]?.editedAt).not.toBeNull();

    const audit = auditFor(target.ask.id).at(-1) as StoredAudit;
    expect(audit).toMatchObject({ actorId: author.user.id, action: "status_update.edit" });
    expect(JSON.parse(audit.before ?? "null").statusUpdate).toMatchObject({ id: latest.id, note: "Done." });
    expect(JSON.parse(audit.after ?? "null").statusUpdate).toMatchObject({
      id: latest.id,
      note: "Declined after all.",
      links: [{ url: "https://example.com/why", title: "Why" }],
    });
  });

  it("moves the ask to the latest update when an edit back-dates the latest one", async () => {
    const { target, author, edit } = await withUpdates();
    const result = await edit(
      { status: "completed", teamId: teamOf(author.user), note: "Done, long ago.", aboutDate: daysFromToday(-20) },
      author.cookie,
    );
    expect(statusOf(result)).toBe(302);
    // The other update (10 days ago) is now the latest one.
    expect(storedAsk(target.ask.id).statusId).toBe(statusId("under-review"));
    expect(listStatusUpdates(target.ask.id).map((u) => u.note)).toEqual(["Done, long ago.", "First."]);
  });

  it("refuses an edit with errors with 400, keeping the input and which update it was", async () => {
    const { target, author, latest, edit } = await withUpdates();
    const result = await edit({ status: "planned", teamId: teamOf(author.user), note: "" }, author.cookie);
    expect(statusOf(result)).toBe(400);
    expect(replyData<FormReply>(result)).toMatchObject({
      errors: { note: "Write a note about this update." },
      values: { updateId: String(latest.id) },
    });
    expect(storedUpdates(target.ask.id).find((u) => u.id === latest.id)?.note).toBe("Done.");
  });

  it("does not let another team member edit or remove it: 404 and nothing changes", async () => {
    const { target, colleague, latest, edit: postEdit } = await withUpdates();
    const updatesBefore = storedUpdates(target.ask.id);
    const askBefore = storedAsk(target.ask.id);
    const auditBefore = auditFor(target.ask.id);

    expect(statusOf(await target.page(`?update=${latest.id}`).load(colleague.cookie))).toBe(404);
    const edit = await postEdit(
      { status: "declined", teamId: teamOf(colleague.user), note: "Hijacked." },
      colleague.cookie,
    );
    expect(statusOf(edit)).toBe(404);
    const remove = await target.page().post({ intent: "remove", updateId: String(latest.id) }, colleague.cookie);
    expect(statusOf(remove)).toBe(404);

    expect(storedUpdates(target.ask.id)).toEqual(updatesBefore);
    expect(storedAsk(target.ask.id)).toEqual(askBefore);
    expect(storedLinks(target.ask.id)).toHaveLength(1);
    expect(auditFor(target.ask.id)).toEqual(auditBefore);
  });

  it("does not let a partner who sends the form remove an update: 403", async () => {
    const { target, latest } = await withUpdates();
    const partner = await signedIn();
    const result = await target.page().post({ intent: "remove", updateId: String(latest.id) }, partner.cookie);
    expect(statusOf(result)).toBe(403);
    expect(storedUpdates(target.ask.id)).toHaveLength(2);
  });

  it("removes the update and its links; the ask follows the latest remaining update, then reopens", async () => {
    const { target, author, older, latest } = await withUpdates();

    const result = await target.page().post({ intent: "remove", updateId: String(latest.id) }, author.cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${target.path}#status-details`);
    expect(storedUpdates(target.ask.id).map((u) => u.id)).toEqual([older.id]);
    expect(storedLinks(target.ask.id)).toEqual([]);
    expect(getAsk(target.ask.id)?.resolutionLinks).toEqual([]);
    expect(storedAsk(target.ask.id)).toMatchObject({ statusId: statusId("under-review"), teamId: author.user.teamId });

    const audit = auditFor(target.ask.id).at(-1) as StoredAudit;
    expect(audit).toMatchObject({ actorId: author.user.id, action: "status_update.remove", subjectType: "ask" });
    expect(JSON.parse(audit.before ?? "null")).toMatchObject({
      statusId: statusId("completed"),
      statusUpdate: { id: latest.id, note: "Done.", links: [{ url: "https://example.com/done", title: "Done page" }] },
    });
    expect(JSON.parse(audit.after ?? "null")).toEqual({
      statusId: statusId("under-review"),
      teamId: author.user.teamId,
    });

    await target.page().post({ intent: "remove", updateId: String(older.id) }, author.cookie);
    expect(storedUpdates(target.ask.id)).toEqual([]);
    expect(storedAsk(target.ask.id)).toMatchObject({ statusId: statusId("open"), teamId: null });

    const again = await target.page().post({ intent: "remove", updateId: String(older.id) }, author.cookie);
    expect(statusOf(again)).toBe(404);
  });
});
