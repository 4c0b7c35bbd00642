import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  listOrganizationMerges,
  listOrganizations,
  mergedTarget,
  organizationFor,
  setOrganizationDomains,
  upgradeOrganizations,
} from "~/models/organization.server";
import { confirmEmail, getActiveUser, type User } from "~/models/user.server";
import { issueUserToken } from "~/models/user-token.server";
import { castVote } from "~/models/vote.server";
import * as accountPage from "~/routes/account";
import * as adminOrgsPage from "~/routes/admin.orgs";
import * as orgPage from "~/routes/orgs.$org";
import * as signUpPage from "~/routes/signup";
import { configureRateLimits } from "~/services/rate-limit.server";
import { db } from "../../db/client";
import { asks, auditEntries, organizations, users } from "../../db/schema";
import {
  cookieFor,
  insertUsers,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  signedIn,
  statusOf,
} from "./helpers";

type Reply = { intent: string; errors: Record<string, string | undefined>; values: Record<string, string> };

const adminPage = route(adminOrgsPage, "/admin/orgs");

beforeEach(() => {
  configureRateLimits({});
});

function organizationNamed(name: string) {
  const found = listOrganizations().find((o) => o.name === name);
  if (!found) throw new Error(`no organization ${name}`);
  return found;
}

function organizationOf(user: User): string | null {
  return getActiveUser(user.id)?.organization ?? null;
}

function organizationCount(askId: number): number {
  return db().select({ n: asks.organizationCount }).from(asks).where(eq(asks.id, askId)).get()?.n ?? -1;
}

function auditActions(organizationId: number): string[] {
  return db()
    .select({ action: auditEntries.action })
    .from(auditEntries)
    .where(and(eq(auditEntries.subjectType, "organization"), eq(auditEntries.subjectId, organizationId)))
    .all()
    .map((e) => e.action);
}

let signUps = 0;
function signUp(email: string, organization: string) {
  signUps += 1;
  return route(signUpPage, "/signup").post(
    { email, displayName: "Hannah Okafor", organization, password: "correct horse battery", redirectTo: "/" },
    undefined,
    { clientAddress: `10.14.0.${signUps}` },
  );
}

function userByEmail(email: string) {
  return db()
    .select({ id: users.id, organization: organizations.name })
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email))
    .get();
}

// First in the file: the start-up fold only meets organizations made before names were folded,
// and none of the later tests uses these spellings.
describe("the start-up fold of organization spellings", () => {
  it('folds "Dell", "dell " and "DELL" into the spelling most people use, recounts and reports it', async () => {
    const sqlite = db().$client;
    const insertOrg = sqlite.prepare("INSERT INTO organizations (name) VALUES (?) RETURNING id");
    const [dell, spaced, shouting] = ["Dell", "dell ", "DELL"].map(
      (name) => (insertOrg.get(name) as { id: number }).id,
    );
    const people = insertUsers(6, "fold");
    const place = sqlite.prepare("UPDATE users SET organization_id = ? WHERE id = ?");
    const [a, b, c, d, e, f] = people;
    place.run(dell, a);
    place.run(spaced, b);
    place.run(spaced, c);
    for (const id of [d, e, f]) place.run(shouting, id);
    // As the migration counted it: a "Dell" and a "DELL" voter were two organizations.
    const filer = await makeUser();
    const ask = makeAsk(filer.id, "Fold counting ask about partner incentives");
    ok(castVote({ askId: ask.id, userId: a ?? 0 }));
    ok(castVote({ askId: ask.id, userId: d ?? 0 }));
    expect(organizationCount(ask.id)).toBe(2);

    const folds = upgradeOrganizations();

    expect(folds).toEqual([{ kept: "DELL", folded: ["dell ", "Dell"], people: 3 }]);
    const left = db()
      .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.nameKey, "dell"))
      .all();
    expect(left).toEqual([{ id: shouting, name: "DELL", slug: "dell" }]);
    expect(organizationNamed("DELL").memberCount).toBe(6);
    expect(organizationCount(ask.id)).toBe(1);
    const entry = db()
      .select({ actorId: auditEntries.actorId, before: auditEntries.before, after: auditEntries.after })
      .from(auditEntries)
      .where(eq(auditEntries.action, "organization.fold"))
      .get();
    expect(entry).toEqual({
      actorId: null,
      before: JSON.stringify({ names: ["dell ", "Dell"] }),
      after: JSON.stringify({ name: "DELL", people: 3 }),
    });
    // Typing any spelling now joins the one that stayed; a second start-up has nothing to fold.
    expect(organizationFor(db(), "  dell ")).toBe(shouting);
    expect(upgradeOrganizations()).toEqual([]);
  });
});

