import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "~/models/audit.server";
import { createCategory, listCategories } from "~/models/category.server";
import { addComment, deleteComment, setOfficialResponse } from "~/models/comment.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import type { User } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as similarApi from "~/routes/api.asks.similar";
import * as askPage from "~/routes/asks.$ask";
import * as editPage from "~/routes/asks.$ask_.edit";
import { type SearchOutcome, searchAsks } from "~/services/search-query.server";
import {
  cookieFor,
  jsonBody,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  setAskStatus,
  statusOf,
} from "./helpers";
import { testMailbox } from "./mail";

const mailbox = testMailbox();

// Each test's own made-up word, so asks from other tests never match its searches.
let counter = 0;
function word(base: string): string {
  counter += 1;
  return `${base}${counter}e${Date.now().toString(36)}`;
}

function firstCategoryId(): number {
  const [first] = listCategories();
  if (!first) throw new Error("no category to file asks under");
  return first.id;
}

function found(outcome: SearchOutcome): number[] {
  if (!outcome.ok) throw new Error(`search failed: ${outcome.reason}`);
  return outcome.results.map((r) => r.id);
}

const pageOf = (ask: { id: number; slug: string }) => `${ask.id}-${ask.slug}`;
const edit = (ask: { id: number; slug: string }) => route(editPage, `/asks/${pageOf(ask)}/edit`, { ask: pageOf(ask) });
const view = (ask: { id: number; slug: string }, cookie?: string) =>
  loaded(route(askPage, `/asks/${pageOf(ask)}`, { ask: pageOf(ask) }).load(cookie));

type Refusal = { errors: Record<string, string | undefined>; values: Record<string, string> };

async function authorWithAsk(title = "A realistic ask about partner rebates") {
  const author = await makeUser();
  const ask = makeAsk(author.id, title);
  return { author, ask, cookie: await cookieFor(author) };
}

