import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "~/models/audit.server";
import { createCategory, listCategories } from "~/models/category.server";
import type { User } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as askPage from "~/routes/asks.$ask";
import * as editPage from "~/routes/asks.$ask_.edit";
import { type SearchOutcome, searchAsks } from "~/services/search-query.server";
import {
  cookieFor,
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
    expect(form).toMatchObject({ intent: "edit", ask: { title: `Partner ${oldWord} statements per quarter` } });

    const result = await edit(ask).post(
      {
        intent: "edit",
        title: `Partner ${newWord} statements per month`,
        body: "Monthly, with the **claim** number.",
        categoryId: String(category.id),
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
    // The revision is the version before the edit, with who replaced it.
    expect(page.revisions).toHaveLength(1);
    expect(page.revisions[0]).toMatchObject({
      title: `Partner ${oldWord} statements per quarter`,
      editor: author.displayName,
    });
    expect(page.revisions[0]?.bodyHtml).toContain("<strong>this</strong>");

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
      { intent: "edit", title: "A corrected title for the ask", body: "Fixed.", categoryId: String(firstCategoryId()) },
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
      { intent: "edit", title: "A corrected title for the ask", body: "Fixed.", categoryId: "999999" },
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
      { intent: "edit", title: page.ask.title, body: page.ask.body, categoryId: String(page.ask.categoryId) },
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
    expect(page.revisions[0]).toMatchObject({
      title: "A customer page that explains partner rebates",
      editor: teamMember.displayName,
    });
    expect(listAudit({ action: "ask.edit", subjectId: ask.id, page: 1 }).entries[0]?.actor).toBe(
      teamMember.displayName,
    );
  });
});