describe("merging organizations", () => {
  it("moves people and domains, recounts asks, redirects the old name, and undo moves exactly those back", async () => {
    const { cookie: admin } = await signedIn("admin");
    const anna = await makeUser({ organization: "Litware" });
    const ben = await makeUser({ organization: "Litware Inc" });
    const litware = organizationNamed("Litware");
    const litwareInc = organizationNamed("Litware Inc");
    ok(setOrganizationDomains({ id: litwareInc.id, domains: ["litware-inc.example"], actorId: anna.id }));
    const ask = makeAsk(anna.id, "Merge counting ask about co-sell referrals");
    ok(castVote({ askId: ask.id, userId: anna.id }));
    ok(castVote({ askId: ask.id, userId: ben.id }));
    expect(organizationCount(ask.id)).toBe(2);

    const merged = await adminPage.post(
      { intent: "merge", fromId: String(litwareInc.id), intoId: String(litware.id) },
      admin,
    );

    expect(locationOf(merged)).toBe("/admin/orgs#recent-merges");
    expect(await noticeAfter(merged)).toBe("Merged Litware Inc into Litware: 1 person and litware-inc.example moved.");
    expect(organizationOf(ben)).toBe("Litware");
    expect(organizationCount(ask.id)).toBe(1);
    const listed = listOrganizations().filter((o) => o.name.startsWith("Litware"));
    expect(listed.map((o) => [o.name, o.memberCount, o.domains, o.askCount])).toEqual([
      ["Litware", 2, ["litware-inc.example"], 1],
    ]);
    // /orgs/<old slug> redirects, and the old name joins the target.
    const oldPage = route(orgPage, `/orgs/${litwareInc.slug}`, { org: litwareInc.slug ?? "" });
    const redirected = await oldPage.load();
    expect(statusOf(redirected)).toBe(301);
    expect(locationOf(redirected)).toBe(`/orgs/${litware.slug}`);
    expect(organizationFor(db(), "litware inc")).toBe(litware.id);
    // Meanwhile one person joins Litware by name and one by the moved domain.
    const cara = await makeUser({ organization: "Litware" });
    expect(statusOf(await signUp("dev@mail.litware-inc.example", ""))).toBe(302);

    const [merge] = listOrganizationMerges();
    expect(merge).toMatchObject({
      from: { name: "Litware Inc" },
      into: { name: "Litware" },
      people: 1,
      undoable: true,
    });
    const undone = await adminPage.post({ intent: "undo", mergeId: String(merge?.id) }, admin);

    expect(await noticeAfter(undone)).toBe("Merge undone: Litware Inc is back, with 1 person and litware-inc.example.");
    expect(organizationOf(ben)).toBe("Litware Inc");
    expect(organizationOf(cara)).toBe("Litware");
    expect(userByEmail("dev@mail.litware-inc.example")?.organization).toBe("Litware");
    expect(organizationCount(ask.id)).toBe(2);
    expect(statusOf(await oldPage.load())).toBe(200);
    expect(organizationNamed("Litware Inc").domains).toEqual(["litware-inc.example"]);
    expect(listOrganizationMerges()[0]).toMatchObject({ id: merge?.id, undoable: false });
    expect(listOrganizationMerges()[0]?.undoneAt).not.toBeNull();
    expect(auditActions(litwareInc.id)).toEqual([
      "organization.domains",
      "organization.merge",
      "organization.merge-undo",
    ]);

    const again = await adminPage.post({ intent: "undo", mergeId: String(merge?.id) }, admin);
    expect(statusOf(again)).toBe(409);
    expect(replyData<Reply>(again).errors.form).toBe("This merge was already undone.");
  });

  it("refuses a merge into itself next to the field, keeping the choice", async () => {
    const { cookie: admin } = await signedIn("admin");
    await makeUser({ organization: "Proseware" });
    const proseware = organizationNamed("Proseware");

    const refused = await adminPage.post(
      { intent: "merge", fromId: String(proseware.id), intoId: String(proseware.id) },
      admin,
    );

    expect(statusOf(refused)).toBe(400);
    const reply = replyData<Reply>(refused);
    expect(reply.errors.intoId).toBe("An organization cannot be merged into itself: choose another one.");
    expect(reply.values.fromId).toBe(String(proseware.id));
    expect(listOrganizationMerges().some((m) => m.from.id === proseware.id)).toBe(false);
  });

  it("refuses a merge into a merged organization, and an undo once the target merged on", async () => {
    const { cookie: admin } = await signedIn("admin");
    for (const name of ["Adatum", "Adatum Corp", "Adatum Group"]) await makeUser({ organization: name });
    const [adatum, corp, group] = ["Adatum", "Adatum Corp", "Adatum Group"].map((n) => organizationNamed(n).id);
    const merge = (fromId = 0, intoId = 0) =>
      adminPage.post({ intent: "merge", fromId: String(fromId), intoId: String(intoId) }, admin);
    expect(statusOf(await merge(corp, adatum))).toBe(302);

    const intoMerged = await merge(group, corp);
    expect(statusOf(intoMerged)).toBe(400);
    expect(replyData<Reply>(intoMerged).errors.intoId).toBe(
      "Adatum Corp was merged into Adatum: merge into Adatum instead.",
    );

    expect(statusOf(await merge(adatum, group))).toBe(302);
    const first = listOrganizationMerges().find((m) => m.from.id === corp);
    expect(first?.undoable).toBe(false);
    const blocked = await adminPage.post({ intent: "undo", mergeId: String(first?.id) }, admin);
    expect(statusOf(blocked)).toBe(409);
    expect(replyData<Reply>(blocked).errors.form).toBe(
      "Adatum has since been merged into Adatum Group: undo that merge first.",
    );
    // Both merged people now count as Adatum Group, following the chain.
    expect(mergedTarget(db(), corp ?? 0)).toBe(group);
  });

  it("asks to choose both organizations", async () => {
    const { cookie: admin } = await signedIn("admin");
    const refused = await adminPage.post({ intent: "merge", fromId: "", intoId: "" }, admin);
    expect(statusOf(refused)).toBe(400);
    expect(replyData<Reply>(refused).errors).toEqual({
      fromId: "Choose the organization to merge.",
      intoId: "Choose the organization to merge it into.",
    });
  });
});

