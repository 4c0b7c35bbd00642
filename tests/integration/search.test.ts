import { describe, expect, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { addComment, deleteComment, editComment, setCommentHidden } from "~/models/comment.server";
import { mergeAsk } from "~/models/merge.server";
import { setAskHidden } from "~/models/moderation.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import type { User } from "~/models/user.server";
import * as home from "~/routes/_index";
import * as apiSearch from "~/routes/api.search";
import * as fileAsk from "~/routes/asks.new";
import * as searchPage from "~/routes/search";
import * as searchFeed from "~/routes/search[.]atom";
import * as searchCsv from "~/routes/search[.]csv";
import { type SearchOutcome, searchAsks, similarAsks } from "~/services/search-query.server";
import { pageSize } from "~/validation/fields";
import type { ResolutionLink } from "~/validation/status-update";
import { db } from "../../db/client";
import { cookieFor, jsonBody, loaded, locationOf, makeUser, ok, replyData, route, setAskStatus } from "./helpers";

// Each test uses its own made-up words, so asks from other tests never match.
let counter = 0;
function word(base: string): string {
  counter += 1;
  return `${base}${counter}q${Date.now().toString(36)}`;
}

function categoryId(): number {
  const [first] = listCategories();
  if (!first) throw new Error("no category to file asks under");
  return first.id;
}

function ask(authorId: number, title: string, body = "Partners need this for their customers.") {
  return ok(createAsk({ title, body, categoryId: categoryId(), authorId }));
}

function ids(outcome: SearchOutcome): number[] {
  if (!outcome.ok) throw new Error(`search failed: ${outcome.reason}`);
  return outcome.results.map((r) => r.id);
}

function search(q: string, includeHidden = false) {
  return searchAsks({ q, page: 1, includeHidden });
}

const today = () => new Date().toISOString().slice(0, 10);

// A status update by the member's team, dated today, that plans the ask.
function plan(askId: number, member: User, note: string, links: ResolutionLink[] = []) {
  const toStatusId = getStatusBySlug("planned")?.id ?? 0;
  return ok(recordStatusUpdate({ askId, toStatusId, teamId: member.teamId ?? 0, note, links, actorId: member.id }));
}

// The search page's data for a query string, as a browser would request it.
function searchPageFor(query: string, cookie?: string) {
  return loaded(route(searchPage, `/search?${query}`).load(cookie));
}

describe("search over the whole history", () => {
  it("ranks a title match above a comment match", async () => {
    const author = await makeUser();
    const w = word("zircon");
    const inComment = ask(author.id, "Show partner earnings by month in one report");
    addComment({ askId: inComment.id, body: `This would help with ${w} planning.`, authorId: author.id });
    const inTitle = ask(author.id, `A ${w} export for partner earnings`);
    expect(ids(search(w))).toEqual([inTitle.id, inComment.id]);
  });

  it("finds a word that is only in a status note, only in a comment, or only in a resolution URL, and says where", async () => {
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "EPX" });
    const [noteWord, commentWord, urlWord] = [word("osunote"), word("dellcomment"), word("cporlink")];
    const a = ask(author.id, "A customer-facing page that explains claiming partner of record");
    plan(a.id, team, `Added to the asks shared with the ${noteWord} team for next year's planning.`, [
      { url: `https://learn.example.com/${urlWord}/about`, title: "About the program" },
    ]);
    addComment({ askId: a.id, body: `We asked for this months ago — ${commentWord}.`, authorId: author.id });

    const note = search(noteWord);
    expect(ids(note)).toEqual([a.id]);
    expect(note.ok && note.results[0]?.match).toMatchObject({ source: "note", noteDate: today() });
    expect(note.ok && note.results[0]?.match.parts.find((p) => p.hit)?.text.toLowerCase()).toBe(noteWord);

    const comment = search(commentWord);
    expect(comment.ok && comment.results[0]?.match).toMatchObject({
      source: "comment",
      commentAuthor: author.displayName,
    });
    const link = search(`learn.example.com/${urlWord}`);
    expect(ids(link)).toEqual([a.id]);
    expect(link.ok && link.results[0]?.match.source).toBe("link");
  });

  it("matches phrases, excludes -words, prefixes the last word and applies filters", async () => {
    const author = await makeUser();
    const w = word("rebate");
    const planned = ask(author.id, `Quarterly ${w} statements for distributors`);
    const other = ask(author.id, `Monthly ${w} statements for resellers`);
    expect(ids(search(`"quarterly ${w}"`))).toEqual([planned.id]);
    expect(ids(search(`${w} -resellers`))).toEqual([planned.id]);
    expect(ids(searchAsks({ q: w.slice(0, -3), page: 1, includeHidden: false })).sort()).toEqual(
      [planned.id, other.id].sort(),
    );
    setAskStatus(planned.id, "planned");
    expect(ids(searchAsks({ q: w, page: 1, includeHidden: false, status: "planned" }))).toEqual([planned.id]);
    expect(ids(searchAsks({ q: w, page: 1, includeHidden: false, from: "2999-01-01" }))).toEqual([]);
    expect(ids(searchAsks({ q: w, page: 1, includeHidden: false, from: today(), to: today() })).length).toBe(2);
  });

  it("finds on the full page, in the feed and in the CSV every ask the as-you-type panel counted", async () => {
    const author = await makeUser();
    const w = word("rebate");
    const a = ask(author.id, `Quarterly ${w} statements for distributors`);
    const typed = w.slice(0, -2);
    const panel = await jsonBody<SearchOutcome>(route(apiSearch, `/api/search?q=${typed}`).load());
    expect(ids(panel)).toEqual([a.id]);
    expect(panel.ok && panel.total).toBe(1);
    // Enter submits the same words: the page, its feed and its export find what the panel counted.
    const page = await searchPageFor(`q=${typed}`);
    expect(page.outcome?.ok && page.outcome.total).toBe(1);
    expect(page.outcome?.ok && page.outcome.results.map((r) => r.id)).toEqual([a.id]);
    const feed = await route(searchFeed, `/search.atom?q=${typed}`).load();
    expect(await (feed as Response).text()).toContain(`/asks/${a.id}-`);
    const csv = await route(searchCsv, `/search.csv?q=${typed}`).load();
    expect(await (csv as Response).text()).toContain(`Quarterly ${w} statements`);
  });

  it("shows snippets as plain text, and still finds a link by its title or its URL", async () => {
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "EPX" });
    const [title, url, status] = [word("claiming"), word("cpor"), word("rejected")];
    const a = ask(
      author.id,
      "A customer-facing page that explains partner of record",
      `Partners need a page. See [About ${title}…](https://aka.ms/about-${url}) for **what** exists.`,
    );
    plan(a.id, team, `*${status}* for now — see [About ${title}](https://aka.ms/about-${url}).`);
    for (const q of [`aka.ms/about-${url}`, title, status]) {
      const found = search(q);
      expect(ids(found), q).toEqual([a.id]);
      const text = found.ok ? (found.results[0]?.match.parts ?? []).map((p) => p.text).join("") : "";
      expect(text, q).not.toMatch(/\]\(|\*/);
      expect(found.ok && found.results[0]?.match.parts.some((p) => p.hit), q).toBe(true);
    }
    const byUrl = search(`aka.ms/about-${url}`);
    expect(byUrl.ok && byUrl.results[0]?.match.parts.map((p) => p.text).join("")).toContain(
      `About ${title}… (https://aka.ms/about-${url})`,
    );
    const byStatus = search(status);
    expect(byStatus.ok && byStatus.results[0]?.match).toMatchObject({ source: "note", noteTeam: "EPX" });
    expect(byStatus.ok && byStatus.results[0]?.match.parts.find((p) => p.hit)?.text.toLowerCase()).toBe(status);
  });

  it("counts every match on each page, and sends a page past the end to the last one", async () => {
    const author = await makeUser();
    const w = word("paging");
    for (let i = 0; i < pageSize + 2; i++) ask(author.id, `Statements ${w} number ${i}`);
    const second = await searchPageFor(`q=${w}&page=2`);
    expect(second.outcome?.ok && second.outcome.total).toBe(pageSize + 2);
    expect(second.outcome?.ok && second.outcome.results.length).toBe(2);
    expect(locationOf(await route(searchPage, `/search?q=${w}&page=9`).load())).toBe(`/search?q=${w}&page=2`);
  });

  it("never lets markup in content or in the query reach the page as markup", async () => {
    const author = await makeUser();
    const w = word("xss");
    const a = ask(
      author.id,
      `Escaping check ${w} for partner pages`,
      `<img src=x onerror=alert(1)> ${w} <script>alert(1)</script>`,
    );
    const page = await searchPageFor(`q=${encodeURIComponent(`${w} <script> onerror=`)}`);
    const hit = page.outcome?.ok ? page.outcome.results.find((r) => r.id === a.id) : undefined;
    expect(hit).toBeDefined();
    // The parts are plain text for React to escape; none is an HTML string with a live hit marker.
    expect(hit?.match.parts.every((p) => !p.text.includes("\u0001") && !p.text.includes("\u0002"))).toBe(true);
  });

  it("answers every odd query with a message or results, never an error", async () => {
    for (const q of [
      '"',
      "NEAR(",
      "*",
      "a OR",
      "-",
      "((",
      "^",
      "col:",
      "\u0000",
      "AND NOT",
      "'; DROP TABLE asks; --",
      "💥",
    ]) {
      const data = await searchPageFor(`q=${encodeURIComponent(q)}`);
      expect(data.outcome, q).not.toBeNull();
    }
    const message = (data: Awaited<ReturnType<typeof searchPageFor>>) =>
      data.outcome && !data.outcome.ok ? data.outcome.message : undefined;
    expect(message(await searchPageFor("q=%20"))).toMatch(/Type a word/);
    expect(message(await searchPageFor("q=-declined"))).toMatch(/at least one word/);
    const badDate = await searchPageFor("q=x&from=2021-13-45");
    expect(badDate.errors.from).toBe("That is not a calendar date.");
    const notADate = await searchPageFor("q=x&to=soon");
    expect(notADate.errors.to).toBe("Use a date like 2021-04-27.");
  });

  it("keeps hidden asks and hidden comments from people who cannot see them", async () => {
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "EPX" });
    const [askWord, commentWord] = [word("hiddenask"), word("hiddencomment")];
    const hiddenAsk = ask(author.id, `An ask about ${askWord} that gets hidden`);
    setAskHidden({ askId: hiddenAsk.id, reason: "Spam", actorId: team.id });
    const visible = ask(author.id, "An ask whose comment gets hidden later");
    const c = ok(addComment({ askId: visible.id, body: `Spammy ${commentWord} text`, authorId: author.id })).id;
    setCommentHidden({ commentId: c, askId: visible.id, reason: "Spam", actorId: team.id });

    expect(ids(search(askWord))).toEqual([]);
    expect(ids(search(askWord, true))).toEqual([hiddenAsk.id]);
    expect(ids(search(commentWord))).toEqual([]);
    const api = route(apiSearch, `/api/search?q=${askWord}`);
    expect(ids(await jsonBody(api.load()))).toEqual([]);
    expect(ids(await jsonBody(api.load(await cookieFor(team))))).toEqual([hiddenAsk.id]);
  });

  it("stays right after edits, deletes, hides and merges", async () => {
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "EPX" });
    const [before, after] = [word("before"), word("after")];
    const a = ask(author.id, "Edits keep the search index right");
    const c = ok(addComment({ askId: a.id, body: `first ${before}`, authorId: author.id })).id;
    expect(ids(search(before))).toEqual([a.id]);
    editComment({ commentId: c, askId: a.id, body: `now ${after}`, authorId: author.id });
    expect(ids(search(before))).toEqual([]);
    expect(ids(search(after))).toEqual([a.id]);
    setCommentHidden({ commentId: c, askId: a.id, reason: "Off topic", actorId: team.id });
    expect(ids(search(after))).toEqual([]);
    setCommentHidden({ commentId: c, askId: a.id, reason: null, actorId: team.id });
    expect(ids(search(after))).toEqual([a.id]);
    deleteComment({ commentId: c, askId: a.id, authorId: author.id });
    expect(ids(search(after))).toEqual([]);

    const mergedWord = word("merged");
    const duplicate = ask(author.id, `A duplicate about ${mergedWord}`);
    const target = ask(author.id, "The ask it is merged into");
    mergeAsk({ askId: duplicate.id, targetId: target.id, actorId: team.id });
    // The duplicate is still findable by its own words, and its merge note names the target.
    expect(ids(search(mergedWord))).toEqual([duplicate.id]);
    expect(ids(search(`"merged into" ${mergedWord}`))).toEqual([duplicate.id]);
  });
});