describe("an author editing their own ask", () => {
  it("saves the new title, slug, description and category while the ask is open, and search follows", async () => {
    const [oldWord, newWord] = [word("rebatx"), word("claimz")];
    const { author, ask, cookie } = await authorWithAsk(`Partner ${oldWord} statements per quarter`);
    expect(found(searchAsks({ q: oldWord, page: 1, includeHidden: false }))).toEqual([ask.id]);
    const category = ok(createCategory({ name: `Claims ${newWord}`, actorId: author.id }));

    expect((await view(ask, cookie)).viewer.canEdit).toBe(true);
    const form = await loaded(edit(ask).load(cookie));
    expect(form).toMatchObject({
      intent: "edit",
      ask: { title: `Partner ${oldWord} statements per quarter`, version: 0 },
    });

    const result = await edit(ask).post(
      {
        intent: "edit",
        title: `Partner ${newWord} statements per month`,
        body: "Monthly, with the **claim** number.",
        categoryId: String(category.id),
        version: "0",
      },
      cookie,
    );
    const location = locationOf(result);
    expect(location).toBe(`/asks/${ask.id}-partner-${newWord}-statements-per-month`);
    expect(await noticeAfter(result)).toBe("Ask updated.");

    expect(found(searchAsks({ q: newWord, page: 1, includeHidden: false }))).toEqual([ask.id]);
    expect(found(searchAsks({ q: oldWord, page: 1, includeHidden: false }))).toEqual([]);

    const edited = { id: ask.id, slug: `partner-${newWord}-statements-per-month` };
    const page = await view(edited);
    expect(page.ask).toMatchObject({ title: `Partner ${newWord} statements per month`, category: `Claims ${newWord}` });
    expect(page.ask.editedAt).not.toBeNull();
    expect(page.ask.bodyHtml).toContain("<strong>claim</strong>");
    // The revision is the version before the edit as a diff against the edit, with who made it;
    // a visitor reads it too. The author's own edit is not marked as a team's.
    expect(page.revisions).toHaveLength(1);
    expect(page.revisions[0]).toMatchObject({
      editor: author.displayName,
      byTeam: false,
      title: [
        { kind: "same", text: "Partner " },
        { kind: "removed", text: `${oldWord} ` },
        { kind: "added", text: `${newWord} ` },
        { kind: "same", text: "statements per " },
        { kind: "removed", text: "quarter" },
        { kind: "added", text: "month" },
      ],
      category: { after: `Claims ${newWord}` },
    });
    const removedWords = page.revisions[0]?.body.filter((p) => p.kind === "removed").map((p) => p.text.trim());
    expect(removedWords?.join(" ")).toContain("this");

    const { entries } = listAudit({ action: "ask.edit", subjectId: ask.id, page: 1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor).toBe(author.displayName);

    // The author's own fix is not news: nobody is mailed about it.
    await mailbox.deliver();
    expect(mailbox.messages.filter((m) => m.subject?.includes(newWord))).toHaveLength(0);
  });

  it("is refused once a team has moved the ask out of open, and the Edit link is gone", async () => {
    const { ask, cookie } = await authorWithAsk();
    setAskStatus(ask.id, "under-review");
    expect((await view(ask, cookie)).viewer.canEdit).toBe(false);
    expect(statusOf(await edit(ask).load(cookie))).toBe(403);
    const result = await edit(ask).post(
      {
        intent: "edit",
        title: "A corrected title for the ask",
        body: "Fixed.",
        categoryId: String(firstCategoryId()),
        version: "0",
      },
      cookie,
    );
    expect(statusOf(result)).toBe(409);
    expect(replyData<Refusal>(result).errors.form).toMatch(/can no longer be edited/);
    expect((await view(ask)).ask.title).toBe("A realistic ask about partner rebates");
  });

  it("is refused to another partner", async () => {
    const { ask } = await authorWithAsk();
    const other = await cookieFor(await makeUser());
    expect((await view(ask, other)).viewer.canEdit).toBe(false);
    expect(statusOf(await edit(ask).load(other))).toBe(403);
    const result = await edit(ask).post(
      {
        intent: "edit",
        title: "Somebody else's better title",
        body: "Mine now.",
        categoryId: String(firstCategoryId()),
        version: "0",
      },
      other,
    );
    expect(statusOf(result)).toBe(403);
    // Asking for the team's permission does not help a partner either.
    const asTeam = await edit(ask).post(
      {
        intent: "edit-any",
        title: "Somebody else's better title",
        body: "Mine now.",
        categoryId: String(firstCategoryId()),
        version: "0",
      },
      other,
    );
    expect(statusOf(asTeam)).toBe(403);
    expect((await view(ask)).ask.title).toBe("A realistic ask about partner rebates");
  });

  it("keeps what was typed next to the errors, and stores nothing", async () => {
    const { ask, cookie } = await authorWithAsk();
    const result = await edit(ask).post({ intent: "edit", title: "Short", body: "   ", categoryId: "" }, cookie);
    expect(statusOf(result)).toBe(400);
    const reply = replyData<Refusal>(result);
    expect(reply.errors).toMatchObject({
      title: expect.stringMatching(/at least/),
      body: expect.any(String),
      categoryId: "Choose a category.",
    });
    expect(reply.values).toMatchObject({ title: "Short", body: "   " });

    const unknown = await edit(ask).post(
      { intent: "edit", title: "A corrected title for the ask", body: "Fixed.", categoryId: "999999", version: "0" },
      cookie,
    );
    expect(replyData<Refusal>(unknown).errors.categoryId).toBe("Choose one of the listed categories.");
    expect(replyData<Refusal>(unknown).values.title).toBe("A corrected title for the ask");

    const page = await view(ask);
    expect(page.ask.editedAt).toBeNull();
    expect(page.revisions).toEqual([]);
  });

  it("saves nothing when nothing changed", async () => {
    const { ask, cookie } = await authorWithAsk();
    const page = await view(ask);
    const result = await edit(ask).post(
      {
        intent: "edit",
        title: page.ask.title,
        body: page.ask.body,
        categoryId: String(page.ask.categoryId),
        version: "0",
      },
      cookie,
    );
    expect(await noticeAfter(result)).toBe("Nothing changed.");
    expect((await view(ask)).revisions).toEqual([]);
  });
});

describe("a team member editing any ask", () => {
  let teamMember: User;
  beforeAll(async () => {
    teamMember = await makeUser({ role: "team", team: "Assignment Team" });
  });

  it("edits an answered ask, and each follower gets one mail naming the change", async () => {
    const newWord = word("retitle");
    const { author, ask } = await authorWithAsk("A customer page that explains partner rebates");
    const voter = await makeUser();
    ok(castVote({ askId: ask.id, userId: voter.id }));
    setAskStatus(ask.id, "planned");
    await mailbox.deliver();
    mailbox.messages.length = 0;

    const cookie = await cookieFor(teamMember);
    expect((await view(ask, cookie)).viewer.canEdit).toBe(true);
    expect(await loaded(edit(ask).load(cookie))).toMatchObject({ intent: "edit-any" });
    const result = await edit(ask).post(
      {
        intent: "edit-any",
        title: `A customer page that explains ${newWord}`,
        body: "Partners need **this** to explain rebates.",
        categoryId: String(firstCategoryId()),
        version: "0",
      },
      cookie,
    );
    expect(locationOf(result)).toMatch(new RegExp(`^/asks/${ask.id}-a-customer-page-that-explains-${newWord}$`));

    await mailbox.deliver();
    for (const follower of [author, voter]) {
      const mails = mailbox.to(follower.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.text).toContain(
        `title: "A customer page that explains partner rebates" → "A customer page that explains ${newWord}"`,
      );
    }
    expect(mailbox.to(teamMember.email)).toHaveLength(0);

    const page = await view({ id: ask.id, slug: `a-customer-page-that-explains-${newWord}` });
    // A team's edit is noted as one.
    expect(page.revisions[0]).toMatchObject({
      title: [
        { kind: "same", text: "A customer page that explains " },
        { kind: "removed", text: "partner rebates" },
        { kind: "added", text: newWord },
      ],
      editor: teamMember.displayName,
      byTeam: true,
      editorTeam: "Assignment Team",
    });
    expect(listAudit({ action: "ask.edit", subjectId: ask.id, page: 1 }).entries[0]?.actor).toBe(
      teamMember.displayName,
    );
  });
});

describe("a team's answer ends the author's edits", () => {
  let teamMember: User;
  beforeAll(async () => {
    teamMember = await makeUser({ role: "team", team: "Assignment Team" });
  });

  async function expectAuthorRefused(ask: { id: number; slug: string }, cookie: string) {
    expect((await view(ask, cookie)).viewer.canEdit).toBe(false);
    const page = await edit(ask).load(cookie);
    expect(statusOf(page)).toBe(403);
    const result = await edit(ask).post(
      {
        intent: "edit",
        title: "A corrected title for the ask",
        body: "Fixed.",
        categoryId: String(firstCategoryId()),
        version: "0",
      },
      cookie,
    );
    expect(statusOf(result)).toBe(409);
    expect(replyData<Refusal>(result).errors.form).toBe(
      "This ask can no longer be edited: a program team has answered it.",
    );
    expect((await view(ask)).ask.title).toBe("A realistic ask about partner rebates");
    expect((await view(ask)).revisions).toEqual([]);
  }

  it("once a team posted a status update, even one that kept the ask open", async () => {
    const { ask, cookie } = await authorWithAsk();
    const open = getStatusBySlug("open");
    if (!open || !teamMember.teamId) throw new Error("no open status or team to answer with");
    ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: open.id,
        teamId: teamMember.teamId,
        note: "We are collecting more examples before we decide.",
        links: [],
        actorId: teamMember.id,
      }),
    );
    expect((await view(ask)).ask.status.slug).toBe("open");
    await expectAuthorRefused(ask, cookie);
    // The team may still edit it.
    expect((await view(ask, await cookieFor(teamMember))).viewer.canEdit).toBe(true);
  });

  it("once a team's comment is the official response, and again once that response is deleted", async () => {
    const { ask, cookie } = await authorWithAsk();
    const comment = ok(addComment({ askId: ask.id, body: "This is on our list for spring.", authorId: teamMember.id }));
    // A plain comment from a team member is no answer yet.
    expect((await view(ask, cookie)).viewer.canEdit).toBe(true);
    ok(setOfficialResponse({ commentId: comment.id, askId: ask.id, official: true, actorId: teamMember.id }));
    await expectAuthorRefused(ask, cookie);
    ok(deleteComment({ commentId: comment.id, askId: ask.id, authorId: teamMember.id }));
    expect((await view(ask, cookie)).viewer.canEdit).toBe(true);
  });
});