describe("the sign-up domain rule", () => {
  it("joins the organization of the address's domain or a parent domain, ignoring the typed name", async () => {
    const { cookie } = await signedIn("admin");
    await makeUser({ organization: "Tailspin Toys" });
    const tailspin = organizationNamed("Tailspin Toys");
    const saved = await adminPage.post(
      { intent: "domains", id: String(tailspin.id), domains: "Tailspin.example,\n@tailspintoys.example" },
      cookie,
    );
    expect(await noticeAfter(saved)).toBe("Mail domains saved: tailspin.example, tailspintoys.example.");
    expect(auditActions(tailspin.id)).toContain("organization.domains");

    expect(statusOf(await signUp("ann@tailspin.example", "Some Other Company"))).toBe(302);
    expect(statusOf(await signUp("raj@eu.mail.tailspintoys.example", ""))).toBe(302);
    expect(userByEmail("ann@tailspin.example")?.organization).toBe("Tailspin Toys");
    expect(userByEmail("raj@eu.mail.tailspintoys.example")?.organization).toBe("Tailspin Toys");
    expect(listOrganizations().some((o) => o.name === "Some Other Company")).toBe(false);

    // Outside any claimed domain, the typed name is needed and used.
    const nameless = await signUp("lee@not-claimed.example", "");
    expect(statusOf(nameless)).toBe(400);
    expect(replyData<Reply>(nameless).errors.organization).toBe("Enter your organization.");
    expect(statusOf(await signUp("lee@not-claimed.example", "Wide World Importers"))).toBe(302);
    expect(userByEmail("lee@not-claimed.example")?.organization).toBe("Wide World Importers");

    // The account page shows the organization as fixed, and a profile save keeps it whatever is typed.
    const ann = getActiveUser(userByEmail("ann@tailspin.example")?.id ?? 0);
    if (!ann) throw new Error("ann did not sign up");
    const annCookie = await cookieFor(ann);
    const account = route(accountPage, "/account");
    const shown = replyData<{ user: { organizationByDomain: unknown } }>(await account.load(annCookie));
    expect(shown.user.organizationByDomain).toEqual({ name: "Tailspin Toys", domain: "tailspin.example" });
    const profileSaved = await account.post(
      { intent: "profile", displayName: "Ann Lee", organization: "Contoso" },
      annCookie,
    );
    expect(locationOf(profileSaved)).toBe("/account");
    expect(organizationOf(ann)).toBe("Tailspin Toys");
    const elsewhere = replyData<{ user: { organizationByDomain: unknown } }>(
      await account.load(await cookieFor(await makeUser({ organization: "Contoso" }))),
    );
    expect(elsewhere.user.organizationByDomain).toBeNull();

    // A confirmed change of address to a claimed domain joins it too.
    const mover = await makeUser({ organization: "Contoso" });
    const token = db().transaction((tx) =>
      issueUserToken(tx, {
        userId: mover.id,
        purpose: "confirm-email",
        email: "mover@tailspin.example",
        lifetimeMs: 60_000,
      }),
    );
    ok(confirmEmail({ token }));
    expect(organizationOf(mover)).toBe("Tailspin Toys");
  });

  it("joins the organization a domain's holder was merged into", async () => {
    const { user: admin, cookie } = await signedIn("admin");
    await makeUser({ organization: "Coho Vineyard" });
    await makeUser({ organization: "Coho Winery" });
    const vineyard = organizationNamed("Coho Vineyard");
    const winery = organizationNamed("Coho Winery");
    ok(setOrganizationDomains({ id: winery.id, domains: ["cohowinery.example"], actorId: admin.id }));
    await adminPage.post({ intent: "merge", fromId: String(winery.id), intoId: String(vineyard.id) }, cookie);

    expect(statusOf(await signUp("sam@cohowinery.example", "Coho Winery"))).toBe(302);
    expect(userByEmail("sam@cohowinery.example")?.organization).toBe("Coho Vineyard");
  });

  it("refuses a domain another organization claims, naming it, and domains that are not one", async () => {
    const { cookie } = await signedIn("admin");
    await makeUser({ organization: "Fourth Coffee" });
    await makeUser({ organization: "Fifth Coffee" });
    const fourth = organizationNamed("Fourth Coffee");
    const fifth = organizationNamed("Fifth Coffee");
    const save = (id: number, domains: string) =>
      adminPage.post({ intent: "domains", id: String(id), domains }, cookie);
    expect(statusOf(await save(fourth.id, "fourthcoffee.example"))).toBe(302);

    const cases: [string, string][] = [
      ["fifthcoffee.example, FourthCoffee.example", "fourthcoffee.example is already claimed by Fourth Coffee."],
      ["fifth coffee", '"fifth" is not a mail domain: enter domains like dell.com.'],
      ["gmail.com", "gmail.com is a public mail service: everyone with an address there would join. Leave it out."],
    ];
    for (const [domains, message] of cases) {
      const refused = await save(fifth.id, domains);
      expect(statusOf(refused), domains).toBe(400);
      expect(replyData<Reply>(refused).errors.domains).toBe(message);
      expect(replyData<Reply>(refused).values.domains).toBe(domains);
    }
    expect(organizationNamed("Fifth Coffee").domains).toEqual([]);
    expect(organizationNamed("Fourth Coffee").domains).toEqual(["fourthcoffee.example"]);
  });
});

