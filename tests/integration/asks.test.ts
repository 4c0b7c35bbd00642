import { beforeAll, describe, expect, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { createCategory, listCategories } from "~/models/category.server";
import { addComment, deleteComment } from "~/models/comment.server";
import type { User } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as homePage from "~/routes/_index";
import * as similarApi from "~/routes/api.asks.similar";
import * as askPage from "~/routes/asks.$ask";
import * as newAskPage from "~/routes/asks.new";
import * as myAsksPage from "~/routes/my-asks";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import { at } from "../../scripts/lists";
import {
  cookieFor,
  insertUsers,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  ok,
  replyData,
  route,
  setAskStatus,
  statusOf,
} from "./helpers";

const newAsk = route(newAskPage, "/asks/new");
const askRoute = (param: string) => route(askPage, `/asks/${param}`, { ask: param });
const home = (query: string) => loaded(route(homePage, `/${query}`).load());

function askCount(): number {
  return (db().$client.prepare("SELECT count(*) AS n FROM asks").get() as { n: number }).n;
}

function generalCategoryId(): number {
  const general = listCategories().find((c) => c.name === "General");
  if (!general) throw new Error("the demo categories include General");
  return general.id;
}

function setCreatedAt(askId: number, createdAt: string): void {
  db().$client.prepare("UPDATE asks SET created_at = ? WHERE id = ?").run(createdAt, askId);
}

describe("filing an ask", () => {
  let user: User;
  let cookie: string;

  beforeAll(async () => {
    user = await makeUser();
    cookie = await cookieFor(user);
  });

  it("sends a signed-out visitor to sign in, and writes nothing", async () => {
    const before = askCount();
    const result = await newAsk.post({
      intent: "file",
      title: "A perfectly good title",
      body: "Body",
      categoryId: String(generalCategoryId()),
    });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe("/signin?redirectTo=%2Fasks%2Fnew");
    expect(askCount()).toBe(before);
  });

  it("returns 400 with field errors and keeps the user's text", async () => {
    const before = askCount();
    const body = "We need a **report** of every CPOR claim.\n\n- status\n- reason";
    const result = await newAsk.post({ intent: "file", title: "  Too short ", body, categoryId: "" }, cookie);
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    expect(reply.errors).toEqual({
      title: "Title must be at least 10 characters.",
      categoryId: "Choose a category.",
    });
    expect(reply.values.title).toBe("  Too short ");
    expect(reply.values.body).toBe(body);
    expect(askCount()).toBe(before);
  });

  it("files a valid ask and redirects to its page", async () => {
    const result = await newAsk.post(
      {
        intent: "file",
        title: "  Show the CPOR rejection reason in Partner Center  ",
        body: "A rejected claim shows no reason.",
        categoryId: String(generalCategoryId()),
      },
      cookie,
    );
    expect(statusOf(result)).toBe(302);
    const location = locationOf(result) ?? "";
    const match = /^\/asks\/(\d+)-show-the-cpor-rejection-reason-in-partner-center$/.exec(location);
    expect(match, location).not.toBeNull();

    const id = match?.[1];
    const page = await loaded(askRoute(location.slice("/asks/".length)).load(cookie));
    expect(page.ask).toMatchObject({
      id: Number(id),
      title: "Show the CPOR rejection reason in Partner Center",
      author: user.displayName,
      category: "General",
      voteCount: 0,
      commentCount: 0,
      status: { slug: "open" },
    });
  });

  it("asks once whether a close match is what the partner meant, and files when they say file anyway", async () => {
    const existing = makeAsk(user.id, "Show the claim countdown for walrus partners");
    const fields = {
      intent: "file",
      title: "Show the claim countdown for walrus partners",
      body: "The same need, in other words.",
      categoryId: String(generalCategoryId()),
    };
    const before = askCount();
    const asked = await newAsk.post(fields, cookie);
    expect(statusOf(asked)).toBe(200);
    const reply = replyData<{ similar: { id: number }[]; values: Record<string, string> }>(asked);
    expect(reply.similar.map((a) => a.id)).toContain(existing.id);
    expect(reply.values).toMatchObject({ title: fields.title, body: fields.body });
    expect(askCount()).toBe(before);

    const filed = await newAsk.post({ ...fields, confirmed: "1" }, cookie);
    expect(statusOf(filed)).toBe(302);
    expect(askCount()).toBe(before + 1);
  });

  it("rejects an unknown category with a field error and writes nothing", async () => {
    const before = askCount();
    const result = await newAsk.post(
      { intent: "file", title: "A title that is long enough", body: "Body text", categoryId: "987654" },
      cookie,
    );
    expect(statusOf(result)).toBe(400);
    const reply = replyData<FormReply>(result);
    expect(reply.errors?.categoryId).toBe("Choose one of the listed categories.");
    expect(reply.values.title).toBe("A title that is long enough");
    expect(reply.values.body).toBe("Body text");
    expect(askCount()).toBe(before);
  });

  it("previews sanitized markdown and writes nothing", async () => {
    const before = askCount();
    const body = "We need **bold** support.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))";
    const result = await newAsk.post(
      { intent: "preview", title: "A title that is long enough", body, categoryId: String(generalCategoryId()) },
      cookie,
    );
    expect(statusOf(result)).toBe(200);
    const reply = replyData<{ previewHtml: string; values: Record<string, string> }>(result);
    expect(reply.previewHtml).toContain("<strong>bold</strong>");
    expect(reply.previewHtml).not.toMatch(/<script/i);
    expect(reply.previewHtml).not.toMatch(/javascript:/i);
    expect(reply.values.body).toBe(body);
    expect(reply.values.title).toBe("A title that is long enough");
    expect(askCount()).toBe(before);
  });
});

describe("the ask page loader", () => {
  it.each([
    ["abc", "abc"],
    ["a number too large to be an id", "99999999999999999999"],
    ["a well-formed id no ask has", "987654321-no-such-ask"],
    ["zero", "0-zero"],
  ])("answers 404 for %s", async (_label, param) => {
    expect(statusOf(await askRoute(param).load())).toBe(404);
  });

  it("answers 404 when the id is missing", async () => {
    expect(statusOf(await route(askPage, "/asks/").load())).toBe(404);
  });

  it("redirects an old or mistyped slug permanently to the canonical address", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id, "Rebates for Dell partners explained");
    for (const param of [`${ask.id}-old-title`, `${ask.id}`, `${ask.id}-rebates-for-dell-partners-explaine`]) {
      const result = await askRoute(param).load();
      expect(statusOf(result), param).toBe(301);
      expect(locationOf(result)).toBe(`/asks/${ask.id}-rebates-for-dell-partners-explained`);
    }
  });

  it("returns the rendered, sanitized body", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id);
    const page = await loaded(askRoute(`${ask.id}-${ask.slug}`).load());
    expect(page.ask.body).toBe("Partners need **this** to explain rebates.");
    expect(page.ask.bodyHtml).toBe("<p>Partners need <strong>this</strong> to explain rebates.</p>\n");
    expect(page.viewer.signedIn).toBe(false);
    expect(page.voted).toBe(false);
  });
});

