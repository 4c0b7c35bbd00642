import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getAsk, listAsks } from "~/models/ask.server";
import { addComment } from "~/models/comment.server";
import { runImport } from "~/models/import.server";
import { organizationFor } from "~/models/organization.server";
import { canSeeOrganizationVotes, saveSiteSettings, siteSettings } from "~/models/site-setting.server";
import type { User } from "~/models/user.server";
import { castVote, retractVote } from "~/models/vote.server";
import * as homePage from "~/routes/_index";
import * as settingsPage from "~/routes/admin.settings";
import * as suggestionsRoute from "~/routes/api.organizations";
import * as askPage from "~/routes/asks.$ask";
import * as asksCsv from "~/routes/asks[.]csv";
import * as triagePage from "~/routes/triage";
import { openImportSource } from "~/services/import-source.server";
import { db } from "../../db/client";
import {
  cookieFor,
  freshOrganization,
  insertUsers,
  jsonBody,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  organizationRow,
  route,
  signedIn,
  statusOf,
} from "./helpers";

// Backdates a vote, so first and last vote dates differ.
function voteAt(askId: number, userId: number, at: string): void {
  ok(castVote({ askId, userId }));
  db().$client.prepare("UPDATE votes SET created_at = ? WHERE ask_id = ? AND user_id = ?").run(at, askId, userId);
}

function setPartnersSee(on: boolean): void {
  db().$client.prepare("DELETE FROM site_settings").run();
  if (on) {
    db()
      .$client.prepare("INSERT INTO site_settings (name, value) VALUES ('partnersSeeOrganizationVotes', 'true')")
      .run();
  }
}

afterEach(() => setPartnersSee(false));

// People who only need to exist and belong to an organization (voters), without an argon2 hash each.
function membersOf(organization: string, count: number): number[] {
  const id = organizationFor(db(), organization);
  const ids = insertUsers(count, `member of ${id}`);
  for (const userId of ids) db().$client.prepare("UPDATE users SET organization_id = ? WHERE id = ?").run(id, userId);
  return ids;
}

const askPageOf = (ask: { id: number; slug: string }) =>
  route(askPage, `/asks/${ask.id}-${ask.slug}`, { ask: `${ask.id}-${ask.slug}` });

// The ask page as a viewer gets it: the count line's numbers and the breakdown, if any.
async function organizationVotesOn(ask: { id: number; slug: string }, viewer?: User) {
  const data = await loaded(askPageOf(ask).load(viewer ? await cookieFor(viewer) : undefined));
  return {
    voteCount: data.ask.voteCount,
    organizationCount: data.ask.organizationCount,
    breakdown: data.organizationVotes,
  };
}

describe("how many organizations voted", () => {
  it("counts each organization once, follows votes and retractions, and leaves out people without one", async () => {
    const dell = freshOrganization("Dell");
    const fabrikam = freshOrganization("Fabrikam");
    const [dellA, dellB, fabrikamA] = [
      await makeUser({ organization: dell }),
      await makeUser({ organization: dell }),
      await makeUser({ organization: fabrikam }),
    ];
    const [noOrganization = 0] = insertUsers(1, "unaffiliated");
    const ask = makeAsk(dellA.id, "Counting organizations per ask");
    const count = () => getAsk(ask.id)?.organizationCount;

    ok(castVote({ askId: ask.id, userId: noOrganization }));
    expect(count()).toBe(0);
    ok(castVote({ askId: ask.id, userId: dellA.id }));
    ok(castVote({ askId: ask.id, userId: dellB.id }));
    expect(count()).toBe(1);
    ok(castVote({ askId: ask.id, userId: fabrikamA.id }));
    expect(count()).toBe(2);
    ok(retractVote({ askId: ask.id, userId: dellA.id }));
    expect(count()).toBe(2);
    ok(retractVote({ askId: ask.id, userId: dellB.id }));
    expect(count()).toBe(1);
    expect(await organizationVotesOn(ask)).toMatchObject({ voteCount: 2, organizationCount: 1 });
  });
});