describe("renaming an organization", () => {
  it("keeps the page address unless it is changed, and refuses names and addresses others hold", async () => {
    const { cookie } = await signedIn("admin");
    for (const name of ["Blue Yonder", "Blue Yonder Airlines", "Yonder Old"]) await makeUser({ organization: name });
    const blue = organizationNamed("Blue Yonder");
    const airlines = organizationNamed("Blue Yonder Airlines");
    const old = organizationNamed("Yonder Old");
    await adminPage.post({ intent: "merge", fromId: String(old.id), intoId: String(airlines.id) }, cookie);
    const rename = (name: string, slug = blue.slug ?? "") =>
      adminPage.post({ intent: "rename", id: String(blue.id), name, slug }, cookie);

    const taken = await rename("  blue   YONDER airlines ");
    expect(statusOf(taken)).toBe(400);
    expect(replyData<Reply>(taken).errors.name).toBe(
      "Blue Yonder Airlines already has this name, in any case or spacing.",
    );
    expect(replyData<Reply>(taken).values.name).toBe("  blue   YONDER airlines ");
    const takenByMerged = await rename("YONDER OLD");
    expect(replyData<Reply>(takenByMerged).errors.name).toBe(
      "Yonder Old (merged into Blue Yonder Airlines) already has this name, in any case or spacing.",
    );
    const slugTaken = await rename("Blue Yonder", airlines.slug ?? "");
    expect(replyData<Reply>(slugTaken).errors.slug).toBe("Blue Yonder Airlines already has this address.");
    const badSlug = await rename("Blue Yonder", "Blue Yonder!");
    expect(replyData<Reply>(badSlug).errors.slug).toBe(
      "Use lower-case letters, digits and single hyphens, like dell-technologies.",
    );

    const renamed = await rename("Blue Yonder Logistics");
    expect(locationOf(renamed)).toBe(`/admin/orgs?edit=${blue.id}#edit-organization`);
    expect(organizationNamed("Blue Yonder Logistics")).toMatchObject({ id: blue.id, slug: blue.slug });
    const moved = await rename("Blue Yonder Logistics", "byl");
    expect(await noticeAfter(moved)).toBe("Saved: Blue Yonder Logistics at /orgs/byl.");
    expect(organizationNamed("Blue Yonder Logistics").slug).toBe("byl");
    expect(organizationFor(db(), "blue yonder logistics")).toBe(blue.id);
    expect(auditActions(blue.id)).toEqual(["organization.rename", "organization.rename"]);
  });
});