describe("similar asks while filing", () => {
  it("suggests existing asks sharing the title's words, best first", async () => {
    const author = await makeUser();
    const w = word("countdown");
    const best = ask(author.id, `Show the ${w} for Change of Channel Partner requests`);
    const weaker = ask(author.id, `A ${w} widget for dashboards`);
    const found = similarAsks(`${w} for channel partner change`);
    expect(found.map((s) => s.id).slice(0, 2)).toEqual([best.id, weaker.id]);
    expect(found[0]?.overlap).toBeGreaterThan(found[1]?.overlap ?? 1);
    expect(similarAsks("the and of")).toEqual([]);
  });
});

describe("filing without JavaScript", () => {
  it("asks once whether a close match is what the partner meant, then files anyway", async () => {
    const author = await makeUser();
    const w = word("payout");
    const existing = ask(author.id, `Marketplace ${w} statements per order`);
    const cookie = await cookieFor(author);
    const fields = {
      intent: "file",
      title: `Marketplace ${w} statements`,
      body: "Per order, please.",
      categoryId: String(categoryId()),
    };
    const filing = route(fileAsk, "/asks/new");
    const first = replyData<{ similar: { id: number }[]; values: { title: string } }>(
      await filing.post(fields, cookie),
    );
    expect(first.similar.map((s) => s.id)).toContain(existing.id);
    expect(first.values.title).toBe(fields.title);
    const count = () =>
      (db().$client.prepare("SELECT count(*) AS n FROM asks WHERE title = ?").get(fields.title) as { n: number }).n;
    expect(count()).toBe(0);
    const second = await filing.post({ ...fields, confirmed: "1" }, cookie);
    expect(locationOf(second)).toMatch(/^\/asks\/\d+-marketplace-/);
    expect(count()).toBe(1);
  });
});

