import { beforeAll, describe, expect, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { getStatusBySlug } from "~/models/status.server";
import { type Role, type User, verifyLogin } from "~/models/user.server";
import * as layout from "~/routes/admin";
import * as auditPage from "~/routes/admin.audit";
import * as categoriesPage from "~/routes/admin.categories";
import * as statusesPage from "~/routes/admin.statuses";
import * as teamsPage from "~/routes/admin.teams";
import * as usersPage from "~/routes/admin.users";
import { action as signIn } from "~/routes/signin";
import { getUser } from "~/services/session.server";
import { db } from "../../db/client";
import {
  args,
  cookieFor,
  formRequest,
  getRequest,
  insertUsers,
  locationOf,
  makeUser,
  ok,
  replyData,
  run,
  statusOf,
} from "./helpers";

type Reply = { intent: string; errors: Record<string, string | undefined>; values: Record<string, string> };
type UsersData = Awaited<ReturnType<typeof usersPage.loader>>;
type TeamsData = Awaited<ReturnType<typeof teamsPage.loader>>;
type CategoriesData = Awaited<ReturnType<typeof categoriesPage.loader>>;
type StatusesData = Awaited<ReturnType<typeof statusesPage.loader>>;
type AuditData = Awaited<ReturnType<typeof auditPage.loader>>;

const password = "correct horse battery";

async function signedIn(role: Role = "member", team?: string): Promise<{ user: User; cookie: string }> {
  const user = await makeUser({ role, ...(team ? { team } : {}) });
  return { user, cookie: await cookieFor(user) };
}

let admin: { user: User; cookie: string };
beforeAll(async () => {
  admin = await signedIn("admin");
});

type Route = { loader: (a: ReturnType<typeof args>) => Promise<unknown> };
type ActionRoute = { action: (a: ReturnType<typeof args>) => Promise<unknown> };

function post(route: ActionRoute, path: string, fields: Record<string, string>, cookie = admin.cookie) {
  return run(route.action, args(formRequest(path, fields, cookie)));
}

async function load<T>(route: Route, path: string, cookie = admin.cookie): Promise<T> {
  return replyData<T>(await run(route.loader, args(getRequest(path, cookie))));
}

function all<T>(sql: string, ...params: unknown[]): T[] {
  return db()
    .$client.prepare(sql)
    .all(...params) as T[];
}

function one<T>(sql: string, ...params: unknown[]): T {
  return db()
    .$client.prepare(sql)
    .get(...params) as T;
}

type AuditRow = { actorId: number; action: string; before: unknown; after: unknown };

function auditOf(subjectType: string, subjectId: number): AuditRow[] {
  return all<{ actorId: number; action: string; before: string | null; after: string | null }>(
    "SELECT actor_id AS actorId, action, before, after FROM audit_entries WHERE subject_type = ? AND subject_id = ? ORDER BY id",
    subjectType,
    subjectId,
  ).map((r) => ({ ...r, before: r.before && JSON.parse(r.before), after: r.after && JSON.parse(r.after) }));
}

function userRow(id: number) {
  return one<{
    role: string;
    teamId: number | null;
    organizationId: number | null;
    disabledAt: string | null;
    blockedAt: string | null;
  }>(
    "SELECT role, team_id AS teamId, organization_id AS organizationId, disabled_at AS disabledAt, blocked_at AS blockedAt FROM users WHERE id = ?",
    id,
  );
}

function teamId(name: string): number {
  return one<{ id: number }>("SELECT id FROM teams WHERE name = ?", name).id;
}

function categoryId(name: string): number {
  return one<{ id: number }>("SELECT id FROM categories WHERE name = ?", name).id;
}

function addStatusUpdate(askId: number, authorId: number, toStatusId: number, team: number | null = null) {
  db()
    .$client.prepare(
      "INSERT INTO status_updates (ask_id, to_status_id, team_id, author_id, note, about_date) VALUES (?, ?, ?, ?, 'Looked at it', '2024-05-01')",
    )
    .run(askId, toStatusId, team, authorId);
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
    const first = await load<UsersData>(usersPage, `/admin/users?q=${prefix}`);
    expect(first.total).toBe(25);
    expect(first.users).toHaveLength(20);
    const second = await load<UsersData>(usersPage, `/admin/users?q=${prefix}&page=2`);
    expect(second.users).toHaveLength(5);
    expect(new Set([...first.users, ...second.users].map((u) => u.id)).size).toBe(25);

    const byEmail = await load<UsersData>(usersPage, `/admin/users?q=${encodeURIComponent(admin.user.email)}`);
    expect(byEmail.users.map((u) => u.id)).toEqual([admin.user.id]);

    const admins = await load<UsersData>(usersPage, `/admin/users?role=admin`);
    expect(admins.users.length).toBeGreaterThan(0);
    expect(admins.users.every((u) => u.role === "admin")).toBe(true);
    const partners = await load<UsersData>(usersPage, `/admin/users?q=${prefix}&role=team`);
    expect(partners.total).toBe(0);
  });

  it("opens one user for editing, disabled accounts included", async () => {
    const { user } = await signedIn();
    db().$client.prepare("UPDATE users SET disabled_at = '2024-01-01T00:00:00.000Z' WHERE id = ?").run(user.id);
    const data = await load<UsersData>(usersPage, `/admin/users?edit=${user.id}`);
    expect(data.editing).toMatchObject({ id: user.id, email: user.email, disabledAt: "2024-01-01T00:00:00.000Z" });
    expect((await load<UsersData>(usersPage, "/admin/users?edit=987654")).editing).toBeNull();
  });

  it("makes a partner a team member of a chosen team, with an audit entry for each change", async () => {
    const { user } = await signedIn();
    const epx = teamId((await makeUser({ role: "team", team: "EPX" })).team as string);
    const path = `/admin/users?edit=${user.id}`;
    const result = await post(usersPage, path, {
      intent: "access",
      userId: String(user.id),
      role: "team",
      teamId: String(epx),
      organization: "",
    });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(path);
    expect(userRow(user.id)).toMatchObject({ role: "team", teamId: epx, organizationId: null });
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
    const result = await post(usersPage, "/admin/users", {
      intent: "access",
      userId: String(user.id),
      role: "team",
      teamId: "",
      organization: "Typed Org",
    });
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.errors.teamId).toBe("Choose the team this team member works in.");
    expect(reply.values).toMatchObject({ role: "team", organization: "Typed Org" });
    expect(userRow(user.id).role).toBe("member");
    expect(auditOf("user", user.id)).toEqual([]);

    const unknown = await post(usersPage, "/admin/users", {
      intent: "access",
      userId: String(user.id),
      role: "team",
      teamId: "987654",
      organization: "Typed Org",
    });
    expect(statusOf(unknown)).toBe(400);
    expect(replyData<Reply>(unknown).errors.teamId).toBe("Choose one of the listed teams.");
    expect(userRow(user.id).role).toBe("member");
  });

  it("finds or creates the organization, ignoring case, and takes a demoted member off their team", async () => {
    const org = unique("Northwind Traders");
    const first = await signedIn("team", "Program team");
    const second = await signedIn();
    const save = (id: number, organization: string) =>
      post(usersPage, "/admin/users", {
        intent: "access",
        userId: String(id),
        role: "member",
        teamId: "",
        organization,
      });

    expect(statusOf(await save(first.user.id, org))).toBe(302);
    expect(statusOf(await save(second.user.id, `  ${org.toUpperCase()} `))).toBe(302);
    const orgs = all<{ id: number; name: string }>(
      "SELECT id, name FROM organizations WHERE lower(name) = lower(?)",
      org,
    );
    expect(orgs).toEqual([{ id: expect.any(Number), name: org }]);
    expect(userRow(first.user.id)).toMatchObject({ role: "member", teamId: null, organizationId: orgs[0].id });
    expect(userRow(second.user.id).organizationId).toBe(orgs[0].id);
    expect(auditOf("user", first.user.id).map((a) => a.action)).toEqual([
      "user.role",
      "user.team",
      "user.organization",
    ]);
  });

  it("refuses to let an admin demote themselves, with a clear message", async () => {
    const result = await post(usersPage, "/admin/users", {
      intent: "access",
      userId: String(admin.user.id),
      role: "member",
      teamId: "",
      organization: "",
    });
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Reply>(result);
    expect(reply.errors.role).toBe("You cannot change your own role; ask another admin to do it.");
    expect(reply.values.role).toBe("member");
    expect(userRow(admin.user.id).role).toBe("admin");
    expect(auditOf("user", admin.user.id)).toEqual([]);
  });

  it("disabling ends the user's sessions at once and stops them signing in; enabling lets them back", async () => {
    const { user, cookie } = await signedIn();
    const otherDevice = await cookieFor(user);
    expect(await getUser(getRequest("/", cookie))).toMatchObject({ id: user.id });

    const result = await post(usersPage, "/admin/users", { intent: "disable", userId: String(user.id) });
    expect(statusOf(result)).toBe(302);
    expect(userRow(user.id).disabledAt).not.toBeNull();
    expect(await getUser(getRequest("/", cookie))).toBeUndefined();
    expect(await getUser(getRequest("/", otherDevice))).toBeUndefined();
    expect(all("SELECT id FROM sessions WHERE user_id = ?", user.id)).toEqual([]);
    expect(await verifyLogin(user.email, password)).toBeUndefined();
    const signInAttempt = await run(signIn, args(formRequest("/signin", { email: user.email, password })));
    expect(statusOf(signInAttempt)).toBe(400);
    const [entry] = auditOf("user", user.id);
    expect(entry).toMatchObject({ action: "user.disable", before: { disabledAt: null }, after: { sessionsEnded: 2 } });

    expect(statusOf(await post(usersPage, "/admin/users", { intent: "enable", userId: String(user.id) }))).toBe(302);
    expect(userRow(user.id).disabledAt).toBeNull();
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id });
    expect(auditOf("user", user.id).map((a) => a.action)).toEqual(["user.disable", "user.enable"]);
  });

  it("refuses to let an admin disable themselves and keeps them signed in", async () => {
    const result = await post(usersPage, "/admin/users", { intent: "disable", userId: String(admin.user.id) });
    expect(statusOf(result)).toBe(400);
    expect(replyData<Reply>(result).errors.account).toBe(
      "You cannot disable your own account: no one could enable it again.",
    );
    expect(userRow(admin.user.id).disabledAt).toBeNull();
    expect(await getUser(getRequest("/", admin.cookie))).toMatchObject({ id: admin.user.id });
  });

  it("blocks and unblocks a user from posting, with audit entries", async () => {
    const { user, cookie } = await signedIn();
    expect(statusOf(await post(usersPage, "/admin/users", { intent: "block", userId: String(user.id) }))).toBe(302);
    expect(userRow(user.id).blockedAt).not.toBeNull();
    expect(await getUser(getRequest("/", cookie))).toMatchObject({ id: user.id, blocked: true });

    expect(statusOf(await post(usersPage, "/admin/users", { intent: "unblock", userId: String(user.id) }))).toBe(302);
    expect(userRow(user.id).blockedAt).toBeNull();
    expect(auditOf("user", user.id).map((a) => a.action)).toEqual(["user.block", "user.unblock"]);
  });

  it("answers 404 for a user that does not exist", async () => {
    for (const userId of ["", "abc", "987654"]) {
      expect(statusOf(await post(usersPage, "/admin/users", { intent: "disable", userId })), userId).toBe(404);
    }
  });
});

