import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { getStatusBySlug } from "~/models/status.server";
import { listStatusUpdates, recordStatusUpdate } from "~/models/status-update.server";
import { follow, followerIds } from "~/models/subscription.server";
import type { User } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as askPage from "~/routes/asks.$ask";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import {
  insertUsers,
  loaded,
  makeAsk,
  makeUser,
  ok,
  replyData,
  route,
  setAskStatus,
  signedIn,
  statusOf,
} from "./helpers";

function voteRows(askId: number): number {
  return (db().$client.prepare("SELECT count(*) AS n FROM votes WHERE ask_id = ?").get(askId) as { n: number }).n;
}

const pageOf = (ask: { id: number; slug: string }) =>
  route(askPage, `/asks/${ask.id}-${ask.slug}`, { ask: `${ask.id}-${ask.slug}` });

async function setup() {
  const author = await makeUser();
  const team = await signedIn("team", "Assignment Team");
  const duplicate = makeAsk(author.id, "Show the CoCP countdown in Partner Center");
  const target = makeAsk(author.id, "A 90-day countdown for Change of Channel Partner");
  return { author, team: team.user, cookie: team.cookie, duplicate, target };
}

describe("merging a duplicate", () => {
  it("moves voters without counting anyone twice, and undo gives the duplicate its votes back", async () => {
    const { duplicate, target, cookie } = await setup();
    const [both, onlyDuplicate, onlyTarget] = [insertUsers(2, "both"), insertUsers(3, "dup"), insertUsers(1, "target")];
    for (const userId of [...both, ...onlyDuplicate]) ok(castVote({ askId: duplicate.id, userId }));
    for (const userId of [...both, ...onlyTarget]) ok(castVote({ askId: target.id, userId }));

    expect(statusOf(await pageOf(duplicate).post({ intent: "merge", targetId: String(target.id) }, cookie))).toBe(302);

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
    for (const userId of insertUsers(1, "late")) {
      expect(castVote({ askId: duplicate.id, userId })).toEqual({ ok: false, reason: "closed" });
    }

    expect(statusOf(await pageOf(duplicate).post({ intent: "unmerge" }, cookie))).toBe(302);
    expect(getAsk(target.id)?.voteCount).toBe(3);
    const restored = getAsk(duplicate.id);
    expect(restored?.duplicateOf).toBeNull();
    expect(restored?.status.slug).toBe("open");
    expect(restored?.voteCount).toBe(5);
    expect(listStatusUpdates(duplicate.id).at(-1)?.note).toContain("undone");
  });

  it("moves followers and takes back only those it moved", async () => {
    const { duplicate, target, cookie, author } = await setup();
    // The author filed both asks, so follows both already.
    const [onlyDuplicate, both, onlyTarget] = [
      insertUsers(1, "dup"),
      [author.id, ...insertUsers(1, "both")],
      insertUsers(1, "target"),
    ];
    for (const userId of [...onlyDuplicate, ...both]) follow({ askId: duplicate.id, userId });
    for (const userId of [...both, ...onlyTarget]) follow({ askId: target.id, userId });
    await pageOf(duplicate).post({ intent: "merge", targetId: `#${target.id}` }, cookie);
    expect(followerIds(target.id).sort()).toEqual([...onlyDuplicate, ...both, ...onlyTarget].sort());
    await pageOf(duplicate).post({ intent: "unmerge" }, cookie);
    expect(followerIds(target.id).sort()).toEqual([...both, ...onlyTarget].sort());
  });

  it("refuses merges that would make a chain or a loop, with a message and nothing changed", async () => {
    const { duplicate, target, cookie, author } = await setup();
    const third = makeAsk(author.id, "Yet another countdown request for CoCP");
    const merge = (ask: { id: number; slug: string }, targetId: string) =>
      pageOf(ask).post({ intent: "merge", targetId }, cookie);
    const self = await merge(duplicate, String(duplicate.id));
    expect(statusOf(self)).toBe(400);
    expect(replyData<FormReply>(self).errors.targetId).toBe("An ask cannot be merged into itself.");
    const missing = await merge(duplicate, "99999");
    expect(replyData<FormReply>(missing).errors.targetId).toBe("There is no ask number 99999.");
    const notANumber = await merge(duplicate, "abc");
    expect(statusOf(notANumber)).toBe(400);
    expect(replyData<FormReply>(notANumber)).toMatchObject({
      errors: { targetId: "Enter the number of the ask to merge into." },
      values: { targetId: "abc" },
    });

    await merge(duplicate, String(target.id));
    const chain = await merge(third, String(duplicate.id));
    expect(replyData<FormReply>(chain).errors.targetId).toBe(
      `Ask ${duplicate.id} is itself merged into ask ${target.id}; merge into that one.`,
    );
    const loop = await merge(target, String(third.id));
    expect(replyData<FormReply>(loop).errors.targetId).toBe(
      "Other asks are merged into this one. Undo those merges first.",
    );
    const again = await merge(duplicate, String(third.id));
    expect(replyData<FormReply>(again).errors.targetId).toBe("This ask is already merged. Undo that merge first.");
    expect(getAsk(third.id)?.duplicateOf).toBeNull();
    expect(getAsk(target.id)?.duplicateOf).toBeNull();

    const notMerged = await pageOf(third).post({ intent: "unmerge" }, cookie);
    expect(statusOf(notMerged)).toBe(409);
    expect(replyData<FormReply>(notMerged).errors.form).toBe("This ask is not merged.");
  });

  it("writes the merge and its undo to the audit log", async () => {
    const { duplicate, target, cookie, team } = await setup();
    await pageOf(duplicate).post({ intent: "merge", targetId: String(target.id) }, cookie);
    await pageOf(duplicate).post({ intent: "unmerge" }, cookie);
    const entries = db()
      .$client.prepare(
        "SELECT action, actor_id AS actorId, before, after FROM audit_entries WHERE subject_id = ? ORDER BY id",
      )
      .all(duplicate.id) as { action: string; actorId: number; before: string; after: string }[];
    expect(entries.map((e) => e.action)).toEqual(["ask.merge", "ask.unmerge"]);
    expect(entries.every((e) => e.actorId === team.id)).toBe(true);
    expect(JSON.parse(entries[0]?.after ?? "null").duplicateOfId).toBe(target.id);
  });

  it("records the merge in the duplicate's history like any status update, and the ask follows it", async () => {
    const { duplicate, target, cookie, team } = await setup();
    const planned = planUpdate(duplicate.id, team);
    // Entered about a day ahead of UTC, by a team east of Greenwich entering its own today.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    db().$client.prepare("UPDATE status_updates SET about_date = ? WHERE id = ?").run(tomorrow, planned);

    await pageOf(duplicate).post({ intent: "merge", targetId: String(target.id) }, cookie);
    const history = listStatusUpdates(duplicate.id);
    expect(history.at(-1)).toMatchObject({ team: "Assignment Team", toStatus: { name: "Duplicate" } });
    expect(history.at(-1)?.aboutDate).toBe(tomorrow);
    expect(getAsk(duplicate.id)?.status.slug).toBe("duplicate");

    await pageOf(duplicate).post({ intent: "unmerge" }, cookie);
    expect(getAsk(duplicate.id)?.status.slug).toBe("planned");
  });

  it("keeps the ask's team when an admin outside any team merges it", async () => {
    const { duplicate, target, team } = await setup();
    const admin = await signedIn("admin");
    planUpdate(duplicate.id, team);
    await pageOf(duplicate).post({ intent: "merge", targetId: String(target.id) }, admin.cookie);
    expect(getAsk(duplicate.id)).toMatchObject({ team: "Assignment Team", status: { slug: "duplicate" } });
    expect(listStatusUpdates(duplicate.id).at(-1)).toMatchObject({ team: null, author: admin.user.displayName });
  });
});

