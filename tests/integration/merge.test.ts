import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { follow, followerIds } from "~/models/subscription.server";
import { castVote } from "~/models/vote.server";
import { action } from "~/routes/asks.$ask";
import { db } from "../../db/client";
import { args, cookieFor, formRequest, insertUsers, makeAsk, makeUser, replyData, run, statusOf } from "./helpers";

function voteRows(askId: number): number {
  return (db().$client.prepare("SELECT count(*) AS n FROM votes WHERE ask_id = ?").get(askId) as { n: number }).n;
}

async function setup() {
  const author = await makeUser();
  const team = await makeUser({ role: "team", team: "Assignment Team" });
  const duplicate = makeAsk(author.id, "Show the CoCP countdown in Partner Center");
  const target = makeAsk(author.id, "A 90-day countdown for Change of Channel Partner");
  return { author, team, duplicate, target, cookie: await cookieFor(team) };
}

function post(ask: { id: number; slug: string }, fields: Record<string, string>, cookie: string) {
  const param = `${ask.id}-${ask.slug}`;
  return run(action, args(formRequest(`/asks/${param}`, fields, cookie), { ask: param }));
}

describe("merging a duplicate", () => {
  it("moves voters without counting anyone twice, and undo gives the duplicate its votes back", async () => {
    const { duplicate, target, cookie } = await setup();
    const [both1, both2, onlyDup1, onlyDup2, onlyDup3, onlyTarget] = insertUsers(6, "merge-voter");
    for (const u of [both1, both2, onlyDup1, onlyDup2, onlyDup3]) castVote(duplicate.id, u);
    for (const u of [both1, both2, onlyTarget]) castVote(target.id, u);

    expect(statusOf(await post(duplicate, { intent: "merge", targetId: String(target.id) }, cookie))).toBe(302);

    // 3 own voters + 3 carried over; the two who voted on both count once.
    expect(getAsk(target.id)?.voteCount).toBe(6);
    expect(voteRows(target.id)).toBe(6);
    const merged = getAsk(duplicate.id);
    expect(merged?.duplicateOf?.id).toBe(target.id);
    expect(merged?.status.slug).toBe("duplicate");
    expect(merged?.voteCount).toBe(5);
    expect(getAsk(target.id)?.mergedFrom.map((m) => m.id)).toEqual([duplicate.id]);
    expect(listStatusUpdates(duplicate.id).at(-1)?.note).toContain("Merged into");

    // The merged ask takes no new votes.
    expect(castVote(duplicate.id, insertUsers(1, "late")[0])).toEqual({ ok: false, reason: "closed" });

    expect(statusOf(await post(duplicate, { intent: "unmerge" }, cookie))).toBe(302);
    expect(getAsk(target.id)?.voteCount).toBe(3);
    const restored = getAsk(duplicate.id);
    expect(restored?.duplicateOf).toBeNull();
    expect(restored?.status.slug).toBe("open");
    expect(restored?.voteCount).toBe(5);
    expect(listStatusUpdates(duplicate.id).at(-1)?.note).toContain("undone");
  });

  it("moves followers and takes back only those it moved", async () => {
    const { duplicate, target, cookie } = await setup();
    const [a, b, c] = insertUsers(3, "follower");
    follow(duplicate.id, a);
    follow(duplicate.id, b);
    follow(target.id, b);
    follow(target.id, c);
    await post(duplicate, { intent: "merge", targetId: `#${target.id}` }, cookie);
    expect(followerIds(target.id).sort()).toEqual([a, b, c].sort());
    await post(duplicate, { intent: "unmerge" }, cookie);
    expect(followerIds(target.id).sort()).toEqual([b, c].sort());
  });

  it("refuses merges that would make a chain or a loop, with a message and nothing changed", async () => {
    const { duplicate, target, cookie, author } = await setup();
    const third = makeAsk(author.id, "Yet another countdown request for CoCP");
    expect(statusOf(await post(duplicate, { intent: "merge", targetId: String(duplicate.id) }, cookie))).toBe(400);
    const missing = await post(duplicate, { intent: "merge", targetId: "99999" }, cookie);
    expect(replyData<{ mergeError: string }>(missing).mergeError).toBe("There is no ask number 99999.");
    expect(statusOf(await post(duplicate, { intent: "merge", targetId: "abc" }, cookie))).toBe(400);

    await post(duplicate, { intent: "merge", targetId: String(target.id) }, cookie);
    const chain = await post(third, { intent: "merge", targetId: String(duplicate.id) }, cookie);
    expect(replyData<{ mergeError: string }>(chain).mergeError).toContain("merge into that one");
    const loop = await post(target, { intent: "merge", targetId: String(third.id) }, cookie);
    expect(replyData<{ mergeError: string }>(loop).mergeError).toContain("Undo those merges first");
    expect(getAsk(third.id)?.duplicateOf).toBeNull();
    expect(getAsk(target.id)?.duplicateOf).toBeNull();
  });

  it("writes the merge and its undo to the audit log", async () => {
    const { duplicate, target, cookie, team } = await setup();
    await post(duplicate, { intent: "merge", targetId: String(target.id) }, cookie);
    await post(duplicate, { intent: "unmerge" }, cookie);
    const entries = db()
      .$client.prepare(
        "SELECT action, actor_id AS actorId, before, after FROM audit_entries WHERE subject_id = ? ORDER BY id",
      )
      .all(duplicate.id) as { action: string; actorId: number; before: string; after: string }[];
    expect(entries.map((e) => e.action)).toEqual(["ask.merge", "ask.unmerge"]);
    expect(entries.every((e) => e.actorId === team.id)).toBe(true);
    expect(JSON.parse(entries[0].after).duplicateOfId).toBe(target.id);
  });
});