describe("teams", () => {
  it("adds a team, listed with its member count, and audits it", async () => {
    const name = unique("Field Enablement");
    const result = await post(teamsPage, "/admin/teams", { intent: "create", name: `  ${name}  ` });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/admin/teams");
    const id = teamId(name);
    const { teams } = await load<TeamsData>(teamsPage, "/admin/teams");
    expect(teams.find((t) => t.id === id)).toMatchObject({ name, memberCount: 0, askCount: 0, statusUpdateCount: 0 });
    expect(auditOf("team", id)).toEqual([
      { actorId: admin.user.id, action: "team.create", before: null, after: { name } },
    ]);

    await makeUser({ role: "team", team: name });
    const again = await load<TeamsData>(teamsPage, "/admin/teams");
    expect(again.teams.find((t) => t.id === id)?.memberCount).toBe(1);
  });

  it("refuses an empty name and a name another team has (ignoring case), keeping what was typed", async () => {
    const name = unique("Channel Ops");
    await post(teamsPage, "/admin/teams", { intent: "create", name });
    const before = all("SELECT * FROM teams");

    const empty = await post(teamsPage, "/admin/teams", { intent: "create", name: "   " });
    expect(statusOf(empty)).toBe(400);
    expect(replyData<Reply>(empty)).toMatchObject({ intent: "create", errors: { name: "Enter a team name." } });

    const clash = await post(teamsPage, "/admin/teams", { intent: "create", name: name.toUpperCase() });
    expect(statusOf(clash)).toBe(400);
    expect(replyData<Reply>(clash)).toMatchObject({
      errors: { name: "Another team already has this name." },
      values: { name: name.toUpperCase() },
    });
    expect(all("SELECT * FROM teams")).toEqual(before);
  });

  it("renames a team, refusing a clash", async () => {
    const name = unique("Partner Desk");
    const other = unique("Partner Care");
    await post(teamsPage, "/admin/teams", { intent: "create", name });
    await post(teamsPage, "/admin/teams", { intent: "create", name: other });
    const id = teamId(name);

    const clash = await post(teamsPage, `/admin/teams?edit=${id}`, { intent: "rename", id: String(id), name: other });
    expect(statusOf(clash)).toBe(400);
    expect(replyData<Reply>(clash)).toMatchObject({
      intent: "rename",
      errors: { name: "Another team already has this name." },
    });

    const renamed = `${name} EMEA`;
    expect(statusOf(await post(teamsPage, "/admin/teams", { intent: "rename", id: String(id), name: renamed }))).toBe(
      302,
    );
    expect(one<{ name: string }>("SELECT name FROM teams WHERE id = ?", id).name).toBe(renamed);
    expect(auditOf("team", id).at(-1)).toEqual({
      actorId: admin.user.id,
      action: "team.rename",
      before: { name },
      after: { name: renamed },
    });
  });

  it("deletes an unused team, and refuses one that members, asks or status updates refer to", async () => {
    const unused = unique("Short-lived team");
    await post(teamsPage, "/admin/teams", { intent: "create", name: unused });
    const unusedId = teamId(unused);
    expect(statusOf(await post(teamsPage, "/admin/teams", { intent: "delete", id: String(unusedId) }))).toBe(302);
    expect(all("SELECT id FROM teams WHERE id = ?", unusedId)).toEqual([]);
    expect(auditOf("team", unusedId).at(-1)).toMatchObject({ action: "team.delete", before: { name: unused } });

    const staffed = unique("Staffed team");
    const member = await makeUser({ role: "team", team: staffed });
    const staffedId = teamId(staffed);
    const refused = await post(teamsPage, "/admin/teams", { intent: "delete", id: String(staffedId) });
    expect(statusOf(refused)).toBe(409);
    expect(replyData<Reply>(refused).errors.delete).toBe(
      "This team cannot be deleted: 1 member still refers to it. Move them to another team first.",
    );
    expect(all("SELECT id FROM teams WHERE id = ?", staffedId)).toHaveLength(1);

    const historic = unique("Historic team");
    await post(teamsPage, "/admin/teams", { intent: "create", name: historic });
    const historicId = teamId(historic);
    const ask = ok(
      createAsk({ title: "An ask answered by a team", body: "Body", categoryId: categoryId("General"), authorId: member.id }),
    );
    addStatusUpdate(ask.id, member.id, (getStatusBySlug("under-review") as { id: number }).id, historicId);
    const history = await post(teamsPage, "/admin/teams", { intent: "delete", id: String(historicId) });
    expect(statusOf(history)).toBe(409);
    expect(replyData<Reply>(history).errors.delete).toBe(
      "This team cannot be deleted: 1 status update still refers to it. A team named in status history stays; rename it instead.",
    );
    expect(auditOf("team", historicId).map((a) => a.action)).toEqual(["team.create"]);
  });
});