function planUpdate(askId: number, member: User): number {
  const planned = getStatusBySlug("planned");
  if (!planned || !member.teamId) throw new Error("a team member and the planned status are needed");
  const update = { askId, toStatusId: planned.id, teamId: member.teamId, note: "Planned.", links: [] };
  return ok(recordStatusUpdate({ ...update, actorId: member.id })).id;
}

describe("merging into a closed ask", () => {
  it("asks for confirmation first, then merges once confirmed", async () => {
    const { duplicate, target, cookie } = await setup();
    setAskStatus(target.id, "completed");

    const unconfirmed = await pageOf(duplicate).post({ intent: "merge", targetId: String(target.id) }, cookie);
    expect(statusOf(unconfirmed)).toBe(400);
    expect(replyData<FormReply>(unconfirmed).errors.confirmClosed).toBe(
      "That ask is Completed; confirm to merge into a closed ask.",
    );
    expect(getAsk(duplicate.id)?.duplicateOf).toBeNull();

    const confirmed = await pageOf(duplicate).post(
      { intent: "merge", targetId: String(target.id), confirmClosed: "on" },
      cookie,
    );
    expect(statusOf(confirmed)).toBe(302);
    expect(getAsk(duplicate.id)?.duplicateOf?.id).toBe(target.id);
  });

  it("finds the target by its title: the merge panel lists matching asks with their numbers", async () => {
    const { duplicate, target, cookie } = await setup();
    const search = route(askPage, `/asks/${duplicate.id}-${duplicate.slug}?merge=countdown+channel`, {
      ask: `${duplicate.id}-${duplicate.slug}`,
    });
    const { merge } = await loaded(search.load(cookie));
    expect(merge.query).toBe("countdown channel");
    expect(merge.candidates.map((c) => c.id)).toContain(target.id);
    expect(merge.candidates.map((c) => c.id)).not.toContain(duplicate.id);
    // Nobody but a team member with the merge permission gets the search.
    const partner = await signedIn();
    expect((await loaded(search.load(partner.cookie))).merge.candidates).toEqual([]);
  });
});