describe("the organization count kept by each vote", () => {
  // What the count would be if every vote were looked at again.
  const recounted = (askId: number) =>
    (
      db()
        .$client.prepare(
          `SELECT count(DISTINCT u.organization_id) AS n FROM votes v JOIN users u ON u.id = v.user_id WHERE v.ask_id = ?`,
        )
        .get(askId) as { n: number }
    ).n;

  it("moves only with an organization's first vote in and last vote out, and always equals a full recount", async () => {
    const [contosoA = 0, contosoB = 0] = membersOf(freshOrganization("Contoso"), 2);
    const [litware = 0] = membersOf(freshOrganization("Litware"), 1);
    const ask = makeAsk(contosoA, "Keeping the organization count exact");
    const other = makeAsk(contosoA, "Votes on another ask do not count here");
    ok(castVote({ askId: other.id, userId: contosoB }));
    const steps: [typeof castVote, number, number][] = [
      [castVote, contosoA, 1],
      [castVote, contosoA, 1],
      [castVote, contosoB, 1],
      [castVote, litware, 2],
      [retractVote, contosoA, 2],
      [retractVote, contosoA, 2],
      [castVote, contosoA, 2],
      [retractVote, contosoB, 2],
      [retractVote, contosoA, 1],
      [retractVote, litware, 0],
      [castVote, litware, 1],
      [castVote, contosoB, 2],
    ];
    for (const [change, userId, expected] of steps) {
      ok(change({ askId: ask.id, userId }));
      const { organizationCount } = getAsk(ask.id) ?? {};
      expect({ step: `${change.name} ${userId}`, organizationCount }).toEqual({
        step: `${change.name} ${userId}`,
        organizationCount: expected,
      });
      expect(organizationCount).toBe(recounted(ask.id));
    }
    expect(getAsk(other.id)?.organizationCount).toBe(1);
  });
});

describe("votes by organization on the ask page", () => {
  async function votedAsk() {
    const dell = freshOrganization("Dell");
    const fabrikam = freshOrganization("Fabrikam");
    const author = await makeUser({ organization: fabrikam });
    const ask = makeAsk(author.id, "Which organizations voted");
    const [dellA, dellB] = [await makeUser({ organization: dell }), await makeUser({ organization: dell })];
    const [loner = 0] = insertUsers(1, "loner");
    voteAt(ask.id, dellA.id, "2026-03-01T10:00:00.000Z");
    voteAt(ask.id, loner, "2026-03-02T10:00:00.000Z");
    voteAt(ask.id, author.id, "2026-03-03T10:00:00.000Z");
    voteAt(ask.id, dellB.id, "2026-03-05T10:00:00.000Z");
    return { ask, dell, fabrikam };
  }

  it("lists each organization with its votes and first and last vote, people without one last", async () => {
    const { ask, dell, fabrikam } = await votedAsk();
    const team = await makeUser({ role: "team", team: "EPX" });
    expect(await organizationVotesOn(ask, team)).toEqual({
      voteCount: 4,
      organizationCount: 2,
      breakdown: [
        {
          organization: { id: organizationRow(dell).id, name: dell, slug: organizationRow(dell).slug },
          votes: 2,
          firstVotedAt: "2026-03-01T10:00:00.000Z",
          lastVotedAt: "2026-03-05T10:00:00.000Z",
        },
        {
          organization: { id: organizationRow(fabrikam).id, name: fabrikam, slug: organizationRow(fabrikam).slug },
          votes: 1,
          firstVotedAt: "2026-03-03T10:00:00.000Z",
          lastVotedAt: "2026-03-03T10:00:00.000Z",
        },
        {
          organization: null,
          votes: 1,
          firstVotedAt: "2026-03-02T10:00:00.000Z",
          lastVotedAt: "2026-03-02T10:00:00.000Z",
        },
      ],
    });
  });

  it("shows partners and visitors the count only, until an admin allows the breakdown", async () => {
    const { ask } = await votedAsk();
    const partner = await makeUser({ organization: freshOrganization("Contoso") });
    const team = await makeUser({ role: "team", team: "EPX" });
    const admin = await makeUser({ role: "admin" });

    for (const viewer of [partner, undefined]) {
      expect(await organizationVotesOn(ask, viewer)).toEqual({ voteCount: 4, organizationCount: 2, breakdown: null });
    }
    expect((await organizationVotesOn(ask, team)).breakdown).toHaveLength(3);
    expect((await organizationVotesOn(ask, admin)).breakdown).toHaveLength(3);

    ok(saveSiteSettings({ values: { partnersSeeOrganizationVotes: true }, actorId: admin.id }));
    for (const viewer of [partner, undefined, team]) {
      expect((await organizationVotesOn(ask, viewer)).breakdown).toHaveLength(3);
    }
  });
});