describe("the home page's ?q= filter", () => {
  const homeFor = (query: string) => loaded(route(home, `/?${query}`).load());

  it("finds the asks /search finds, anywhere in their history, in the list's own order and filters", async () => {
    const author = await makeUser();
    const team = await makeUser({ role: "team", team: "EPX" });
    const [w, other] = [word("rebatehome"), word("excluded")];
    const inTitle = ask(author.id, `Quarterly ${w} statements`);
    const inNote = ask(author.id, "Statements for distributors");
    plan(inNote.id, team, `Planned together with the ${w} work.`);
    const inComment = ask(author.id, `Monthly statements for resellers, ${other}`);
    ok(addComment({ askId: inComment.id, body: `Same as the ${w} one.`, authorId: author.id }));
    ask(author.id, "An ask that mentions neither");

    const listed = await homeFor(`q=${w}&sort=newest`);
    expect(listed.asks.map((a) => a.id)).toEqual([inComment.id, inNote.id, inTitle.id]);
    expect(listed.total).toBe(3);
    expect(listed.searchMessage).toBeNull();
    expect(new Set(ids(search(w)))).toEqual(new Set(listed.asks.map((a) => a.id)));

    expect((await homeFor(`q=${encodeURIComponent(`${w} -${other}`)}&sort=newest`)).asks.map((a) => a.id)).toEqual([
      inNote.id,
      inTitle.id,
    ]);
    expect((await homeFor(`q=${w}&status=planned`)).asks.map((a) => a.id)).toEqual([inNote.id]);
  });

  it("says why a query that looks for nothing lists nothing, and ignores an empty one", async () => {
    const onlyOut = await homeFor("q=-declined");
    expect(onlyOut).toMatchObject({ asks: [], total: 0, filter: { q: "-declined" } });
    expect(onlyOut.searchMessage).toMatch(/at least one word/);

    const blank = await homeFor("q=%20%20");
    expect(blank.searchMessage).toBeNull();
    expect(blank.filter.q).toBe("");
    expect(blank.total).toBeGreaterThan(0);
  });
});