describe("two edits of the same version", () => {
  it("refuses the later save, keeps both texts, and overwrites nothing", async () => {
    const { author, ask, cookie } = await authorWithAsk("Partner rebate statements per quarter");
    const teamMember = await makeUser({ role: "team", team: "Assignment Team" });
    const teamCookie = await cookieFor(teamMember);
    // Both open the form on the same version.
    const opened = await loaded(edit(ask).load(cookie));
    expect(opened.ask.version).toBe(0);
    expect((await loaded(edit(ask).load(teamCookie))).ask.version).toBe(0);

    const teamSave = await edit(ask).post(
      {
        intent: "edit-any",
        title: "Partner rebate statements per month",
        body: "The team's wording.",
        categoryId: String(opened.ask.categoryId),
        version: "0",
      },
      teamCookie,
    );
    expect(await noticeAfter(teamSave)).toBe("Ask updated.");
    const saved = { id: ask.id, slug: "partner-rebate-statements-per-month" };

    const mine = {
      intent: "edit",
      title: "Partner rebate statements per claim",
      body: "The author's wording.",
      categoryId: String(opened.ask.categoryId),
      version: "0",
    };
    const late = await edit(saved).post(mine, cookie);
    expect(statusOf(late)).toBe(409);
    const reply = replyData<Refusal>(late);
    expect(reply.errors.version).toMatch(/^This ask was changed since you opened it\./);
    // The person's own text comes back for the fields…
    expect(reply.values).toMatchObject({ title: mine.title, body: mine.body });
    // …and the page, loaded again, holds the saved text to show beside it, on the newer version.
    const reopened = await loaded(edit(saved).load(cookie));
    expect(reopened.ask).toMatchObject({
      title: "Partner rebate statements per month",
      body: "The team's wording.",
      version: 1,
    });
    const page = await view(saved);
    expect(page.ask.title).toBe("Partner rebate statements per month");
    expect(page.revisions).toHaveLength(1);

    // Once merged by hand, the save over the version now shown goes through.
    const merged = await edit(saved).post(
      { ...mine, title: "Partner rebate statements per month and claim", version: "1" },
      cookie,
    );
    expect(await noticeAfter(merged)).toBe("Ask updated.");
    const after = await view({ id: ask.id, slug: "partner-rebate-statements-per-month-and-claim" });
    expect(after.ask.body).toBe("The author's wording.");
    expect(after.revisions.map((r) => r.editor)).toEqual([author.displayName, teamMember.displayName]);
  });
});

describe("duplicate hints while editing", () => {
  it("leave out the ask being edited, and still offer the others", async () => {
    const stem = word("zebrafin");
    const author = await makeUser();
    const edited = makeAsk(author.id, `Quarterly ${stem} payout statements`);
    const other = makeAsk(author.id, `Monthly ${stem} payout statements`);
    const similar = (query: string) =>
      jsonBody<{ similar: { id: number }[] }>(route(similarApi, `/api/asks/similar?${query}`).load());
    // Only the two asks have this made-up word.
    const all = await similar(`title=${stem}`);
    expect(all.similar.map((a) => a.id).sort()).toEqual([edited.id, other.id].sort());
    const hints = await similar(`title=${stem}&exclude=${edited.id}`);
    expect(hints.similar.map((a) => a.id)).toEqual([other.id]);
  });
});