describe("the site setting", () => {
  const settingsAdmin = route(settingsPage, "/admin/settings");

  it("is off by default, and an admin's change is saved and audited", async () => {
    const admin = await signedIn("admin");
    const partner = await makeUser();
    expect(canSeeOrganizationVotes(partner)).toBe(false);
    expect((await loaded(settingsAdmin.load(admin.cookie))).settings).toMatchObject({
      partnersSeeOrganizationVotes: false,
    });

    // The form sends every setting; tokens without expiry stay allowed, as by default.
    const saved = await settingsAdmin.post(
      { partnersSeeOrganizationVotes: "on", tokensWithoutExpiry: "on" },
      admin.cookie,
    );
    expect(locationOf(saved)).toBe("/admin/settings");
    expect(await noticeAfter(saved)).toBe("Settings saved.");
    expect(canSeeOrganizationVotes(partner)).toBe(true);
    expect(canSeeOrganizationVotes(undefined)).toBe(true);
    expect((await loaded(settingsAdmin.load(admin.cookie))).settings).toMatchObject({
      partnersSeeOrganizationVotes: true,
    });

    // An unticked box sends nothing: that turns the setting off.
    expect(statusOf(await settingsAdmin.post({ tokensWithoutExpiry: "on" }, admin.cookie))).toBe(302);
    expect(canSeeOrganizationVotes(partner)).toBe(false);

    const audit = db()
      .$client.prepare(
        "SELECT actor_id AS actorId, before, after FROM audit_entries WHERE subject_type = 'setting' ORDER BY id DESC LIMIT 2",
      )
      .all() as { actorId: number; before: string; after: string }[];
    expect(audit.map((a) => [a.actorId, JSON.parse(a.before), JSON.parse(a.after)])).toEqual([
      [admin.user.id, { partnersSeeOrganizationVotes: true }, { partnersSeeOrganizationVotes: false }],
      [admin.user.id, { partnersSeeOrganizationVotes: false }, { partnersSeeOrganizationVotes: true }],
    ]);
  });

  it("turns tokens without expiry off and on again", async () => {
    const admin = await signedIn("admin");
    await settingsAdmin.post({}, admin.cookie);
    expect(siteSettings().tokensWithoutExpiry).toBe(false);
    expect((await loaded(settingsAdmin.load(admin.cookie))).settings.tokensWithoutExpiry).toBe(false);
    await settingsAdmin.post({ tokensWithoutExpiry: "on" }, admin.cookie);
    expect(siteSettings().tokensWithoutExpiry).toBe(true);
  });

  it("a save that changes nothing leaves no audit entry", async () => {
    const admin = await signedIn("admin");
    const entries = () =>
      (
        db().$client.prepare("SELECT count(*) AS n FROM audit_entries WHERE subject_type = 'setting'").get() as {
          n: number;
        }
      ).n;
    const before = entries();
    const saved = await settingsAdmin.post({ tokensWithoutExpiry: "on" }, admin.cookie);
    expect(await noticeAfter(saved)).toBe("Nothing changed.");
    expect(entries()).toBe(before);
  });

  it("is refused to everyone but admins", async () => {
    for (const role of ["member", "team"] as const) {
      const { cookie } = await signedIn(role, role === "team" ? "EPX" : undefined);
      expect(statusOf(await settingsAdmin.load(cookie))).toBe(403);
      expect(statusOf(await settingsAdmin.post({ partnersSeeOrganizationVotes: "on" }, cookie))).toBe(403);
    }
    expect(canSeeOrganizationVotes(undefined)).toBe(false);
  });
});

