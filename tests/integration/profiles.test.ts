import { afterEach, describe, expect, it } from "vitest";
import { addComment, setCommentHidden } from "~/models/comment.server";
import { setAskHidden } from "~/models/moderation.server";
import { mergeOrganizations } from "~/models/organization.server";
import { saveSiteSettings } from "~/models/site-setting.server";
import { castVote } from "~/models/vote.server";
import * as account from "~/routes/account";
import * as askPage from "~/routes/asks.$ask";
import * as organizationPage from "~/routes/orgs.$org";
import * as personPage from "~/routes/people.$person";
import { personPath } from "~/slug";
import { db } from "../../db/client";
import {
  cookieFor,
  freshOrganization,
  insertUsers,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  organizationRow,
  replyData,
  route,
  signedIn,
  statusOf,
} from "./helpers";

function profile(person: { id: number; displayName: string }, query = "") {
  const path = personPath(person);
  return route(personPage, `${path}${query}`, { person: path.slice("/people/".length) });
}

function organization(slug: string, query = "") {
  return route(organizationPage, `/orgs/${slug}${query}`, { org: slug });
}

// Votes are shown to partners only while an admin allows it; each test starts with it off.
afterEach(async () => {
  const admin = await makeUser({ role: "admin" });
  ok(saveSiteSettings({ values: { partnersSeeOrganizationVotes: false }, actorId: admin.id }));
});

