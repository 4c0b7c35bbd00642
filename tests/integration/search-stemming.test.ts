import { describe, expect, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { addComment } from "~/models/comment.server";
import { rankingWindow } from "~/models/search-index.server";
import * as home from "~/routes/_index";
import * as apiSearch from "~/routes/api.search";
import { type SearchOutcome, searchAsks } from "~/services/search-query.server";
import { db } from "../../db/client";
import { jsonBody, loaded, makeUser, ok, route } from "./helpers";

// A made-up stem no other test uses: `${u}rebate` and `${u}rebates` share their porter stem
// (step 1a drops the plural "s"), and nothing else in the database shares it.
let counter = 0;
function unique(): string {
  counter += 1;
  return `x${counter}q${Date.now().toString(36)}`;
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

const search = (q: string) => searchAsks({ q, page: 1, includeHidden: false });

describe("search in any form of a word", () => {
  it("finds an ask that says rebate for rebates, on the page, in the panel and in the home list", async () => {
    const author = await makeUser();
    const u = unique();
    const a = ask(author.id, `Quarterly ${u}rebate statements for distributors`);
    expect(ids(search(`${u}rebates`))).toEqual([a.id]);
    expect(ids(search(`${u}rebates statement`))).toEqual([a.id]);
    const panel = await jsonBody<SearchOutcome>(route(apiSearch, `/api/search?q=${u}rebates`).load());
    expect(panel.ok && panel.total).toBe(1);
    const listed = await loaded(route(home, `/?q=${u}rebates&sort=newest`).load());
    expect(listed.asks.map((x) => x.id)).toEqual([a.id]);
    // The snippet marks the word as the ask wrote it.
    const found = search(`${u}rebates`);
    expect(found.ok && found.results[0]?.match.parts.find((p) => p.hit)?.text).toBe(`${u}rebate`);
  });

  it("ranks asks holding the words as written above asks holding only another form, wherever it is", async () => {
    const author = await makeUser();
    const u = unique();
    // The stemmed match is in the title, which otherwise outweighs a comment.
    const stemmed = ask(author.id, `Quarterly ${u}rebate statements`);
    const exact = ask(author.id, "Statements for distributors");
    addComment({ askId: exact.id, body: `Our ${u}rebates are late every quarter.`, authorId: author.id });
    expect(ids(search(`${u}rebates`))).toEqual([exact.id, stemmed.id]);
    // As a prefix, rebate is in both as written: then the title outweighs the comment.
    expect(ids(search(`${u}rebate`))).toEqual([stemmed.id, exact.id]);
  });

  it("keeps a quoted phrase exact and leaves out every form of an excluded word", async () => {
    const author = await makeUser();
    const [u, v] = [unique(), unique()];
    const singular = ask(author.id, `Quarterly ${u}rebate statements ${v}`);
    const plural = ask(author.id, `Monthly ${u}rebates statements ${v}`);
    expect(ids(search(`"${u}rebates"`))).toEqual([plural.id]);
    expect(ids(search(`"${u}rebate statements"`))).toEqual([singular.id]);
    expect(ids(search(`statements "${u}rebates"`))).toEqual([plural.id]);
    expect(ids(search(`${v} -${u}rebates`))).toEqual([]);
    expect(ids(search(`${v} -monthly`))).toEqual([singular.id]);
  });
});

describe("the ranking window", () => {
  it("ranks only the most recent matches found either way, exact ones first", async () => {
    const author = await makeUser();
    const u = unique();
    const oldest = ask(author.id, `The first ${u}rebates ask`);
    const template = ask(author.id, `A ${u}rebate ask`);
    // The asks in between only need to exist: copies of one row, their index rows kept by the triggers.
    db()
      .$client.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO asks (title, slug, body, author_id, category_id, status_id)
         SELECT title, slug, body, author_id, category_id, status_id FROM asks, n WHERE asks.id = ?`,
      )
      .run(rankingWindow, template.id);
    const newest = ask(author.id, `The last ${u}rebates ask`);

    const found = search(`${u}rebates`);
    expect(found.ok && found.window).toBe(rankingWindow);
    expect(found.ok && found.total).toBe(rankingWindow);
    expect(ids(found)[0]).toBe(newest.id);
    expect(ids(found)).not.toContain(oldest.id);
    expect(ids(search(`"${u}rebates"`))).toEqual([newest.id, oldest.id]);
  });
});
