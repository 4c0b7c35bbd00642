import { describe, expect, it } from "vitest";
import { personMatched } from "~/components/search-hit";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { addComment, setCommentHidden } from "~/models/comment.server";
import { mergeOrganizations, renameOrganization } from "~/models/organization.server";
import { listStatuses } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { updateProfile } from "~/models/user.server";
import * as home from "~/routes/_index";
import * as apiSearch from "~/routes/api.search";
import * as searchPage from "~/routes/search";
import { type SearchOutcome, searchAsks } from "~/services/search-query.server";
import { db } from "../../db/client";
import { jsonBody, loaded, makeUser, ok, route } from "./helpers";

// Made-up words no other test uses, so each test's names find only its own asks.
let counter = 0;
function unique(): string {
  counter += 1;
  return `n${counter}q${Date.now().toString(36)}`;
}

function ask(authorId: number, title: string) {
  const [category] = listCategories();
  if (!category) throw new Error("no category to file asks under");
  return ok(createAsk({ title, body: "Partners need this for their customers.", categoryId: category.id, authorId }));
}

// Someone called `name`, in `organization` (or on `team`).
async function person(name: string, where: { organization?: string; team?: string }) {
  const user = await makeUser(where.team ? { team: where.team, role: "team" } : { organization: where.organization });
  ok(updateProfile({ userId: user.id, displayName: name, organization: where.organization ?? null }));
  return user;
}

function organizationId(name: string): number {
  const row = db().$client.prepare("SELECT id FROM organizations WHERE name = ?").get(name) as
    | { id: number }
    | undefined;
  if (!row) throw new Error(`no organization ${name}`);
  return row.id;
}

const search = (q: string) => searchAsks({ q, page: 1, includeHidden: false });

function ids(outcome: SearchOutcome): number[] {
  if (!outcome.ok) throw new Error(`search failed: ${outcome.reason}`);
  return outcome.results.map((r) => r.id);
}

function explained(outcome: SearchOutcome, askId: number): string {
  if (!outcome.ok) throw new Error(`search failed: ${outcome.reason}`);
  const match = outcome.results.find((r) => r.id === askId)?.match;
  if (!match?.person) throw new Error(`ask ${askId} did not match through a name: ${JSON.stringify(match)}`);
  return personMatched(match.person);
}

