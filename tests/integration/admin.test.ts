import { beforeAll, describe, expect, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { recordAudit } from "~/models/audit.server";
import { listCategories } from "~/models/category.server";
import { setUserBlocked } from "~/models/moderation.server";
import { getStatusBySlug, listStatuses } from "~/models/status.server";
import { listTeams } from "~/models/team.server";
import { getUserForAdmin, setUserDisabled, type User, verifyLogin } from "~/models/user.server";
import * as root from "~/root";
import * as layout from "~/routes/admin";
import * as auditPage from "~/routes/admin.audit";
import * as categoriesPage from "~/routes/admin.categories";
import * as statusesPage from "~/routes/admin.statuses";
import * as teamsPage from "~/routes/admin.teams";
import * as usersPage from "~/routes/admin.users";
import * as signInPage from "~/routes/signin";
import { getUser } from "~/services/session.server";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import {
  cookieFor,
  getRequest,
  insertUsers,
  isDataReply,
  loaded,
  locationOf,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  setAskStatus,
  signedIn,
  statusOf,
} from "./helpers";

const password = "correct horse battery";

let admin: { user: User; cookie: string };
beforeAll(async () => {
  admin = await signedIn("admin");
});

const usersAt = (path = "/admin/users") => route(usersPage, path);
const teamsAdmin = route(teamsPage, "/admin/teams");
const categoriesAdmin = route(categoriesPage, "/admin/categories");
const statusesAdmin = route(statusesPage, "/admin/statuses");
const auditAt = (path: string) => route(auditPage, path);

function all<T>(sql: string, ...params: unknown[]): T[] {
  return db()
    .$client.prepare(sql)
    .all(...params) as T[];
}

type AuditRow = { actorId: number; action: string; before: unknown; after: unknown };

// What is stored, as stored: the audit log page shows only what changed.
function auditOf(subjectType: string, subjectId: number): AuditRow[] {
  return all<{ actorId: number; action: string; before: string | null; after: string | null }>(
    "SELECT actor_id AS actorId, action, before, after FROM audit_entries WHERE subject_type = ? AND subject_id = ? ORDER BY id",
    subjectType,
    subjectId,
  ).map((r) => ({ ...r, before: r.before && JSON.parse(r.before), after: r.after && JSON.parse(r.after) }));
}

function userRow(id: number) {
  const user = getUserForAdmin(id);
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

function idOf(rows: { id: number; name: string }[], name: string): number {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row named ${name}`);
  return row.id;
}

const teamId = (name: string) => idOf(listTeams(), name);
const categoryId = (name: string) => idOf(listCategories(), name);
const statusId = (name: string) => idOf(listStatuses(), name);

function statusSlug(id: number): string {
  const status = listStatuses().find((s) => s.id === id);
  if (!status) throw new Error(`no status ${id}`);
  return status.slug;
}

function builtInId(slug: string): number {
  const status = getStatusBySlug(slug);
  if (!status) throw new Error(`no status ${slug}`);
  return status.id;
}

// A bare row of status history that leaves the ask's own status alone, as imported
// history does; recording an update through the model would move the ask too.
function addStatusUpdate(askId: number, authorId: number, toStatusId: number, team: number | null = null) {
  db()
    .$client.prepare(
      "INSERT INTO status_updates (ask_id, to_status_id, team_id, author_id, note, about_date) VALUES (?, ?, ?, ?, 'Looked at it', '2024-05-01')",
    )
    .run(askId, toStatusId, team, authorId);
}

function askIn(category: number, title: string) {
  return ok(createAsk({ title, body: "Body", categoryId: category, authorId: admin.user.id }));
}

let names = 0;
function unique(prefix: string): string {
  names += 1;
  return `${prefix} ${names}`;
}

describe("users", () => {
  it("lists users, searches by name or email, filters by role and pages through them", async () => {
    const prefix = `Pagetest${Date.now()}`;
    insertUsers(25, prefix);
    const first = await loaded(usersAt(`/admin/users?q=${prefix}`).load(admin.cookie));
    expect(first.total).toBe(25);
    expect(first.users).toHaveLength(20);
    const second = await loaded(usersAt(`/admin/users?q=${prefix}&page=2`).load(admin.cookie));
    expect(second.users).toHaveLength(5);
    expect(new Set([...first.users, ...second.users].map((u) => u.id)).size).toBe(25);

    const byEmail = await loaded(usersAt(`/admin/users?q=${encodeURIComponent(admin.user.email)}`).load(admin.cookie));
    expect(byEmail.users.map((u) => u.id)).toEqual([admin.user.id]);

    const admins = await loaded(usersAt("/admin/users?role=admin").load(admin.cookie));
    expect(admins.users.length).toBeGreaterThan(0);
    expect(admins.users.every((u) => u.role === "admin")).toBe(true);
    const partners = await loaded(usersAt(`/admin/users?q=${prefix}&role=team`).load(admin.cookie));
    expect(partners.total).toBe(0);
  });

  it("opens one user for editing, disabled accounts included", async () => {
    const { user } = await signedIn();
    ok(setUserDisabled({ userId: user.id, disabled: true, actorId: admin.user.id }));
    const data = await loaded(usersAt(`/admin/users?edit=${user.id}`).load(admin.cookie));
    expect(data.editing).toMatchObject({ id: user.id, email: user.email, disabledAt: userRow(user.id).disabledAt });
    expect(data.editing?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await loaded(usersAt("/admin/users?edit=987654").load(admin.cookie))).editing).toBeNull();
  });

  it("makes a partner a team member of a chosen team, with an audit entry for each change", async () => {
    const { user } = await signedIn();
    await makeUser({ role: "team", team: "EPX" });
    const epx = teamId("EPX");
    const path = `/admin/users?edit=${user.id}`;
    const result = await usersAt(path).post(
      { intent: "access", userId: String(user.id), role: "team", teamId: String(epx), organization: "" },
      admin.cookie,
    );
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(path);
    expect(userRow(user.id)).toMatchObject({ role: "team", teamId: epx, organization: null });
    expect(auditOf("user", user.id)).toEqual([
      { actorId: admin.user.id, action: "user.role", before: { role: "member" }, after: { role: "team" } },
      {
        actorId: admin.user.id,
        action: "user.team",
        before: { teamId: null, team: null },
        after: { teamId: epx, team: "EPX" },
      },
      {
        actorId: admin.user.id,
        action: "user.organization",
        before: { organization: "Contoso" },
        after: { organization: null },
      },
    ]);
  });

  it("requires a team for the team role: 400 with the message and what was typed", async () => {
    const { user } = await signedIn();
    const result = await usersAt().post(
      { intent: "access", userId: String(user.id), role: "team", teamId: "", organization: "Typed Org" },
      admin.cookie,
    );
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    expect(reply.errors.teamId).toBe("Choose the team this team member works in.");
    expect(reply.values).toMatchObject({ role: "team", organization: "Typed Org" });
    expect(userRow(user.id).role).toBe("member");
    expect(auditOf("user", user.id)).toEqual([]);

    for (const teamId of ["987654", "abc"]) {
      const unknown = await usersAt().post(
        { intent: "access", userId: String(user.id), role: "team", teamId, organization: "Typed Org" },
        admin.cookie,
      );
      expect(statusOf(unknown), teamId).toBe(400);
      expect(replyData<FormReply>(unknown).errors.teamId, teamId).toBe("Choose one of the listed teams.");
      expect(userRow(user.id).role).toBe("member");
    }
  });

  it("finds or creates the organization, ignoring case, and takes a demoted member off their team", async () => {
    const org = unique("Northwind Traders");
    const first = await signedIn("team", "Program team");
    const second = await signedIn();
    const save = (id: number, organization: string) =>
      usersAt().post({ intent: "access", userId: String(id), role: "member", teamId: "", organization }, admin.cookie);

    expect(statusOf(await save(first.user.id, org))).toBe(302);
    expect(statusOf(await save(second.user.id, `  ${org.toUpperCase()} `))).toBe(302);
    const orgs = all<{ id: number; name: string }>(
      "SELECT id, name FROM organizations WHERE lower(name) = lower(?)",
      org,
    );
    expect(orgs).toEqual([{ id: expect.any(Number), name: org }]);
    expect(userRow(first.user.id)).toMatchObject({ role: "member", teamId: null, organization: org });
    expect(userRow(second.user.id).organization).toBe(org);
    expect(auditOf("user", first.user.id).map((a) => a.action)).toEqual([
      "user.role",
      "user.team",
      "user.organization",
    ]);
  });

  it("refuses to let an admin demote themselves, with a clear message", async () => {
    const result = await usersAt().post(
      { intent: "access", userId: String(admin.user.id), role: "member", teamId: "", organization: "" },
      admin.cookie,
    );
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    expect(reply.errors.role).toBe("You cannot change your own role; ask another admin to do it.");
    expect(reply.values.role).toBe("member");
    expect(userRow(admin.user.id).role).toBe("admin");
    expect(auditOf("user", admin.user.id)).toEqual([]);
  });

  it("disabling ends the user's sessions at once and stops them signing in; enabling lets them back", async () => {
    const { user, cookie } = await signedIn();
    const otherDevice = await cookieFor(user);
    expect(await getUser(getRequest("/", cookie))).toMatchObject({ id: user.id });

    const result = await usersAt().post({ intent: "disable", userId: String(user.id) }, admin.cookie);
    expect(statusOf(result)).toBe(302);
    expect(userRow(user.id).disabledAt).not.toBeNull();
    expect(await getUser(getRequest("/", cookie))).toBeUndefined();
    expect(await getUser(getRequest("/", otherDevice))).toBeUndefined();
    expect(all("SELECT id FROM sessions WHERE user_id = ?", user.id)).toEqual([]);
    expect(await verifyLogin(user.email, password)).toBeUndefined();
    const signInAttempt = await route(signInPage, "/signin").post({ email: user.email, password });
    expect(statusOf(signInAttempt)).toBe(400);
    const [entry] = auditOf("user", user.id);
    expect(entry).toMatchObject({ action: "user.disable", before: { disabledAt: null }, after: { sessionsEnded: 2 } });

    expect(statusOf(await usersAt().post({ intent: "enable", userId: String(user.id) }, admin.cookie))).toBe(302);
    expect(userRow(user.id).disabledAt).toBeNull();
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id });
    expect(auditOf("user", user.id).map((a) => a.action)).toEqual(["user.disable", "user.enable"]);
  });

  it("refuses to let an admin disable themselves and keeps them signed in", async () => {
    const result = await usersAt().post({ intent: "disable", userId: String(admin.user.id) }, admin.cookie);
    expect(statusOf(result)).toBe(400);
    expect(replyData<FormReply>(result).errors.form).toBe(
      "You cannot disable your own account: no one could enable it again.",
    );
    expect(userRow(admin.user.id).disabledAt).toBeNull();
    expect(await getUser(getRequest("/", admin.cookie))).toMatchObject({ id: admin.user.id });
  });

  it("blocks and unblocks a user from posting, with audit entries", async () => {
    const { user, cookie } = await signedIn();
    expect(statusOf(await usersAt().post({ intent: "block", userId: String(user.id) }, admin.cookie))).toBe(302);
    expect(userRow(user.id).blockedAt).not.toBeNull();
    expect(await getUser(getRequest("/", cookie))).toMatchObject({ id: user.id, blocked: true });

    expect(statusOf(await usersAt().post({ intent: "unblock", userId: String(user.id) }, admin.cookie))).toBe(302);
    expect(userRow(user.id).blockedAt).toBeNull();
    expect(auditOf("user", user.id).map((a) => a.action)).toEqual(["user.block", "user.unblock"]);
  });

  it("answers 404 for a user that does not exist", async () => {
    for (const userId of ["", "abc", "987654"]) {
      expect(statusOf(await usersAt().post({ intent: "disable", userId }, admin.cookie)), userId).toBe(404);
    }
    expect(statusOf(await usersAt().post({ intent: "disable" }, admin.cookie))).toBe(404);
  });
});

describe("teams", () => {
  it("adds a team, listed with its member count, and audits it", async () => {
    const name = unique("Field Enablement");
    const result = await teamsAdmin.post({ intent: "create", name: `  ${name}  ` }, admin.cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/admin/teams");
    const id = teamId(name);
    const { rows: teams } = await loaded(teamsAdmin.load(admin.cookie));
    expect(teams.find((t) => t.id === id)).toMatchObject({ name, memberCount: 0, askCount: 0, statusUpdateCount: 0 });
    expect(auditOf("team", id)).toEqual([
      { actorId: admin.user.id, action: "team.create", before: null, after: { name } },
    ]);

    await makeUser({ role: "team", team: name });
    const again = await loaded(teamsAdmin.load(admin.cookie));
    expect(again.rows.find((t) => t.id === id)?.memberCount).toBe(1);
  });

  it("refuses an empty name and a name another team has (ignoring case), keeping what was typed", async () => {
    const name = unique("Channel Ops");
    await teamsAdmin.post({ intent: "create", name }, admin.cookie);
    const before = listTeams();

    const empty = await teamsAdmin.post({ intent: "create", name: "   " }, admin.cookie);
    expect(statusOf(empty)).toBe(400);
    expect(replyData<FormReply>(empty)).toMatchObject({ intent: "create", errors: { name: "Enter a team name." } });

    const clash = await teamsAdmin.post({ intent: "create", name: name.toUpperCase() }, admin.cookie);
    expect(statusOf(clash)).toBe(400);
    expect(replyData<FormReply>(clash)).toMatchObject({
      errors: { name: "Another team already has this name." },
      values: { name: name.toUpperCase() },
    });
    expect(listTeams()).toEqual(before);
  });

  it("renames a team, refusing a clash", async () => {
    const name = unique("Partner Desk");
    const other = unique("Partner Care");
    await teamsAdmin.post({ intent: "create", name }, admin.cookie);
    await teamsAdmin.post({ intent: "create", name: other }, admin.cookie);
    const id = teamId(name);

    const clash = await route(teamsPage, `/admin/teams?edit=${id}`).post(
      { intent: "rename", id: String(id), name: other },
      admin.cookie,
    );
    expect(statusOf(clash)).toBe(400);
    expect(replyData<FormReply>(clash)).toMatchObject({
      intent: "rename",
      errors: { name: "Another team already has this name." },
    });

    const renamed = `${name} EMEA`;
    expect(statusOf(await teamsAdmin.post({ intent: "rename", id: String(id), name: renamed }, admin.cookie))).toBe(
      302,
    );
    expect(listTeams().find((t) => t.id === id)?.name).toBe(renamed);
    expect(auditOf("team", id).at(-1)).toEqual({
      actorId: admin.user.id,
      action: "team.rename",
      before: { name },
      after: { name: renamed },
    });
  });

  it("deletes an unused team, and refuses one that members, asks or status updates refer to", async () => {
    const unused = unique("Short-lived team");
    await teamsAdmin.post({ intent: "create", name: unused }, admin.cookie);
    const unusedId = teamId(unused);
    expect(statusOf(await teamsAdmin.post({ intent: "delete", id: String(unusedId) }, admin.cookie))).toBe(302);
    expect(listTeams().find((t) => t.id === unusedId)).toBeUndefined();
    expect(auditOf("team", unusedId).at(-1)).toMatchObject({ action: "team.delete", before: { name: unused } });

    const staffed = unique("Staffed team");
    const member = await makeUser({ role: "team", team: staffed });
    const staffedId = teamId(staffed);
    const refused = await teamsAdmin.post({ intent: "delete", id: String(staffedId) }, admin.cookie);
    expect(statusOf(refused)).toBe(409);
    expect(replyData<FormReply>(refused).errors.form).toBe(
      "This team cannot be deleted: 1 member still refers to it. Move them to another team first.",
    );
    expect(listTeams().find((t) => t.id === staffedId)).toBeDefined();

    const historic = unique("Historic team");
    await teamsAdmin.post({ intent: "create", name: historic }, admin.cookie);
    const historicId = teamId(historic);
    const ask = ok(
      createAsk({
        title: "An ask answered by a team",
        body: "Body",
        categoryId: categoryId("General"),
        authorId: member.id,
      }),
    );
    addStatusUpdate(ask.id, member.id, builtInId("under-review"), historicId);
    const history = await teamsAdmin.post({ intent: "delete", id: String(historicId) }, admin.cookie);
    expect(statusOf(history)).toBe(409);
    expect(replyData<FormReply>(history).errors.form).toBe(
      "This team cannot be deleted: 1 status update still refers to it. A team named in status history stays; rename it instead.",
    );
    expect(auditOf("team", historicId).map((a) => a.action)).toEqual(["team.create"]);
  });
});

describe("categories", () => {
  it("adds a category at the end of the list, renames it and audits both", async () => {
    const name = unique("Incentives");
    expect(statusOf(await categoriesAdmin.post({ intent: "create", name }, admin.cookie))).toBe(302);
    const { rows: categories } = await loaded(categoriesAdmin.load(admin.cookie));
    expect(categories.at(-1)).toMatchObject({ name, askCount: 0 });
    const id = categoryId(name);

    const renamed = `${name} and rebates`;
    const result = await categoriesAdmin.post({ intent: "rename", id: String(id), name: renamed }, admin.cookie);
    expect(statusOf(result)).toBe(302);
    expect(auditOf("category", id)).toEqual([
      { actorId: admin.user.id, action: "category.create", before: null, after: { name } },
      { actorId: admin.user.id, action: "category.rename", before: { name }, after: { name: renamed } },
    ]);
  });

  it("refuses an empty or taken name with 400, keeping what was typed", async () => {
    const empty = await categoriesAdmin.post({ intent: "create", name: "" }, admin.cookie);
    expect(statusOf(empty)).toBe(400);
    expect(replyData<FormReply>(empty).errors.name).toBe("Enter a category name.");

    const long = "x".repeat(61);
    const tooLong = await categoriesAdmin.post({ intent: "create", name: long }, admin.cookie);
    expect(statusOf(tooLong)).toBe(400);
    expect(replyData<FormReply>(tooLong)).toMatchObject({
      errors: { name: "Name must be at most 60 characters." },
      values: { name: long },
    });

    const taken = await categoriesAdmin.post({ intent: "create", name: "general" }, admin.cookie);
    expect(statusOf(taken)).toBe(400);
    expect(replyData<FormReply>(taken)).toMatchObject({
      errors: { name: "Another category already has this name." },
      values: { name: "general" },
    });
  });

  it("moves a category up and down", async () => {
    const a = unique("Order A");
    const b = unique("Order B");
    await categoriesAdmin.post({ intent: "create", name: a }, admin.cookie);
    await categoriesAdmin.post({ intent: "create", name: b }, admin.cookie);
    const names = async () => (await loaded(categoriesAdmin.load(admin.cookie))).rows.map((c) => c.name);
    expect((await names()).slice(-2)).toEqual([a, b]);

    const bId = categoryId(b);
    expect(
      statusOf(await categoriesAdmin.post({ intent: "move", id: String(bId), direction: "up" }, admin.cookie)),
    ).toBe(302);
    expect((await names()).slice(-2)).toEqual([b, a]);
    const count = (await names()).length;
    expect(auditOf("category", bId).at(-1)).toMatchObject({
      action: "category.move",
      before: { place: count },
      after: { place: count - 1 },
    });

    await categoriesAdmin.post({ intent: "move", id: String(bId), direction: "down" }, admin.cookie);
    expect((await names()).slice(-2)).toEqual([a, b]);
    // Already last: nothing to do and nothing to audit.
    await categoriesAdmin.post({ intent: "move", id: String(bId), direction: "down" }, admin.cookie);
    expect(auditOf("category", bId).map((e) => e.action)).toEqual([
      "category.create",
      "category.move",
      "category.move",
    ]);
  });

  it("deletes an unused category and refuses one that asks use", async () => {
    const name = unique("Busy category");
    await categoriesAdmin.post({ intent: "create", name }, admin.cookie);
    const id = categoryId(name);
    askIn(id, "First ask in a busy category");
    askIn(id, "Second ask in a busy category");

    const refused = await categoriesAdmin.post({ intent: "delete", id: String(id) }, admin.cookie);
    expect(statusOf(refused)).toBe(409);
    expect(replyData<FormReply>(refused).errors.form).toBe("2 asks use this category; move them first.");
    expect(listCategories().find((c) => c.id === id)).toBeDefined();
    expect(auditOf("category", id).map((e) => e.action)).toEqual(["category.create"]);

    const spare = unique("Spare category");
    await categoriesAdmin.post({ intent: "create", name: spare }, admin.cookie);
    const spareId = categoryId(spare);
    expect(statusOf(await categoriesAdmin.post({ intent: "delete", id: String(spareId) }, admin.cookie))).toBe(302);
    expect(listCategories().find((c) => c.id === spareId)).toBeUndefined();
    expect(auditOf("category", spareId).at(-1)).toMatchObject({ action: "category.delete", before: { name: spare } });
  });
});

describe("statuses", () => {
  const good = { color: "#0969da", acceptsVotes: "on" };

  it("adds a status with a unique slug derived from its name", async () => {
    const name = unique("Needs info");
    expect(statusOf(await statusesAdmin.post({ intent: "create", name, ...good }, admin.cookie))).toBe(302);
    expect(statusOf(await statusesAdmin.post({ intent: "create", name: `${name}!`, ...good }, admin.cookie))).toBe(302);
    expect(
      statusOf(
        await statusesAdmin.post(
          {
            intent: "create",
            name: "Open!",
            color: "#1a7f37",
            isClosed: "on",
          },
          admin.cookie,
        ),
      ),
    ).toBe(302);

    const { rows: statuses } = await loaded(statusesAdmin.load(admin.cookie));
    const slug = name.toLowerCase().replace(/ /g, "-");
    const added = statuses.slice(-3);
    expect(added.map((s) => s.slug)).toEqual([slug, `${slug}-2`, "open-2"]);
    expect(added.map((s) => s.id)).toHaveLength(3);
    expect(added[2]).toMatchObject({
      name: "Open!",
      color: "#1a7f37",
      isClosed: true,
      acceptsVotes: false,
      builtIn: false,
    });
    expect(getStatusBySlug("open")?.name).toBe("Open");
    expect(auditOf("status", statusId(name))).toEqual([
      {
        actorId: admin.user.id,
        action: "status.create",
        before: null,
        after: { slug, name, color: "#0969da", isClosed: false, acceptsVotes: true },
      },
    ]);
  });

  it("refuses a malformed color and one too light for white badge text, keeping what was typed", async () => {
    const before = listStatuses();
    const malformed = await statusesAdmin.post({ intent: "create", name: "Parked", color: "blue" }, admin.cookie);
    expect(statusOf(malformed)).toBe(400);
    expect(replyData<FormReply>(malformed).errors.color).toBe("Enter a color as # and six hex digits, like #0969da.");

    const light = await statusesAdmin.post(
      {
        intent: "create",
        name: "Parked",
        color: "#FFCC00",
        isClosed: "on",
      },
      admin.cookie,
    );
    expect(statusOf(light)).toBe(400);
    expect(replyData<FormReply>(light)).toMatchObject({
      intent: "create",
      errors: {
        color: "White badge text on #ffcc00 has a contrast of only 1.51:1; choose a darker color (at least 4.5:1).",
      },
      values: { name: "Parked", color: "#FFCC00", isClosed: "on" },
    });

    // Just under and just over the line.
    const grey = await statusesAdmin.post({ intent: "create", name: "Parked", color: "#777777" }, admin.cookie);
    expect(replyData<FormReply>(grey).errors.color).toMatch(/contrast of only 4\.47:1/);
    expect(listStatuses()).toEqual(before);
    expect(
      statusOf(await statusesAdmin.post({ intent: "create", name: "Parked", color: "#767676" }, admin.cookie)),
    ).toBe(302);
  });

  it("renames, recolors and toggles a built-in status but keeps its slug", async () => {
    const planned = { id: builtInId("planned") };
    const path = `/admin/statuses?edit=${planned.id}`;
    const low = await route(statusesPage, path).post(
      {
        intent: "update",
        id: String(planned.id),
        name: "Scheduled",
        color: "#eeeeee",
      },
      admin.cookie,
    );
    expect(statusOf(low)).toBe(400);
    expect(replyData<FormReply>(low)).toMatchObject({
      intent: "update",
      values: { name: "Scheduled", color: "#eeeeee" },
    });

    const result = await route(statusesPage, path).post(
      {
        intent: "update",
        id: String(planned.id),
        name: "Scheduled",
        color: "#0550ae",
        isClosed: "on",
      },
      admin.cookie,
    );
    expect(statusOf(result)).toBe(302);
    expect(getStatusBySlug("planned")).toMatchObject({
      id: planned.id,
      name: "Scheduled",
      color: "#0550ae",
      isClosed: true,
      acceptsVotes: false,
    });
    expect(auditOf("status", planned.id)).toEqual([
      {
        actorId: admin.user.id,
        action: "status.update",
        before: { name: "Planned", color: "#7d4e00", isClosed: false, acceptsVotes: true },
        after: { name: "Scheduled", color: "#0550ae", isClosed: true, acceptsVotes: false },
      },
    ]);

    const clash = await route(statusesPage, path).post(
      {
        intent: "update",
        id: String(planned.id),
        name: "open",
        color: "#0550ae",
      },
      admin.cookie,
    );
    expect(statusOf(clash)).toBe(400);
    expect(replyData<FormReply>(clash).errors.name).toBe("Another status already has this name.");
  });

  it("moves a status up", async () => {
    const review = { id: builtInId("under-review") };
    const order = async () => (await loaded(statusesAdmin.load(admin.cookie))).rows.map((s) => s.slug);
    expect((await order()).slice(0, 2)).toEqual(["open", "under-review"]);
    await statusesAdmin.post({ intent: "move", id: String(review.id), direction: "up" }, admin.cookie);
    expect((await order()).slice(0, 2)).toEqual(["under-review", "open"]);
    expect(auditOf("status", review.id).at(-1)).toMatchObject({
      action: "status.move",
      before: { place: 2 },
      after: { place: 1 },
    });
    await statusesAdmin.post({ intent: "move", id: String(review.id), direction: "down" }, admin.cookie);
    expect((await order()).slice(0, 2)).toEqual(["open", "under-review"]);
  });

  it("refuses to delete a built-in status or one in use, and deletes an unused one", async () => {
    for (const slug of ["open", "under-review", "planned", "in-progress", "completed", "declined", "duplicate"]) {
      const result = await statusesAdmin.post({ intent: "delete", id: String(builtInId(slug)) }, admin.cookie);
      expect(statusOf(result), slug).toBe(409);
      expect(replyData<FormReply>(result).errors.form).toMatch(/built-in statuses/);
      expect(getStatusBySlug(slug), slug).toBeDefined();
    }

    const create = async (name: string) => {
      await statusesAdmin.post({ intent: "create", name, color: "#57606a" }, admin.cookie);
      return statusId(name);
    };
    const asked = await create(unique("Held by an ask"));
    setAskStatus(askIn(categoryId("General"), "An ask in a custom status").id, statusSlug(asked));
    const byAsk = await statusesAdmin.post({ intent: "delete", id: String(asked) }, admin.cookie);
    expect(statusOf(byAsk)).toBe(409);
    expect(replyData<FormReply>(byAsk).errors.form).toBe(
      "1 ask uses this status, so it cannot be deleted. Move it to another status first.",
    );

    const historic = await create(unique("Held by history"));
    const other = askIn(categoryId("General"), "An ask with a status history");
    addStatusUpdate(other.id, admin.user.id, historic);
    const byHistory = await statusesAdmin.post({ intent: "delete", id: String(historic) }, admin.cookie);
    expect(statusOf(byHistory)).toBe(409);
    expect(replyData<FormReply>(byHistory).errors.form).toBe(
      "1 status update uses this status, so it cannot be deleted. A status named in status history stays; rename it instead.",
    );
    expect(listStatuses().filter((s) => s.id === asked || s.id === historic)).toHaveLength(2);

    const unused = await create(unique("Unused status"));
    expect(statusOf(await statusesAdmin.post({ intent: "delete", id: String(unused) }, admin.cookie))).toBe(302);
    expect(listStatuses().find((s) => s.id === unused)).toBeUndefined();
    expect(auditOf("status", unused).map((e) => e.action)).toEqual(["status.create", "status.delete"]);
  });
});

describe("audit log", () => {
  it("lists entries newest first with what changed, and filters by action prefix, actor and subject type", async () => {
    const other = await signedIn("admin");
    const { user } = await signedIn();
    await usersAt().post({ intent: "block", userId: String(user.id) }, other.cookie);
    const team = unique("Audit team");
    await teamsAdmin.post({ intent: "create", name: team }, other.cookie);

    const mine = await loaded(auditAt(`/admin/audit?actor=${other.user.id}`).load(admin.cookie));
    expect(mine.total).toBe(2);
    expect(mine.entries.map((e) => e.action)).toEqual(["team.create", "user.block"]);
    const [teamEntry, blockEntry] = mine.entries;
    expect(teamEntry).toMatchObject({
      actor: other.user.displayName,
      subjectType: "team",
      changes: [{ field: "name", before: null, after: team }],
    });
    expect(blockEntry?.changes).toEqual([{ field: "blockedAt", before: null, after: expect.any(String) }]);
    expect(mine.actors).toContainEqual({ id: other.user.id, displayName: other.user.displayName });

    const users = await loaded(auditAt(`/admin/audit?actor=${other.user.id}&action=user.`).load(admin.cookie));
    expect(users.entries.map((e) => e.action)).toEqual(["user.block"]);
    const teams = await loaded(auditAt(`/admin/audit?subject=team&actor=${other.user.id}`).load(admin.cookie));
    expect(teams.entries.map((e) => e.action)).toEqual(["team.create"]);
    const all = await loaded(auditAt("/admin/audit?subject=nonsense&actor=abc").load(admin.cookie));
    expect(all.filter).toEqual({ action: "", actor: "", subject: "" });
  });

  it("pages through 50 entries at a time", async () => {
    db().transaction((tx) => {
      for (let i = 1; i <= 55; i++) {
        recordAudit(tx, {
          actorId: admin.user.id,
          action: "paging.test",
          subjectType: "ask",
          subjectId: i,
          after: { n: 1 },
        });
      }
    });
    const first = await loaded(auditAt("/admin/audit?action=paging.").load(admin.cookie));
    expect(first).toMatchObject({ total: 55, pageSize: 50 });
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]?.subjectId).toBe(55);
    const second = await loaded(auditAt("/admin/audit?action=paging.&page=2").load(admin.cookie));
    expect(second.entries.map((e) => e.subjectId)).toEqual([5, 4, 3, 2, 1]);
  });

  // JSON.stringify keeps a lone surrogate as "\\ud800": written like that, the page rendered
  // differently on the server and in the browser.
  it("stores and shows well-formed text even when a value held a lone UTF-16 surrogate", async () => {
    const lone = "Team \ud800 name";
    db().transaction((tx) => {
      recordAudit(tx, {
        actorId: admin.user.id,
        action: "surrogate.new",
        subjectType: "team",
        subjectId: 1,
        after: { name: lone },
      });
    });
    // An entry stored before that, as it is in older databases.
    db()
      .$client.prepare(
        "INSERT INTO audit_entries (actor_id, action, subject_type, subject_id, before, after) VALUES (?, 'surrogate.old', 'team', 2, ?, ?)",
      )
      .run(admin.user.id, '{"name":"Old \\udc00 name"}', '{"\\ud83d":"\\ud83d"}');
    const stored = all<{ after: string }>("SELECT after FROM audit_entries WHERE action = 'surrogate.new'");
    expect(stored[0]?.after).toBe('{"name":"Team \ufffd name"}');

    const { entries } = await loaded(auditAt("/admin/audit?action=surrogate.").load(admin.cookie));
    expect(entries.map((e) => [e.action, e.changes])).toEqual([
      [
        "surrogate.old",
        [
          { field: "name", before: "Old \ufffd name", after: null },
          { field: "\ufffd", before: null, after: "\ufffd" },
        ],
      ],
      ["surrogate.new", [{ field: "name", before: null, after: "Team \ufffd name" }]],
    ]);
    for (const change of entries.flatMap((e) => e.changes)) {
      for (const text of [change.field, change.before, change.after]) expect(text?.isWellFormed() ?? true).toBe(true);
    }
  });
});

describe("the saved notice", () => {
  it("is shown once on the page the change redirects to, then cleared", async () => {
    const name = unique("Noticed team");
    const result = await teamsAdmin.post({ intent: "create", name }, admin.cookie);
    expect(locationOf(result)).toBe("/admin/teams");
    const notice = ((result as Response).headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    expect(notice).toMatch(/^asklog_notice=.+/);

    const next = await route(root, "/admin/teams").load(`${admin.cookie}; ${notice}`);
    expect(replyData<{ notice: string | null }>(next).notice).toBe(`Team ${name} added.`);
    const cleared = new Headers(isDataReply(next) ? (next.init?.headers ?? undefined) : undefined).get("Set-Cookie");
    expect(cleared).toMatch(/^asklog_notice=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);

    const after = await route(root, "/admin/teams").load(admin.cookie);
    expect(replyData<{ notice: string | null }>(after).notice).toBeNull();
  });
});

describe("who may use the admin area", () => {
  const areaPages = [
    ["/admin", layout],
    ["/admin/users", usersPage],
    ["/admin/teams", teamsPage],
    ["/admin/categories", categoriesPage],
    ["/admin/statuses", statusesPage],
    ["/admin/audit", auditPage],
  ] as const;

  let partner: { user: User; cookie: string };
  let teamMember: { user: User; cookie: string };
  const ids: Record<string, number> = {};

  type Case = [string, { post: (typeof teamsAdmin)["post"] }, string, () => Record<string, string>];
  const actions: Case[] = [
    [
      "users: access",
      usersAt(),
      "/admin/users",
      () => ({ intent: "access", userId: String(ids.victim), role: "admin", teamId: "", organization: "Intruders" }),
    ],
    ["users: disable", usersAt(), "/admin/users", () => ({ intent: "disable", userId: String(ids.victim) })],
    ["users: enable", usersAt(), "/admin/users", () => ({ intent: "enable", userId: String(ids.disabled) })],
    ["users: block", usersAt(), "/admin/users", () => ({ intent: "block", userId: String(ids.victim) })],
    ["users: unblock", usersAt(), "/admin/users", () => ({ intent: "unblock", userId: String(ids.blocked) })],
    ["teams: create", teamsAdmin, "/admin/teams", () => ({ intent: "create", name: "Intruders" })],
    [
      "teams: rename",
      teamsAdmin,
      "/admin/teams",
      () => ({ intent: "rename", id: String(ids.team), name: "Renamed by intruders" }),
    ],
    ["teams: delete", teamsAdmin, "/admin/teams", () => ({ intent: "delete", id: String(ids.team) })],
    ["categories: create", categoriesAdmin, "/admin/categories", () => ({ intent: "create", name: "Intruders" })],
    [
      "categories: rename",
      categoriesAdmin,
      "/admin/categories",
      () => ({ intent: "rename", id: String(ids.category), name: "Renamed by intruders" }),
    ],
    [
      "categories: move",
      categoriesAdmin,
      "/admin/categories",
      () => ({ intent: "move", id: String(ids.category), direction: "up" }),
    ],
    [
      "categories: delete",
      categoriesAdmin,
      "/admin/categories",
      () => ({ intent: "delete", id: String(ids.category) }),
    ],
    [
      "statuses: create",
      statusesAdmin,
      "/admin/statuses",
      () => ({ intent: "create", name: "Intruders", color: "#0969da" }),
    ],
    [
      "statuses: update",
      statusesAdmin,
      "/admin/statuses",
      () => ({ intent: "update", id: String(ids.status), name: "Renamed by intruders", color: "#0969da" }),
    ],
    [
      "statuses: move",
      statusesAdmin,
      "/admin/statuses",
      () => ({ intent: "move", id: String(ids.status), direction: "up" }),
    ],
    ["statuses: delete", statusesAdmin, "/admin/statuses", () => ({ intent: "delete", id: String(ids.status) })],
  ];

  function snapshot(): string {
    const tables = ["users", "sessions", "organizations", "teams", "categories", "statuses", "asks", "audit_entries"];
    return JSON.stringify(tables.map((t) => all(`SELECT * FROM ${t} ORDER BY rowid`)));
  }

  function created(id: number | undefined): number {
    if (id === undefined) throw new Error("fixture not created");
    return id;
  }

  beforeAll(async () => {
    partner = await signedIn();
    teamMember = await signedIn("team", "Assignment Team");
    ids.victim = (await makeUser()).id;
    ids.disabled = (await makeUser()).id;
    ids.blocked = (await makeUser()).id;
    ok(setUserDisabled({ userId: created(ids.disabled), disabled: true, actorId: admin.user.id }));
    ok(setUserBlocked({ userId: created(ids.blocked), blocked: true, actorId: admin.user.id }));
    const team = unique("Matrix team");
    await teamsAdmin.post({ intent: "create", name: team }, admin.cookie);
    ids.team = teamId(team);
    const category = unique("Matrix category");
    await categoriesAdmin.post({ intent: "create", name: category }, admin.cookie);
    ids.category = categoryId(category);
    const status = unique("Matrix status");
    await statusesAdmin.post({ intent: "create", name: status, color: "#57606a" }, admin.cookie);
    ids.status = statusId(status);
  });

  it.each(areaPages)("%s: 403 for a partner and a team member, a page for an admin", async (path, module) => {
    const page = route<unknown, unknown>(module, path);
    for (const who of [partner, teamMember]) {
      expect(statusOf(await page.load(who.cookie)), who.user.role).toBe(403);
    }
    expect(statusOf(await page.load(admin.cookie))).toBe(200);
  });

  it.each(areaPages)("%s: a signed-out visitor is sent to sign in", async (path, module) => {
    const result = await route<unknown, unknown>(module, `${path}?page=2`).load();
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(`${path}?page=2`)}`);
  });

  it.each(actions)(
    "%s: 403 for a partner and a team member, and nothing changes",
    async (_name, page, _path, fields) => {
      const before = snapshot();
      for (const who of [partner, teamMember]) {
        const result = await page.post(fields(), who.cookie);
        expect(statusOf(result), who.user.role).toBe(403);
      }
      expect(snapshot()).toBe(before);
    },
  );

  it.each(actions)(
    "%s: a signed-out visitor is sent to sign in, and nothing changes",
    async (_name, page, path, fields) => {
      const before = snapshot();
      const result = await page.post(fields());
      expect(statusOf(result)).toBe(302);
      expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(path)}`);
      expect(snapshot()).toBe(before);
    },
  );

  // The same requests succeed for an admin, so the refusals above are about who asks, not what they sent.
  // Each says so on the next page, without JavaScript: the redirect carries the notice cookie.
  it("accepts every one of those requests from an admin, with a saved notice", async () => {
    for (const [name, page, , fields] of actions) {
      const before = snapshot();
      const result = await page.post(fields(), admin.cookie);
      expect(statusOf(result), name).toBe(302);
      expect(await noticeAfter(result), name).toMatch(/\w/);
      expect(snapshot(), name).not.toBe(before);
    }
  });
});