describe("asks linked to an organization", () => {
  it("tells apart the asks its members filed, voted on and commented on", async () => {
    const name = freshOrganization("Fabrikam");
    const member = await makeUser({ organization: name });
    const outsider = await makeUser({ organization: freshOrganization("Outsider") });
    makeAsk(member.id, "Filed by a Fabrikam member");
    const voted = makeAsk(outsider.id, "Voted on by a Fabrikam member");
    const commented = makeAsk(outsider.id, "Commented on by a Fabrikam member");
    makeAsk(outsider.id, "Nothing to do with Fabrikam");
    ok(castVote({ askId: voted.id, userId: member.id }));
    ok(addComment({ askId: commented.id, authorId: member.id, body: "We need this too." }));
    const id = organizationRow(name).id;
    const titles = (via: "wants" | "filed" | "voted" | "commented") =>
      listAsks({ sort: "newest", page: 1, organization: { id, via } }).asks.map((a) => a.title);

    expect(titles("filed")).toEqual(["Filed by a Fabrikam member"]);
    expect(titles("voted")).toEqual(["Voted on by a Fabrikam member"]);
    expect(titles("commented")).toEqual(["Commented on by a Fabrikam member"]);
    expect(titles("wants")).toEqual(["Voted on by a Fabrikam member", "Filed by a Fabrikam member"]);
    expect(listAsks({ sort: "newest", page: 1, organization: { id, via: "wants" } }).total).toBe(2);
  });
});