describe("plain words find names", () => {
  it("finds an ask through a commenter's organization and says who", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell${u}` });
    const cpor = ask(filer.id, "A customer-facing page that explains CPOR");
    ask(filer.id, "Something else entirely");
    addComment({ askId: cpor.id, body: "We requested this months ago.", authorId: raj.id });

    const found = search(`dell${u}`);
    expect(ids(found)).toEqual([cpor.id]);
    expect(explained(found, cpor.id)).toBe(`Comment by Raj Mehta${u} (Dell${u})`);
    // The comment itself is the snippet.
    expect(found.ok && found.results[0]?.match.parts.map((p) => p.text).join("")).toBe("We requested this months ago.");
    expect(explained(search(`mehta${u}`), cpor.id)).toBe(`Comment by Raj Mehta${u} (Dell${u})`);
    expect(explained(search(`filer${u}`), cpor.id)).toBe(`Filed by Ana Filer${u} (Contoso)`);

    // The panel and the home list find it the same way.
    const panel = await jsonBody<SearchOutcome>(route(apiSearch, `/api/search?q=dell${u}`).load());
    expect(panel.ok && panel.results.map((r) => r.id)).toEqual([cpor.id]);
    const listed = await loaded(route(home, `/?q=dell${u}&sort=newest`).load());
    expect(listed.asks.map((x) => x.id)).toEqual([cpor.id]);
  });

  it("ranks an ask that says the name above one a person of that name only commented on", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell${u}` });
    const commented = ask(filer.id, "Rebate statements");
    const says = ask(filer.id, `Dell${u} wants rebate statements`);
    addComment({ askId: commented.id, body: "Yes please.", authorId: raj.id });
    expect(ids(search(`dell${u}`))).toEqual([says.id, commented.id]);
  });

  it("names a status update's team and author", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const priya = await person(`Priya Shah${u}`, { team: `EPX${u}` });
    const a = ask(filer.id, "Shared planning list");
    const [status] = listStatuses();
    if (!status || !priya.teamId) throw new Error("no status or team");
    ok(
      recordStatusUpdate({
        askId: a.id,
        toStatusId: status.id,
        teamId: priya.teamId,
        note: "Added to the list.",
        links: [],
        actorId: priya.id,
      }),
    );
    expect(explained(search(`shah${u}`), a.id)).toMatch(
      new RegExp(`^Status update by EPX${u} · Priya Shah${u} · \\d{4}-\\d{2}-\\d{2}$`),
    );
  });

  it("does not let the author of a hidden comment make an ask match", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell${u}` });
    const moderator = await makeUser({ role: "admin" });
    const a = ask(filer.id, "Partner of record changes");
    const comment = ok(addComment({ askId: a.id, body: "Spam.", authorId: raj.id }));
    expect(ids(search(`dell${u}`))).toEqual([a.id]);
    ok(setCommentHidden({ commentId: comment.id, askId: a.id, reason: "spam", actorId: moderator.id }));
    expect(ids(search(`dell${u}`))).toEqual([]);
    expect(ids(search(`org:dell${u}`))).toEqual([]);
    expect(ids(search(`author:"raj mehta${u}"`))).toEqual([]);
  });
});

describe("qualifiers", () => {
  it("narrow by organization, author and team, alone, together and with words", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: `Contoso${u}` });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell Technologies${u}` });
    const priya = await person(`Priya Shah${u}`, { team: `EPX${u}` });
    const [status] = listStatuses();
    if (!status || !priya.teamId) throw new Error("no status or team");
    const rebates = ask(filer.id, `Rebate statements ${u}`);
    const cpor = ask(filer.id, `CPOR page ${u}`);
    const other = ask(raj.id, `Unrelated ${u}`);
    addComment({ askId: cpor.id, body: "We asked for this.", authorId: raj.id });
    ok(
      recordStatusUpdate({
        askId: rebates.id,
        toStatusId: status.id,
        teamId: priya.teamId,
        note: "Looking.",
        links: [],
        actorId: priya.id,
      }),
    );

    // By folded name and by page address, the newest first; quoted values keep their spaces.
    expect(ids(search(`org:"dell technologies${u}"`))).toEqual([other.id, cpor.id]);
    expect(ids(search(`ORG:"Dell  Technologies${u}"`))).toEqual([other.id, cpor.id]);
    expect(ids(search(`org:dell-technologies${u}`))).toEqual([other.id, cpor.id]);
    expect(ids(search(`org:contoso${u}`))).toEqual([cpor.id, rebates.id]);
    expect(ids(search(`author:"raj mehta${u}"`))).toEqual([other.id, cpor.id]);
    expect(ids(search(`author:mehta${u}`))).toEqual([other.id, cpor.id]);
    expect(ids(search(`team:epx${u}`))).toEqual([rebates.id]);
    // With words, and with each other.
    expect(ids(search(`cpor org:"dell technologies${u}"`))).toEqual([cpor.id]);
    expect(ids(search(`org:contoso${u} author:"raj mehta${u}"`))).toEqual([cpor.id]);
    expect(ids(search(`org:contoso${u} team:epx${u} rebate`))).toEqual([rebates.id]);
    expect(ids(search(`org:contoso${u} -cpor`))).toEqual([rebates.id]);

    // Why each matched.
    expect(explained(search(`team:epx${u}`), rebates.id)).toMatch(`Status update by EPX${u} · Priya Shah${u}`);
    expect(explained(search(`org:contoso${u}`), cpor.id)).toBe(`Filed by Ana Filer${u} (Contoso${u})`);
    expect(explained(search(`author:"raj mehta${u}"`), cpor.id)).toBe(
      `Comment by Raj Mehta${u} (Dell Technologies${u})`,
    );

    // The chips: the resolved names, each with the search that leaves it out.
    const both = search(`cpor  org:dell-technologies${u} team:epx${u}`);
    expect(both.ok && both.qualifiers).toEqual([
      { key: "org", value: `dell-technologies${u}`, label: `Dell Technologies${u}`, without: `cpor team:epx${u}` },
      { key: "team", value: `epx${u}`, label: `EPX${u}`, without: `cpor org:dell-technologies${u}` },
    ]);
  });

  it("reads a qualifier without a value or with an unclosed quote as words, and never fails", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const a = ask(filer.id, `Which org: or author: owns ${u}`);
    expect(ids(search(`org: ${u}`))).toEqual([a.id]);
    expect(ids(search(`${u} org:`))).toEqual([a.id]);
    expect(ids(search(`author:"ana filer${u}`))).toEqual([a.id]);
    expect(ids(search(`org:"" ${u}`))).toEqual([a.id]);
    for (const q of ["org:", 'author:"', 'team:"epx', "org:*", "author:NEAR(", ":", "org::dell"]) {
      const page = await loaded(route(searchPage, `/search?q=${encodeURIComponent(q)}`).load());
      expect(page.outcome).not.toBeNull();
    }
  });

  it("finds nothing for a name that names nobody, and says so", async () => {
    const u = unique();
    const page = await loaded(route(searchPage, `/search?q=${encodeURIComponent(`org:nosuch${u} rebate`)}`).load());
    expect(page.outcome?.ok && page.outcome.total).toBe(0);
    expect(page.outcome?.ok && page.outcome.qualifiers.map((q) => q.label)).toEqual([null]);
    const panel = await jsonBody<SearchOutcome>(route(apiSearch, `/api/search?q=author:nobody${u}`).load());
    expect(panel.ok && panel.total).toBe(0);
    const listed = await loaded(route(home, `/?q=team:none${u}`).load());
    expect(listed.asks).toEqual([]);
  });
});