describe("the home page loader", () => {
  const token = "zebrafinch";
  let category: number;
  let oldest: { id: number };
  let mostVoted: { id: number };
  let newest: { id: number };
  let elsewhere: { id: number };

  beforeAll(async () => {
    const author = await makeUser();
    category = ok(createCategory({ name: "Sorting test category", actorId: author.id })).id;
    const create = (title: string, body = "Plain body.", categoryId = category) =>
      ok(createAsk({ title, body, categoryId, authorId: author.id }));
    newest = create(`Newest ${token} ask with one vote`);
    mostVoted = create(`Most voted ${token} ask`);
    oldest = create("Oldest ask, matched by its body", `The body mentions ${token.toUpperCase()} only.`);
    elsewhere = create(`General ${token} ask in another category`, "Body", generalCategoryId());
    setCreatedAt(newest.id, "2024-03-01T10:00:00.000Z");
    setCreatedAt(mostVoted.id, "2024-02-01T10:00:00.000Z");
    setCreatedAt(oldest.id, "2024-01-01T10:00:00.000Z");
    setCreatedAt(elsewhere.id, "2023-12-01T10:00:00.000Z");
    const voters = insertUsers(3, "home-voter");
    for (const userId of voters) castVote({ askId: mostVoted.id, userId });
    for (const userId of voters.slice(0, 1)) castVote({ askId: newest.id, userId });
    setAskStatus(mostVoted.id, "planned");
  });

  it("puts the most-voted ask first when sorted by top", async () => {
    const data = await home(`?sort=top&category=${category}`);
    expect(data.asks.map((a) => a.id)).toEqual([mostVoted.id, newest.id, oldest.id]);
    expect(data.asks.map((a) => a.voteCount)).toEqual([3, 1, 0]);
    expect(data.filter.sort).toBe("top");
  });

  it("puts the newest ask first when sorted by newest, by filing date rather than id", async () => {
    const data = await home(`?sort=newest&category=${category}`);
    expect(data.asks.map((a) => a.id)).toEqual([newest.id, mostVoted.id, oldest.id]);
  });

  it("filters by status", async () => {
    const planned = await home(`?status=planned&q=${token}`);
    expect(planned.asks.map((a) => a.id)).toEqual([mostVoted.id]);
    expect(planned.total).toBe(1);
    expect(planned.asks[0]?.status.slug).toBe("planned");
    const open = await home(`?status=open&category=${category}&sort=newest`);
    expect(open.asks.map((a) => a.id)).toEqual([newest.id, oldest.id]);
  });

  it("filters by category", async () => {
    const data = await home(`?category=${category}&q=${token}`);
    expect(data.total).toBe(3);
    expect(data.asks.map((a) => a.id)).not.toContain(elsewhere.id);
    expect(new Set(data.asks.map((a) => a.category))).toEqual(new Set(["Sorting test category"]));
    expect(data.filter.category).toBe(String(category));
  });

  it("ignores an unknown status or category instead of showing nothing", async () => {
    const data = await home(`?status=bogus&category=987654&q=${token}&sort=newest`);
    expect(data.asks.map((a) => a.id)).toEqual([newest.id, mostVoted.id, oldest.id, elsewhere.id]);
    expect(data.filter).toMatchObject({ status: "", category: "" });
  });

  it("finds asks by text in the title or the body, ignoring case", async () => {
    const data = await home(`?q=${token.toUpperCase()}&sort=newest`);
    expect(data.asks.map((a) => a.id)).toEqual([newest.id, mostVoted.id, oldest.id, elsewhere.id]);
    expect(data.total).toBe(4);
    const none = await home("?q=no-ask-mentions-this-phrase");
    expect(none.asks).toEqual([]);
    expect(none.total).toBe(0);
  });

  it("treats % and _ in the search text literally", async () => {
    const author = await makeUser();
    const percent = makeAsk(author.id, "Pay a 100% rebate on renewals");
    const data = await home("?q=100%25");
    expect(data.asks.map((a) => a.id)).toEqual([percent.id]);
    expect((await home("?q=_%25_")).total).toBe(0);
  });

  describe("pagination", () => {
    const pageToken = "pagetoken";
    const created: number[] = [];

    beforeAll(async () => {
      const author = await makeUser();
      for (let i = 0; i < 45; i++) {
        const ask = makeAsk(author.id, `Paged ${pageToken} ask number ${i}`);
        setCreatedAt(ask.id, `2020-01-01T00:00:${String(i).padStart(2, "0")}.000Z`);
        created.push(ask.id);
      }
    });

    it("shows 20 asks a page with the right total, and no ask twice", async () => {
      const page = (n: number) => home(`?q=${pageToken}&sort=newest&page=${n}`);
      const [one, two, three] = await Promise.all([page(1), page(2), page(3)]);
      expect(one.asks).toHaveLength(20);
      expect(two.asks).toHaveLength(20);
      expect(three.asks).toHaveLength(5);
      for (const data of [one, two, three]) expect(data.total).toBe(45);
      expect([one.page, two.page, three.page]).toEqual([1, 2, 3]);
      const ids = [...one.asks, ...two.asks, ...three.asks].map((a) => a.id);
      expect(ids).toEqual([...created].reverse());
    });

    it("sends a page past the end to the last page, keeping the filters", async () => {
      const past = await route(homePage, `/?q=${pageToken}&sort=newest&page=4`).load();
      expect(statusOf(past)).toBe(302);
      expect(locationOf(past)).toBe(`/?q=${pageToken}&sort=newest&page=3`);
      const nothing = await route(homePage, "/?q=nosuchwordanywhere&page=2").load();
      expect(locationOf(nothing)).toBe("/?q=nosuchwordanywhere");
    });

    it.each(["abc", "0", "-3", "1e99", "2.5", "", "99999999999"])("falls back to page 1 for ?page=%s", async (page) => {
      const first = await home(`?q=${pageToken}&sort=newest`);
      const data = await home(`?q=${pageToken}&sort=newest&page=${encodeURIComponent(page)}`);
      expect(data.page).toBe(1);
      expect(data.asks.map((a) => a.id)).toEqual(first.asks.map((a) => a.id));
    });
  });
});

