import { describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { castVote } from "~/models/vote.server";
import { pageSize } from "~/validation/fields";
import { db } from "../../db/client";
import { insertUsers, makeAsk, makeUser, ok } from "./helpers";

// A vote cast `daysAgo`: the model casts it, and its date is moved back, which no model does.
function vote(askId: number, userId: number, daysAgo: number) {
  ok(castVote({ askId, userId }));
  const at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  db().$client.prepare("UPDATE votes SET created_at = ? WHERE ask_id = ? AND user_id = ?").run(at, askId, userId);
}

describe("the trending sort", () => {
  it("puts recent votes first, then all-time votes, and pages through both without gaps or repeats", async () => {
    const author = await makeUser();
    const voters = insertUsers(12, "trend");
    const lastVoter = voters.at(-1) ?? 0;
    const oldFavourite = makeAsk(author.id, "An ask with many votes, all of them old");
    const risingStar = makeAsk(author.id, "An ask with a few votes this week");
    const quiet = makeAsk(author.id, "An ask with one vote from last month");
    for (const u of voters.slice(0, 10)) vote(oldFavourite.id, u, 200);
    for (const u of voters.slice(0, 3)) vote(risingStar.id, u, 2);
    vote(quiet.id, lastVoter, 40);
    // Enough filler asks to need a second page.
    for (let i = 0; i < pageSize + 5; i++) makeAsk(author.id, `Filler ask number ${i} for paging`);

    const first = listAsks({ sort: "trending", page: 1 });
    const ids = first.asks.map((a) => a.id);
    expect(ids.indexOf(risingStar.id)).toBe(0);
    expect(ids.indexOf(oldFavourite.id)).toBeLessThan(ids.indexOf(quiet.id) === -1 ? Infinity : ids.indexOf(quiet.id));

    const all = [] as number[];
    const pages = Math.ceil(first.total / pageSize);
    for (let page = 1; page <= pages; page++) all.push(...listAsks({ sort: "trending", page }).asks.map((a) => a.id));
    expect(all.length).toBe(first.total);
    expect(new Set(all).size).toBe(first.total);
  });
});