describe("a person's page", () => {
  it("shows their name, organization, asks and comments, each comment linking to its place", async () => {
    const dell = freshOrganization("Dell");
    const raj = await makeUser({ organization: dell });
    const filed = makeAsk(raj.id, "Explain claiming partner of record to customers");
    const other = makeAsk((await makeUser()).id, "Show the rebate totals per quarter");
    const comment = ok(addComment({ askId: other.id, body: "We asked for **this** months ago.", authorId: raj.id }));

    const page = await loaded(profile(raj).load());
    expect(page.person).toMatchObject({
      displayName: raj.displayName,
      organization: { name: dell, slug: organizationRow(dell).slug },
    });
    expect(page.counts).toMatchObject({ asks: 1, comments: 1 });
    expect(page.asks.map((a) => a.id)).toEqual([filed.id]);

    const comments = await loaded(profile(raj, "?show=comments").load());
    expect(comments.show).toBe("comments");
    expect(comments.comments).toEqual([
      expect.objectContaining({
        id: comment.id,
        // Plain text: the markdown marks are gone.
        text: "We asked for this months ago.",
        ask: expect.objectContaining({ id: other.id, title: "Show the rebate totals per quarter" }),
      }),
    ]);
    // The ask page gives each comment the anchor the profile links to.
    const thread = await loaded(
      route(askPage, `/asks/${other.id}-${other.slug}`, { ask: `${other.id}-${other.slug}` }).load(),
    );
    expect(thread.comments.map((c) => c.id)).toContain(comment.id);
  });

  it("leaves out hidden asks and hidden or deleted comments for partners, and shows them to moderators", async () => {
    const author = await makeUser();
    const moderator = await makeUser({ role: "team", team: "Assignment Team" });
    const shown = makeAsk(author.id, "An ask everyone can read about deal registration");
    const hiddenAsk = makeAsk(author.id, "An ask a moderator hid about spam links");
    ok(setAskHidden({ askId: hiddenAsk.id, reason: "Spam", actorId: moderator.id }));
    const visible = ok(addComment({ askId: shown.id, body: "A comment anyone may read", authorId: author.id }));
    const onHiddenAsk = ok(addComment({ askId: hiddenAsk.id, body: "On a hidden ask", authorId: author.id }));
    const hiddenComment = ok(addComment({ askId: shown.id, body: "A hidden comment", authorId: author.id }));
    ok(setCommentHidden({ commentId: hiddenComment.id, askId: shown.id, reason: "Off topic", actorId: moderator.id }));
    const deleted = ok(addComment({ askId: shown.id, body: "A deleted comment", authorId: author.id }));
    db().$client.prepare("UPDATE comments SET deleted_at = created_at WHERE id = ?").run(deleted.id);

    const partner = (await signedIn()).cookie;
    for (const cookie of [undefined, partner]) {
      const asks = await loaded(profile(author).load(cookie));
      expect(asks.asks.map((a) => a.id)).toEqual([shown.id]);
      const comments = await loaded(profile(author, "?show=comments").load(cookie));
      expect(comments.comments.map((c) => c.id)).toEqual([visible.id]);
      expect(comments.counts.comments).toBe(1);
    }

    const team = await cookieFor(moderator);
    const seen = await loaded(profile(author, "?show=comments").load(team));
    expect(seen.comments.map((c) => c.id).sort()).toEqual([visible.id, onHiddenAsk.id, hiddenComment.id].sort());
    expect(seen.comments.map((c) => c.id)).not.toContain(deleted.id);
  });

  it("shows votes only to those who may see votes by organization", async () => {
    const voter = await makeUser({ organization: freshOrganization("Fabrikam") });
    const ask = makeAsk((await makeUser()).id, "Let partners export their pipeline");
    ok(castVote({ askId: ask.id, userId: voter.id }));
    const partner = (await signedIn()).cookie;
    const team = (await signedIn("team", "EPX")).cookie;

    for (const cookie of [undefined, partner]) {
      const page = await loaded(profile(voter, "?show=votes").load(cookie));
      expect(page.tabs).not.toContain("votes");
      // The votes tab asked for by address falls back to the asks filed.
      expect(page.show).toBe("asks");
      expect(page.asks).toEqual([]);
      expect(page.counts.votes).toBe(0);
    }
    const seenByTeam = await loaded(profile(voter, "?show=votes").load(team));
    expect(seenByTeam.tabs).toContain("votes");
    expect(seenByTeam.asks.map((a) => a.id)).toEqual([ask.id]);
    expect(seenByTeam.counts.votes).toBe(1);

    const admin = await makeUser({ role: "admin" });
    ok(saveSiteSettings({ values: { partnersSeeOrganizationVotes: true }, actorId: admin.id }));
    const seenByPartner = await loaded(profile(voter, "?show=votes").load(partner));
    expect(seenByPartner.asks.map((a) => a.id)).toEqual([ask.id]);
  });

  it("sends an old or mistyped name to the person's address, and an unknown person to 404", async () => {
    const person = await makeUser();
    const path = personPath(person);
    const id = path.slice("/people/".length).split("-")[0] ?? "";
    for (const param of [id, `${id}-someone-else`]) {
      const result = await route(personPage, `/people/${param}?show=comments`, { person: param }).load();
      expect(statusOf(result)).toBe(301);
      expect(locationOf(result)).toBe(`${path}?show=comments`);
    }
    for (const param of ["999999-nobody", "nobody", "0-zero"]) {
      expect(statusOf(await route(personPage, `/people/${param}`, { person: param }).load())).toBe(404);
    }
  });

  it("has a page for an imported person nobody has claimed yet", async () => {
    const [placeholder = 0] = insertUsers(1, "Imported Partner");
    db().$client.prepare("UPDATE users SET placeholder = 1 WHERE id = ?").run(placeholder);
    const ask = makeAsk(placeholder, "An imported ask about co-sell referrals");
    const person = { id: placeholder, displayName: "Imported Partner 0" };
    const page = await loaded(profile(person).load());
    expect(page.person.placeholder).toBe(true);
    expect(page.asks.map((a) => a.id)).toEqual([ask.id]);
  });
});

describe("hiding one's profile", () => {
  it("takes the page away for others, keeps it for the person and moderators, and unlinks the name", async () => {
    const { user: person, cookie } = await signedIn();
    const ask = makeAsk(person.id, "Partners need a sandbox tenant per customer");
    const settings = route(account, "/account");

    const hidden = await settings.post({ intent: "profile-visibility", hidden: "true" }, cookie);
    expect(locationOf(hidden)).toBe("/account#profile-visibility");
    expect(await noticeAfter(hidden)).toBe("Your profile page is hidden.");
    expect(replyData<{ profile: { hidden: boolean } }>(await settings.load(cookie)).profile.hidden).toBe(true);

    expect(statusOf(await profile(person).load())).toBe(404);
    expect(statusOf(await profile(person).load((await signedIn()).cookie))).toBe(404);
    const own = await loaded(profile(person).load(cookie));
    expect(own).toMatchObject({ own: true, person: { profileHidden: true } });
    expect((await loaded(profile(person).load((await signedIn("admin")).cookie))).person.profileHidden).toBe(true);
    expect(statusOf(await profile(person).load((await signedIn("team", "EPX")).cookie))).toBe(200);

    // The ask page still names the author, now marked as without a page.
    const askRoute = route(askPage, `/asks/${ask.id}-${ask.slug}`, { ask: `${ask.id}-${ask.slug}` });
    expect((await loaded(askRoute.load())).ask).toMatchObject({
      author: person.displayName,
      authorProfileHidden: true,
    });

    const shown = await settings.post({ intent: "profile-visibility", hidden: "false" }, cookie);
    expect(await noticeAfter(shown)).toBe("Your profile page is visible again.");
    expect(statusOf(await profile(person).load())).toBe(200);
  });
});