describe("the lists' vote state", () => {
  it("names which of the page's asks the reader voted on, and whether they may vote", async () => {
    const token = "votestatetoken";
    const author = await makeUser();
    const me = await makeUser();
    const mine = makeAsk(author.id, `Voted ${token} ask`);
    const other = makeAsk(author.id, `Unvoted ${token} ask`);
    castVote({ askId: mine.id, userId: me.id });

    const signedInPage = await loaded(route(homePage, `/?q=${token}`).load(await cookieFor(me)));
    expect(signedInPage.asks.map((a) => a.id).sort()).toEqual([mine.id, other.id].sort());
    expect(signedInPage.viewer).toEqual({ signedIn: true, canVote: true, votedIds: [mine.id] });
    expect(signedInPage.asks.find((a) => a.id === other.id)?.excerpt).toBe(
      "Partners need **this** to explain rebates.",
    );

    const signedOutPage = await home(`?q=${token}`);
    expect(signedOutPage.viewer).toEqual({ signedIn: false, canVote: false, votedIds: [] });
  });

  it("sends a vote from a list back to the list, at the ask's row, and never off the site", async () => {
    const author = await makeUser();
    const me = await makeUser();
    const cookie = await cookieFor(me);
    const ask = makeAsk(author.id, "An ask voted on from the list");
    const page = askRoute(`${ask.id}-${ask.slug}`);

    const voted = await page.post({ intent: "vote", returnTo: "/?sort=top&page=2" }, cookie);
    expect(locationOf(voted)).toBe(`/?sort=top&page=2#ask-${ask.id}`);
    const listed = await loaded(route(homePage, "/?sort=newest").load(cookie));
    expect(listed.viewer.votedIds).toContain(ask.id);

    const unvoted = await page.post({ intent: "unvote", returnTo: "//evil.example/" }, cookie);
    expect(locationOf(unvoted)).toBe(`/#ask-${ask.id}`);
    expect((await loaded(route(homePage, "/?sort=newest").load(cookie))).viewer.votedIds).not.toContain(ask.id);

    // Without a returnTo, the ask page's own button still lands on the ask.
    const fromAsk = await page.post({ intent: "vote" }, cookie);
    expect(locationOf(fromAsk)).toBe(`/asks/${ask.id}-${ask.slug}`);
  });
});