describe("the organizations admin page", () => {
  it("lists standing organizations by name with their domains, members and asks", async () => {
    const { cookie } = await signedIn("admin");
    const zed = await makeUser({ organization: "zz Last Org" });
    makeAsk(zed.id, "An ask filed by the last organization");
    await makeUser({ organization: "AA First Org" });
    const { rows } = await loaded(adminPage.load(cookie));
    const names = rows.map((r) => r.name);
    expect(names.indexOf("AA First Org")).toBeLessThan(names.indexOf("zz Last Org"));
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(rows.find((r) => r.name === "zz Last Org")).toMatchObject({ memberCount: 1, askCount: 1, domains: [] });
    // Merged earlier in this file, and not undone.
    expect(names).not.toContain("Adatum Corp");
  });

  it("refuses people who are not admins, on the page and on every action", async () => {
    const people = [await signedIn("member"), await signedIn("team", "Partner Support Team")];
    await makeUser({ organization: "Guarded One" });
    await makeUser({ organization: "Guarded Two" });
    const one = organizationNamed("Guarded One");
    const two = organizationNamed("Guarded Two");
    const { user: admin } = await signedIn("admin");
    ok(setOrganizationDomains({ id: two.id, domains: ["guarded-two.example"], actorId: admin.id }));
    const forms: Record<string, string>[] = [
      { intent: "rename", id: String(one.id), name: "Taken Over", slug: "" },
      { intent: "domains", id: String(one.id), domains: "guarded.example" },
      { intent: "merge", fromId: String(one.id), intoId: String(two.id) },
      { intent: "undo", mergeId: "1" },
    ];
    for (const { cookie } of people) {
      expect(statusOf(await adminPage.load(cookie))).toBe(403);
      for (const form of forms) expect(statusOf(await adminPage.post(form, cookie)), form.intent).toBe(403);
    }
    // Signed out: off to sign in.
    expect(locationOf(await adminPage.post(forms[0] ?? {}))).toMatch(/^\/signin/);
    expect(organizationNamed("Guarded One")).toMatchObject({ name: "Guarded One", domains: [] });
    expect(mergedTarget(db(), one.id)).toBe(one.id);
  });
});