describe("categories", () => {
  it("adds a category at the end of the list, renames it and audits both", async () => {
    const name = unique("Incentives");
    expect(statusOf(await post(categoriesPage, "/admin/categories", { intent: "create", name }))).toBe(302);
    const { categories } = await load<CategoriesData>(categoriesPage, "/admin/categories");
    expect(categories.at(-1)).toMatchObject({ name, askCount: 0 });
    const id = categoryId(name);

    const renamed = `${name} and rebates`;
    const result = await post(categoriesPage, "/admin/categories", { intent: "rename", id: String(id), name: renamed });
    expect(statusOf(result)).toBe(302);
    expect(auditOf("category", id)).toEqual([
      { actorId: admin.user.id, action: "category.create", before: null, after: { name } },
      { actorId: admin.user.id, action: "category.rename", before: { name }, after: { name: renamed } },
    ]);
  });

  it("refuses an empty or taken name with 400, keeping what was typed", async () => {
    const empty = await post(categoriesPage, "/admin/categories", { intent: "create", name: "" });
    expect(statusOf(empty)).toBe(400);
    expect(replyData<Reply>(empty).errors.name).toBe("Enter a category name.");

    const long = "x".repeat(61);
    const tooLong = await post(categoriesPage, "/admin/categories", { intent: "create", name: long });
    expect(statusOf(tooLong)).toBe(400);
    expect(replyData<Reply>(tooLong)).toMatchObject({
      errors: { name: "Name must be at most 60 characters." },
      values: { name: long },
    });

    const taken = await post(categoriesPage, "/admin/categories", { intent: "create", name: "general" });
    expect(statusOf(taken)).toBe(400);
    expect(replyData<Reply>(taken)).toMatchObject({
      errors: { name: "Another category already has this name." },
      values: { name: "general" },
    });
  });

  it("moves a category up and down", async () => {
    const a = unique("Order A");
    const b = unique("Order B");
    await post(categoriesPage, "/admin/categories", { intent: "create", name: a });
    await post(categoriesPage, "/admin/categories", { intent: "create", name: b });
    const names = async () =>
      (await load<CategoriesData>(categoriesPage, "/admin/categories")).categories.map((c) => c.name);
    expect((await names()).slice(-2)).toEqual([a, b]);

    const bId = categoryId(b);
    expect(
      statusOf(await post(categoriesPage, "/admin/categories", { intent: "move", id: String(bId), direction: "up" })),
    ).toBe(302);
    expect((await names()).slice(-2)).toEqual([b, a]);
    const count = (await names()).length;
    expect(auditOf("category", bId).at(-1)).toMatchObject({
      action: "category.move",
      before: { place: count },
      after: { place: count - 1 },
    });

    await post(categoriesPage, "/admin/categories", { intent: "move", id: String(bId), direction: "down" });
    expect((await names()).slice(-2)).toEqual([a, b]);
    // Already last: nothing to do and nothing to audit.
    await post(categoriesPage, "/admin/categories", { intent: "move", id: String(bId), direction: "down" });
    expect(auditOf("category", bId).map((e) => e.action)).toEqual([
      "category.create",
      "category.move",
      "category.move",
    ]);
  });

  it("deletes an unused category and refuses one that asks use", async () => {
    const name = unique("Busy category");
    await post(categoriesPage, "/admin/categories", { intent: "create", name });
    const id = categoryId(name);
    createAsk({ title: "First ask in a busy category", body: "Body", categoryId: id, authorId: admin.user.id });
    createAsk({ title: "Second ask in a busy category", body: "Body", categoryId: id, authorId: admin.user.id });

    const refused = await post(categoriesPage, "/admin/categories", { intent: "delete", id: String(id) });
    expect(statusOf(refused)).toBe(409);
    expect(replyData<Reply>(refused).errors.delete).toBe("2 asks use this category; move them first.");
    expect(all("SELECT id FROM categories WHERE id = ?", id)).toHaveLength(1);
    expect(auditOf("category", id).map((e) => e.action)).toEqual(["category.create"]);

    const spare = unique("Spare category");
    await post(categoriesPage, "/admin/categories", { intent: "create", name: spare });
    const spareId = categoryId(spare);
    expect(statusOf(await post(categoriesPage, "/admin/categories", { intent: "delete", id: String(spareId) }))).toBe(
      302,
    );
    expect(all("SELECT id FROM categories WHERE id = ?", spareId)).toEqual([]);
    expect(auditOf("category", spareId).at(-1)).toMatchObject({ action: "category.delete", before: { name: spare } });
  });
});