describe("the duplicate hints while filing", () => {
  it("suggest only asks that still take votes", async () => {
    const author = await makeUser();
    const open = makeAsk(author.id, "Quokkahint rebate calculator");
    const done = makeAsk(author.id, "Quokkahint rebate calculator export");
    setAskStatus(done.id, "completed");
    const reply = await route(similarApi, "/api/asks/similar?title=quokkahint").load();
    if (!(reply instanceof Response)) throw new Error("the endpoint answers with JSON");
    const { similar } = (await reply.json()) as { similar: { id: number }[] };
    expect(similar.map((a) => a.id)).toEqual([open.id]);
  });

  it("leave a closed ask out of the question asked without JavaScript", async () => {
    const author = await makeUser();
    const cookie = await cookieFor(author);
    const done = makeAsk(author.id, "Quokkafile numbat wombat ledger");
    setAskStatus(done.id, "completed");
    const fields = {
      intent: "file",
      title: "Quokkafile numbat wombat ledger",
      body: "The same need, once more.",
      categoryId: String(at(listCategories(), 0).id),
    };
    // The only close match is completed: nothing to vote on instead, so the ask is filed at once.
    expect(statusOf(await route(newAskPage, "/asks/new").post(fields, cookie))).toBe(302);
  });
});

describe("the my-asks loader", () => {
  it("requires sign-in", async () => {
    const result = await route(myAsksPage, "/my-asks?tab=voted").load();
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent("/my-asks?tab=voted")}`);
  });

  it("lists filed, voted and commented asks on their own tabs", async () => {
    const me = await makeUser();
    const someoneElse = await makeUser();
    const cookie = await cookieFor(me);
    const filed = makeAsk(me.id, "An ask I filed myself");
    const voted = makeAsk(someoneElse.id, "An ask I voted for");
    const commented = makeAsk(someoneElse.id, "An ask I commented on");
    const commentedThenDeleted = makeAsk(someoneElse.id, "An ask where I deleted my comment");
    const untouched = makeAsk(someoneElse.id, "An ask I never touched");
    castVote({ askId: voted.id, userId: me.id });
    castVote({ askId: untouched.id, userId: someoneElse.id });
    addComment({ askId: commented.id, body: "Agreed.", authorId: me.id });
    addComment({ askId: untouched.id, body: "Mine, not yours.", authorId: someoneElse.id });
    const gone = ok(addComment({ askId: commentedThenDeleted.id, body: "Never mind.", authorId: me.id })).id;
    deleteComment({ commentId: gone, askId: commentedThenDeleted.id, authorId: me.id });

    const tab = (query: string) => loaded(route(myAsksPage, `/my-asks${query}`).load(cookie));

    const filedTab = await tab("?tab=filed");
    expect(filedTab.asks.map((a) => a.id)).toEqual([filed.id]);
    expect(filedTab.total).toBe(1);
    expect((await tab("")).asks.map((a) => a.id)).toEqual([filed.id]);
    expect((await tab("?tab=bogus")).tab).toBe("filed");

    const votedTab = await tab("?tab=voted");
    expect(votedTab.tab).toBe("voted");
    expect(votedTab.asks.map((a) => a.id)).toEqual([voted.id]);
    expect(votedTab.total).toBe(1);

    const commentedTab = await tab("?tab=commented");
    expect(commentedTab.asks.map((a) => a.id)).toEqual([commented.id]);
    expect(commentedTab.total).toBe(1);

    expect(votedTab.viewer.votedIds).toEqual([voted.id]);
    const past = await route(myAsksPage, "/my-asks?tab=voted&page=5").load(cookie);
    expect(locationOf(past)).toBe("/my-asks?tab=voted");
  });
});