describe("an organization's page", () => {
  it("lists the asks its members filed, voted on and commented on, with a count each", async () => {
    const name = freshOrganization("Contoso Partners");
    const member = await makeUser({ organization: name });
    const colleague = await makeUser({ organization: name });
    const outsider = await makeUser();
    const filed = makeAsk(member.id, "Partners want one invoice per customer");
    const voted = makeAsk(outsider.id, "Show co-sell status in the partner center");
    const commented = makeAsk(outsider.id, "Allow two admins per partner tenant");
    makeAsk(outsider.id, "An ask nobody at the organization touched");
    ok(castVote({ askId: voted.id, userId: colleague.id }));
    ok(addComment({ askId: commented.id, body: "We need this too.", authorId: colleague.id }));
    const { slug, id } = organizationRow(name);
    const team = (await signedIn("team", "EPX")).cookie;

    const page = await loaded(organization(slug).load(team));
    expect(page.organization).toMatchObject({ id, name, slug, memberCount: 2, domains: [] });
    expect(page.show).toBe("filed");
    expect(page.counts).toEqual({ filed: 1, voted: 1, commented: 1 });
    expect(page.asks.map((a) => a.id)).toEqual([filed.id]);
    expect((await loaded(organization(slug, "?show=voted").load(team))).asks.map((a) => a.id)).toEqual([voted.id]);
    const commentedOn = await loaded(organization(slug, "?show=commented").load(team));
    expect(commentedOn.asks.map((a) => a.id)).toEqual([commented.id]);

    // Partners and visitors see no votes while the setting is off: no tab, no count.
    const visitor = await loaded(organization(slug, "?show=voted").load());
    expect(visitor.tabs).toEqual(["filed", "commented"]);
    expect(visitor.show).toBe("filed");
    expect(visitor.counts).toEqual({ filed: 1, commented: 1 });
  });

  it("applies the home list's status filter and sort", async () => {
    const name = freshOrganization("Northwind");
    const member = await makeUser({ organization: name });
    const older = makeAsk(member.id, "Older ask about marketplace listings");
    const newer = makeAsk(member.id, "Newer ask about marketplace offers");
    db().$client.prepare("UPDATE asks SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(older.id);
    db()
      .$client.prepare("UPDATE asks SET status_id = (SELECT id FROM statuses WHERE slug = 'planned') WHERE id = ?")
      .run(older.id);
    const { slug } = organizationRow(name);

    const newest = await loaded(organization(slug, "?sort=newest").load());
    expect(newest.asks.map((a) => a.id)).toEqual([newer.id, older.id]);
    const planned = await loaded(organization(slug, "?sort=newest&status=planned").load());
    expect(planned.asks.map((a) => a.id)).toEqual([older.id]);
    expect(planned.total).toBe(1);
    // The tab counts stay the organization's whole count.
    expect(planned.counts.filed).toBe(2);
  });

  it("sends a merged organization's old address to the one it joined, and an unknown one to 404", async () => {
    const fromName = freshOrganization("Dell EMC");
    const intoName = freshOrganization("Dell Technologies");
    await makeUser({ organization: fromName });
    await makeUser({ organization: intoName });
    const from = organizationRow(fromName);
    const into = organizationRow(intoName);
    const admin = await makeUser({ role: "admin" });
    ok(mergeOrganizations({ fromId: from.id, intoId: into.id, actorId: admin.id }));

    const result = await organization(from.slug, "?show=commented").load();
    expect(statusOf(result)).toBe(301);
    expect(locationOf(result)).toBe(`/orgs/${into.slug}?show=commented`);
    expect(statusOf(await organization("no-such-organization").load())).toBe(404);
  });
});