describe("statuses", () => {
  const good = { color: "#0969da", acceptsVotes: "on" };

  it("adds a status with a unique slug derived from its name", async () => {
    const name = unique("Needs info");
    expect(statusOf(await post(statusesPage, "/admin/statuses", { intent: "create", name, ...good }))).toBe(302);
    expect(statusOf(await post(statusesPage, "/admin/statuses", { intent: "create", name: `${name}!`, ...good }))).toBe(
      302,
    );
    expect(
      statusOf(
        await post(statusesPage, "/admin/statuses", {
          intent: "create",
          name: "Open!",
          color: "#1a7f37",
          isClosed: "on",
        }),
      ),
    ).toBe(302);

    const { statuses } = await load<StatusesData>(statusesPage, "/admin/statuses");
    const slug = name.toLowerCase().replace(/ /g, "-");
    const added = statuses.slice(-3);
    expect(added.map((s) => s.slug)).toEqual([slug, `${slug}-2`, "open-2"]);
    expect(added[2]).toMatchObject({
      name: "Open!",
      color: "#1a7f37",
      isClosed: true,
      acceptsVotes: false,
      builtIn: false,
    });
    expect(getStatusBySlug("open")?.name).toBe("Open");
    expect(auditOf("status", added[0].id)).toEqual([
      {
        actorId: admin.user.id,
        action: "status.create",
        before: null,
        after: { slug, name, color: "#0969da", isClosed: false, acceptsVotes: true },
      },
    ]);
  });

  it("refuses a malformed color and one too light for white badge text, keeping what was typed", async () => {
    const before = all("SELECT * FROM statuses");
    const malformed = await post(statusesPage, "/admin/statuses", { intent: "create", name: "Parked", color: "blue" });
    expect(statusOf(malformed)).toBe(400);
    expect(replyData<Reply>(malformed).errors.color).toBe("Enter a color as # and six hex digits, like #0969da.");

    const light = await post(statusesPage, "/admin/statuses", {
      intent: "create",
      name: "Parked",
      color: "#FFCC00",
      isClosed: "on",
    });
    expect(statusOf(light)).toBe(400);
    expect(replyData<Reply>(light)).toMatchObject({
      intent: "create",
      errors: {
        color: "White badge text on #ffcc00 has a contrast of only 1.51:1; choose a darker color (at least 4.5:1).",
      },
      values: { name: "Parked", color: "#FFCC00", isClosed: "on" },
    });

    // Just under and just over the line.
    const grey = await post(statusesPage, "/admin/statuses", { intent: "create", name: "Parked", color: "#777777" });
    expect(replyData<Reply>(grey).errors.color).toMatch(/contrast of only 4\.47:1/);
    expect(all("SELECT * FROM statuses")).toEqual(before);
    expect(
      statusOf(await post(statusesPage, "/admin/statuses", { intent: "create", name: "Parked", color: "#767676" })),
    ).toBe(302);
  });

  it("renames, recolors and toggles a built-in status but keeps its slug", async () => {
    const planned = getStatusBySlug("planned") as { id: number; name: string; color: string };
    const path = `/admin/statuses?edit=${planned.id}`;
    const low = await post(statusesPage, path, {
      intent: "update",
      id: String(planned.id),
      name: "Scheduled",
      color: "#eeeeee",
    });
    expect(statusOf(low)).toBe(400);
    expect(replyData<Reply>(low)).toMatchObject({ intent: "update", values: { name: "Scheduled", color: "#eeeeee" } });

    const result = await post(statusesPage, path, {
      intent: "update",
      id: String(planned.id),
      name: "Scheduled",
      color: "#0550ae",
      isClosed: "on",
    });
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

    const clash = await post(statusesPage, path, {
      intent: "update",
      id: String(planned.id),
      name: "open",
      color: "#0550ae",
    });
    expect(statusOf(clash)).toBe(400);
    expect(replyData<Reply>(clash).errors.name).toBe("Another status already has this name.");
  });

  it("moves a status up", async () => {
    const review = getStatusBySlug("under-review") as { id: number };
    const order = async () => (await load<StatusesData>(statusesPage, "/admin/statuses")).statuses.map((s) => s.slug);
    expect((await order()).slice(0, 2)).toEqual(["open", "under-review"]);
    await post(statusesPage, "/admin/statuses", { intent: "move", id: String(review.id), direction: "up" });
    expect((await order()).slice(0, 2)).toEqual(["under-review", "open"]);
    expect(auditOf("status", review.id).at(-1)).toMatchObject({
      action: "status.move",
      before: { place: 2 },
      after: { place: 1 },
    });
    await post(statusesPage, "/admin/statuses", { intent: "move", id: String(review.id), direction: "down" });
    expect((await order()).slice(0, 2)).toEqual(["open", "under-review"]);
  });

  it("refuses to delete a built-in status or one in use, and deletes an unused one", async () => {
    for (const slug of ["open", "under-review", "planned", "in-progress", "completed", "declined", "duplicate"]) {
      const id = (getStatusBySlug(slug) as { id: number }).id;
      const result = await post(statusesPage, "/admin/statuses", { intent: "delete", id: String(id) });
      expect(statusOf(result), slug).toBe(409);
      expect(replyData<Reply>(result).errors.delete).toMatch(/built-in statuses/);
      expect(getStatusBySlug(slug), slug).toBeDefined();
    }

    const create = async (name: string) => {
      await post(statusesPage, "/admin/statuses", { intent: "create", name, color: "#57606a" });
      return one<{ id: number }>("SELECT id FROM statuses WHERE name = ?", name).id;
    };
    const asked = await create(unique("Held by an ask"));
    const ask = ok(
      createAsk({ title: "An ask in a custom status", body: "Body", categoryId: categoryId("General"), authorId: admin.user.id }),
    );
    db().$client.prepare("UPDATE asks SET status_id = ? WHERE id = ?").run(asked, ask.id);
    const byAsk = await post(statusesPage, "/admin/statuses", { intent: "delete", id: String(asked) });
    expect(statusOf(byAsk)).toBe(409);
    expect(replyData<Reply>(byAsk).errors.delete).toBe(
      "1 ask uses this status, so it cannot be deleted. Move it to another status first.",
    );

    const historic = await create(unique("Held by history"));
    const other = ok(
      createAsk({
        title: "An ask with a status history",
        body: "Body",
        categoryId: categoryId("General"),
        authorId: admin.user.id,
      }),
    );
    addStatusUpdate(other.id, admin.user.id, historic);
    const byHistory = await post(statusesPage, "/admin/statuses", { intent: "delete", id: String(historic) });
    expect(statusOf(byHistory)).toBe(409);
    expect(replyData<Reply>(byHistory).errors.delete).toBe(
      "1 status update uses this status, so it cannot be deleted. A status named in status history stays; rename it instead.",
    );
    expect(all("SELECT id FROM statuses WHERE id IN (?, ?)", asked, historic)).toHaveLength(2);

    const unused = await create(unique("Unused status"));
    expect(statusOf(await post(statusesPage, "/admin/statuses", { intent: "delete", id: String(unused) }))).toBe(302);
    expect(all("SELECT id FROM statuses WHERE id = ?", unused)).toEqual([]);
    expect(auditOf("status", unused).map((e) => e.action)).toEqual(["status.create", "status.delete"]);
  });
});