describe("renames", () => {
  it("a person's new name and organization find their asks at once, and the old ones do not", async () => {
    const u = unique();
    const filer = await person(`Ana Filer${u}`, { organization: "Contoso" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell${u}` });
    const a = ask(filer.id, "Customer page");
    addComment({ askId: a.id, body: "Agreed.", authorId: raj.id });
    ok(updateProfile({ userId: raj.id, displayName: `Rajesh Mehra${u}`, organization: `Fabrikam${u}` }));
    expect(ids(search(`mehta${u}`))).toEqual([]);
    expect(ids(search(`dell${u}`))).toEqual([]);
    expect(ids(search(`mehra${u}`))).toEqual([a.id]);
    expect(ids(search(`fabrikam${u}`))).toEqual([a.id]);
    expect(ids(search(`org:fabrikam${u}`))).toEqual([a.id]);
    expect(explained(search(`mehra${u}`), a.id)).toBe(`Comment by Rajesh Mehra${u} (Fabrikam${u})`);
  });

  it("an organization's new name finds its members' asks, and the old name does not", async () => {
    const u = unique();
    const admin = await makeUser({ role: "admin" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Dell${u}` });
    const a = ask(raj.id, "Customer page");
    ok(renameOrganization({ id: organizationId(`Dell${u}`), name: `Dell Technologies${u}`, actorId: admin.id }));
    expect(ids(search(`dell${u}`))).toEqual([]);
    expect(ids(search(`technologies${u}`))).toEqual([a.id]);
    expect(explained(search(`technologies${u}`), a.id)).toBe(`Filed by Raj Mehta${u} (Dell Technologies${u})`);
  });

  it("a merge moves the hits to the organization merged into", async () => {
    const u = unique();
    const admin = await makeUser({ role: "admin" });
    const raj = await person(`Raj Mehta${u}`, { organization: `Delltech${u}` });
    await person(`Dee Ell${u}`, { organization: `Dell${u}` });
    const a = ask(raj.id, "Customer page");
    ok(
      mergeOrganizations({
        fromId: organizationId(`Delltech${u}`),
        intoId: organizationId(`Dell${u}`),
        actorId: admin.id,
      }),
    );
    expect(ids(search(`delltech${u}`))).toEqual([]);
    expect(ids(search(`dell${u}`))).toEqual([a.id]);
    expect(ids(search(`org:dell${u}`))).toEqual([a.id]);
    // The merged organization's name means the one it was merged into.
    expect(ids(search(`org:delltech${u}`))).toEqual([a.id]);
  });
});