describe("the home list and the triage queue by organization", () => {
  // An organization whose member filed one ask and voted on another, and asks that many
  // organizations voted on, filed by that member: the sort's order is known.
  async function organizationLists() {
    const name = freshOrganization("Northwind");
    const member = await makeUser({ organization: name });
    const outsider = await makeUser({ organization: freshOrganization("Elsewhere") });
    const votedOn = makeAsk(outsider.id, "Northwind voted on this one");
    ok(castVote({ askId: votedOn.id, userId: member.id }));
    const voters = Array.from({ length: 3 }, (_, i) => membersOf(freshOrganization(`Voter org ${i}`), 3));
    const vote = (askId: number, people: number[]) => {
      for (const userId of people) ok(castVote({ askId, userId }));
    };
    const threeOrgs = makeAsk(member.id, "Northwind filed: three organizations");
    vote(threeOrgs.id, [voters[0]?.[0] ?? 0, voters[1]?.[0] ?? 0, voters[2]?.[0] ?? 0]);
    const twoOrgsManyVotes = makeAsk(member.id, "Northwind filed: two organizations, five votes");
    vote(twoOrgsManyVotes.id, [...(voters[0] ?? []), ...(voters[1] ?? []).slice(0, 2)]);
    const twoOrgsOlder = makeAsk(member.id, "Northwind filed: two organizations, older");
    vote(twoOrgsOlder.id, [voters[0]?.[1] ?? 0, voters[1]?.[1] ?? 0]);
    const twoOrgsNewer = makeAsk(member.id, "Northwind filed: two organizations, newer");
    vote(twoOrgsNewer.id, [voters[0]?.[2] ?? 0, voters[2]?.[2] ?? 0]);
    const filedInOrder = [
      "Northwind filed: three organizations",
      "Northwind filed: two organizations, five votes",
      "Northwind filed: two organizations, newer",
      "Northwind filed: two organizations, older",
    ];
    return { slug: organizationRow(name).slug, name, filedInOrder, votedOnTitle: "Northwind voted on this one" };
  }

  const home = (query: string) => route(homePage, `/?${query}`);
  const triage = (query: string) => route(triagePage, `/triage?${query}`);

  it("sorts by organizations, then votes, then the newer ask, and finds the organization by its name as typed", async () => {
    const { slug, name, filedInOrder, votedOnTitle } = await organizationLists();
    const team = await signedIn("team", "EPX");
    const data = await loaded(home(`org=${slug}&sort=organizations`).load(team.cookie));
    expect(data.asks.map((a) => a.title)).toEqual([...filedInOrder, votedOnTitle]);
    // The field shows the organization's name, and the chip says what the filter keeps.
    expect(data.filter.org).toBe(name);
    expect(data.organization).toEqual({ chosen: { name, slug }, unknown: false, via: "wants" });
    // Unfiltered, the whole list in the same order.
    const everyAsk = listAsks({ sort: "organizations", page: 1, pageSize: 100 }).asks.map((a) => a.id);
    const expected = db()
      .$client.prepare(
        "SELECT id FROM asks WHERE hidden_at IS NULL ORDER BY organization_count DESC, vote_count DESC, id DESC LIMIT 100",
      )
      .all()
      .map((r) => (r as { id: number }).id);
    expect(everyAsk).toEqual(expected);
    // Typed as people type it: any case, stray spaces.
    const typed = await loaded(
      home(`org=${encodeURIComponent(`  ${name.toUpperCase()} `)}&sort=organizations`).load(team.cookie),
    );
    expect(typed.asks.map((a) => a.title)).toEqual([...filedInOrder, votedOnTitle]);
    expect(typed.filter.org).toBe(name);
  });

  it("offers up to ten names with members while one is typed, those starting with the text first", async () => {
    const tag = `Zephyrine ${Date.now()}`;
    membersOf(`${tag} Consulting`, 1);
    membersOf(`Northern Quillfeather ${tag}`, 1);
    organizationFor(db(), `${tag} Nobody Works Here`);
    for (let i = 0; i < 12; i++) membersOf(`${tag} Branch ${String(i).padStart(2, "0")}`, 1);
    const offered = async (q: string) =>
      (await jsonBody(route(suggestionsRoute, `/api/organizations?q=${encodeURIComponent(q)}`).load())).organizations;

    const names = (await offered(tag.toLowerCase())).map((o) => o.name);
    expect(names).toHaveLength(10);
    expect(names[0]).toBe(`${tag} Branch 00`);
    expect(names).not.toContain(`${tag} Nobody Works Here`);
    expect((await offered(`${tag} cons`)).map((o) => o.name)).toEqual([`${tag} Consulting`]);
    // A word inside the name finds it too, after the names that start with the text.
    expect((await offered(`quillfeather ${tag}`)).map((o) => o.name)).toEqual([`Northern Quillfeather ${tag}`]);
    expect(await offered("   ")).toEqual([]);
  });

  it("keeps a partner's and a visitor's filter to asks filed, so it does not reveal votes, until the setting allows it", async () => {
    const { slug, filedInOrder, votedOnTitle } = await organizationLists();
    const partner = await signedIn("member");
    const team = await signedIn("team", "EPX");
    const titles = async (cookie?: string) => {
      const data = await loaded(home(`org=${slug}&sort=organizations`).load(cookie));
      return { via: data.organization.via, titles: data.asks.map((a) => a.title) };
    };

    for (const cookie of [partner.cookie, undefined]) {
      expect(await titles(cookie)).toEqual({ via: "filed", titles: filedInOrder });
    }
    expect(await titles(team.cookie)).toEqual({ via: "wants", titles: [...filedInOrder, votedOnTitle] });
    // The CSV of the list holds what the list holds.
    const csv = await route(asksCsv, `/asks.csv?org=${slug}`).load(partner.cookie);
    if (!(csv instanceof Response)) throw new Error("expected a CSV response");
    const text = await csv.text();
    expect(filedInOrder.every((t) => text.includes(t))).toBe(true);
    expect(text).not.toContain(votedOnTitle);

    setPartnersSee(true);
    for (const cookie of [partner.cookie, undefined]) {
      expect(await titles(cookie)).toEqual({ via: "wants", titles: [...filedInOrder, votedOnTitle] });
    }
  });

  it("narrows and sorts each triage queue the same way", async () => {
    const { slug, filedInOrder, votedOnTitle } = await organizationLists();
    const team = await signedIn("team", "EPX");
    const titles = async (query: string) =>
      (await loaded(triage(query).load(team.cookie))).asks.map((a: { title: string }) => a.title);

    // New asks, oldest first by default; by organizations when asked.
    expect(await titles(`view=new&org=${slug}`)).toEqual([
      votedOnTitle,
      "Northwind filed: three organizations",
      "Northwind filed: two organizations, five votes",
      "Northwind filed: two organizations, older",
      "Northwind filed: two organizations, newer",
    ]);
    expect(await titles(`view=new&org=${slug}&sort=organizations`)).toEqual([...filedInOrder, votedOnTitle]);
    expect(await titles(`view=by-team&team=none&org=${slug}&sort=organizations`)).toEqual([
      ...filedInOrder,
      votedOnTitle,
    ]);
    // A name that finds nothing keeps what was typed, says so, and lists nothing.
    const unknown = await loaded(triage("view=new&org=No+such+organization").load(team.cookie));
    expect(unknown.filter.org).toBe("No such organization");
    expect(unknown.organization.unknown).toBe(true);
    expect(unknown.asks).toEqual([]);
    const unknownHome = await loaded(home("org=No+such+organization").load(team.cookie));
    expect({ asks: unknownHome.asks, total: unknownHome.total, unknown: unknownHome.organization.unknown }).toEqual({
      asks: [],
      total: 0,
      unknown: true,
    });
  });
});