describe("audit log", () => {
  it("lists entries newest first with what changed, and filters by action prefix, actor and subject type", async () => {
    const other = await signedIn("admin");
    const { user } = await signedIn();
    await post(usersPage, "/admin/users", { intent: "block", userId: String(user.id) }, other.cookie);
    const team = unique("Audit team");
    await post(teamsPage, "/admin/teams", { intent: "create", name: team }, other.cookie);

    const mine = await load<AuditData>(auditPage, `/admin/audit?actor=${other.user.id}`);
    expect(mine.total).toBe(2);
    expect(mine.entries.map((e) => e.action)).toEqual(["team.create", "user.block"]);
    expect(mine.entries[0]).toMatchObject({
      actor: other.user.displayName,
      subjectType: "team",
      changes: [{ field: "name", before: "—", after: team }],
    });
    expect(mine.entries[1].changes).toEqual([{ field: "blockedAt", before: "—", after: expect.any(String) }]);
    expect(mine.actors).toContainEqual({ id: other.user.id, displayName: other.user.displayName });

    const users = await load<AuditData>(auditPage, `/admin/audit?actor=${other.user.id}&action=user.`);
    expect(users.entries.map((e) => e.action)).toEqual(["user.block"]);
    const teams = await load<AuditData>(auditPage, `/admin/audit?subject=team&actor=${other.user.id}`);
    expect(teams.entries.map((e) => e.action)).toEqual(["team.create"]);
    const all = await load<AuditData>(auditPage, "/admin/audit?subject=nonsense&actor=abc");
    expect(all.filter).toEqual({ action: "", actor: "", subject: "" });
  });

  it("pages through 50 entries at a time", async () => {
    const insert = db().$client.prepare(
      "INSERT INTO audit_entries (actor_id, action, subject_type, subject_id, before, after) VALUES (?, 'paging.test', 'ask', ?, NULL, '{\"n\":1}')",
    );
    for (let i = 1; i <= 55; i++) insert.run(admin.user.id, i);
    const first = await load<AuditData>(auditPage, "/admin/audit?action=paging.");
    expect(first).toMatchObject({ total: 55, pageSize: 50 });
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0].subjectId).toBe(55);
    const second = await load<AuditData>(auditPage, "/admin/audit?action=paging.&page=2");
    expect(second.entries.map((e) => e.subjectId)).toEqual([5, 4, 3, 2, 1]);
  });
});