describe("importing votes", () => {
  // Asks whose stored count differs from the organizations their voters belong to now.
  function driftingAsks(): number[] {
    return (
      db()
        .$client.prepare(`SELECT a.id FROM asks a WHERE a.organization_count <> (
            SELECT count(DISTINCT u.organization_id) FROM votes v JOIN users u ON u.id = v.user_id WHERE v.ask_id = a.id)`)
        .all() as { id: number }[]
    ).map((r) => r.id);
  }

  async function importPeopleAndVotes(kimsOrganization: string, tag: string) {
    const document = {
      format: "asklog",
      version: 1,
      categories: [{ name: "Partner of Record" }],
      people: [
        { ref: `${tag}-raj`, name: "Raj Mehta", organization: `Dell ${tag}` },
        { ref: `${tag}-ana`, name: "Ana Lopez", organization: `Dell ${tag}` },
        { ref: `${tag}-kim`, name: "Kim Park", organization: kimsOrganization },
        { ref: `${tag}-lee`, name: "Lee Chen" },
      ],
      asks: [
        {
          ref: `${tag}-ask`,
          title: "Imported ask with votes from three organizations",
          body: "Votes came with the history.",
          author: `${tag}-raj`,
          category: "Partner of Record",
          createdAt: "2021-04-20",
          votes: [`${tag}-raj`, `${tag}-ana`, `${tag}-kim`, `${tag}-lee`],
          extraVotes: 2,
        },
      ],
    };
    const path = join(tmpdir(), `organization-votes-${tag}-${Date.now()}-${kimsOrganization.length}.json`);
    writeFileSync(path, JSON.stringify(document));
    const report = await runImport({ source: await openImportSource(path, "history.json"), actorId: null });
    expect(report.ok).toBe(true);
    const row = db().$client.prepare("SELECT id, vote_count AS votes FROM asks WHERE source_ref = ?").get(`${tag}-ask`);
    return row as { id: number; votes: number };
  }

  it("leaves every ask's organization count exact, also when a second import moves a voter", async () => {
    const tag = `imp${Date.now()}`;
    const first = await importPeopleAndVotes(`Fabrikam ${tag}`, tag);
    expect(first.votes).toBe(6);
    expect(getAsk(first.id)?.organizationCount).toBe(2);

    // The ask's record is unchanged, so the import skips it; Kim now belongs to Dell.
    const second = await importPeopleAndVotes(`Dell ${tag}`, tag);
    expect(second.id).toBe(first.id);
    expect(getAsk(first.id)?.organizationCount).toBe(1);
    expect(driftingAsks()).toEqual([]);
  });
});