describe("who may use the admin area", () => {
  const loaders: [string, Route][] = [
    ["/admin", layout],
    ["/admin/users", usersPage],
    ["/admin/teams", teamsPage],
    ["/admin/categories", categoriesPage],
    ["/admin/statuses", statusesPage],
    ["/admin/audit", auditPage],
  ];

  let partner: { user: User; cookie: string };
  let teamMember: { user: User; cookie: string };
  const ids: Record<string, number> = {};

  type Case = [string, ActionRoute, string, () => Record<string, string>];
  const actions: Case[] = [
    [
      "users: access",
      usersPage,
      "/admin/users",
      () => ({ intent: "access", userId: String(ids.victim), role: "admin", teamId: "", organization: "Intruders" }),
    ],
    ["users: disable", usersPage, "/admin/users", () => ({ intent: "disable", userId: String(ids.victim) })],
    ["users: enable", usersPage, "/admin/users", () => ({ intent: "enable", userId: String(ids.disabled) })],
    ["users: block", usersPage, "/admin/users", () => ({ intent: "block", userId: String(ids.victim) })],
    ["users: unblock", usersPage, "/admin/users", () => ({ intent: "unblock", userId: String(ids.blocked) })],
    ["teams: create", teamsPage, "/admin/teams", () => ({ intent: "create", name: "Intruders" })],
    [
      "teams: rename",
      teamsPage,
      "/admin/teams",
      () => ({ intent: "rename", id: String(ids.team), name: "Renamed by intruders" }),
    ],
    ["teams: delete", teamsPage, "/admin/teams", () => ({ intent: "delete", id: String(ids.team) })],
    ["categories: create", categoriesPage, "/admin/categories", () => ({ intent: "create", name: "Intruders" })],
    [
      "categories: rename",
      categoriesPage,
      "/admin/categories",
      () => ({ intent: "rename", id: String(ids.category), name: "Renamed by intruders" }),
    ],
    [
      "categories: move",
      categoriesPage,
      "/admin/categories",
      () => ({ intent: "move", id: String(ids.category), direction: "up" }),
    ],
    ["categories: delete", categoriesPage, "/admin/categories", () => ({ intent: "delete", id: String(ids.category) })],
    [
      "statuses: create",
      statusesPage,
      "/admin/statuses",
      () => ({ intent: "create", name: "Intruders", color: "#0969da" }),
    ],
    [
      "statuses: update",
      statusesPage,
      "/admin/statuses",
      () => ({ intent: "update", id: String(ids.status), name: "Renamed by intruders", color: "#0969da" }),
    ],
    [
      "statuses: move",
      statusesPage,
      "/admin/statuses",
      () => ({ intent: "move", id: String(ids.status), direction: "up" }),
    ],
    ["statuses: delete", statusesPage, "/admin/statuses", () => ({ intent: "delete", id: String(ids.status) })],
  ];

  function snapshot(): string {
    const tables = ["users", "sessions", "organizations", "teams", "categories", "statuses", "asks", "audit_entries"];
    return JSON.stringify(tables.map((t) => all(`SELECT * FROM ${t} ORDER BY rowid`)));
  }

  beforeAll(async () => {
    partner = await signedIn();
    teamMember = await signedIn("team", "Assignment Team");
    ids.victim = (await makeUser()).id;
    ids.disabled = (await makeUser()).id;
    ids.blocked = (await makeUser()).id;
    db().$client.prepare("UPDATE users SET disabled_at = '2024-01-01T00:00:00.000Z' WHERE id = ?").run(ids.disabled);
    db().$client.prepare("UPDATE users SET blocked_at = '2024-01-01T00:00:00.000Z' WHERE id = ?").run(ids.blocked);
    const team = unique("Matrix team");
    await post(teamsPage, "/admin/teams", { intent: "create", name: team });
    ids.team = teamId(team);
    const category = unique("Matrix category");
    await post(categoriesPage, "/admin/categories", { intent: "create", name: category });
    ids.category = categoryId(category);
    const status = unique("Matrix status");
    await post(statusesPage, "/admin/statuses", { intent: "create", name: status, color: "#57606a" });
    ids.status = one<{ id: number }>("SELECT id FROM statuses WHERE name = ?", status).id;
  });

  it.each(loaders)("%s: 403 for a partner and a team member, a page for an admin", async (path, route) => {
    for (const who of [partner, teamMember]) {
      const result = await run(route.loader, args(getRequest(path, who.cookie)));
      expect(statusOf(result), who.user.role).toBe(403);
    }
    expect(statusOf(await run(route.loader, args(getRequest(path, admin.cookie))))).toBe(200);
  });

  it.each(loaders)("%s: a signed-out visitor is sent to sign in", async (path, route) => {
    const result = await run(route.loader, args(getRequest(`${path}?page=2`)));
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(`${path}?page=2`)}`);
  });

  it.each(actions)(
    "%s: 403 for a partner and a team member, and nothing changes",
    async (_name, route, path, fields) => {
      const before = snapshot();
      for (const who of [partner, teamMember]) {
        const result = await post(route, path, fields(), who.cookie);
        expect(statusOf(result), who.user.role).toBe(403);
      }
      expect(snapshot()).toBe(before);
    },
  );

  it.each(actions)(
    "%s: a signed-out visitor is sent to sign in, and nothing changes",
    async (_name, route, path, fields) => {
      const before = snapshot();
      const result = await run(route.action, args(formRequest(path, fields())));
      expect(statusOf(result)).toBe(302);
      expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(path)}`);
      expect(snapshot()).toBe(before);
    },
  );

  // The same requests succeed for an admin, so the refusals above are about who asks, not what they sent.
  it("accepts every one of those requests from an admin", async () => {
    for (const [name, route, path, fields] of actions) {
      const before = snapshot();
      const result = await post(route, path, fields());
      expect(statusOf(result), name).toBe(302);
      expect(snapshot(), name).not.toBe(before);
    }
  });
});
