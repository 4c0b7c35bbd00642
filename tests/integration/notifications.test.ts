import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createAsk, listMyAsks } from "~/models/ask.server";
import { createCategory } from "~/models/category.server";
import { addComment, setOfficialResponse } from "~/models/comment.server";
import { mergeAsk } from "~/models/merge.server";
import { setAskHidden, setUserBlocked } from "~/models/moderation.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { followerIds, isFollowing, unfollow } from "~/models/subscription.server";
import { followTopic, listTopicFollows, unfollowTopic } from "~/models/topic-subscription.server";
import type { User } from "~/models/user.server";
import { setUserDisabled } from "~/models/user.server";
import { castVote, retractVote } from "~/models/vote.server";
import { utcDate } from "~/validation/status-update";
import { db } from "../../db/client";
import { events, notificationPreferences, notifications } from "../../db/schema";
import { insertUsers, makeAsk, makeUser, ok } from "./helpers";
import { testMailbox } from "./mail";

const mailbox = testMailbox();

// Sends what earlier steps of a test queued (a comment's mail to the author…) and forgets it,
// so that the next step's mail is counted alone.
async function settle() {
  await mailbox.deliver();
  mailbox.messages.length = 0;
}

function statusId(slug: string): number {
  const status = getStatusBySlug(slug);
  if (!status) throw new Error(`no status ${slug}`);
  return status.id;
}

async function teamMember(team = "Assignment Team"): Promise<User & { teamId: number }> {
  const user = await makeUser({ role: "team", team });
  if (user.teamId === null) throw new Error("a team member without a team");
  return { ...user, teamId: user.teamId };
}

function postUpdate(askId: number, actor: User & { teamId: number }, note = "Assigned to the Partner Support Team.") {
  return recordStatusUpdate({
    askId,
    toStatusId: statusId("under-review"),
    teamId: actor.teamId,
    note,
    aboutDate: utcDate(),
    links: [{ url: "https://example.com/about-cpor", title: "About CPOR" }],
    actorId: actor.id,
  });
}

function eventsOf(askId: number, kind: (typeof events.$inferSelect)["kind"]) {
  return db()
    .select()
    .from(events)
    .where(and(eq(events.askId, askId), eq(events.kind, kind)))
    .all();
}

describe("a status update", () => {
  it("mails every follower once with its date, team, status, note and link; not the actor, a disabled or a blocked user", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const commenter = await makeUser();
    const disabled = await makeUser();
    const blocked = await makeUser();
    const actor = await teamMember();
    const admin = await makeUser({ role: "admin" });
    const ask = makeAsk(author.id, "A customer-facing page that explains CPOR");
    for (const user of [voter, disabled, blocked, actor]) ok(castVote({ askId: ask.id, userId: user.id }));
    ok(addComment({ askId: ask.id, body: "We need this for Dell.", authorId: commenter.id }));
    ok(setUserDisabled({ userId: disabled.id, disabled: true, actorId: admin.id }));
    ok(setUserBlocked({ userId: blocked.id, blocked: true, actorId: admin.id }));
    await settle();

    const { id } = ok(postUpdate(ask.id, actor));
    await mailbox.deliver();
    // A second round finds nothing left to send.
    expect((await mailbox.deliver()).sent).toBe(0);

    for (const user of [author, voter, commenter]) {
      const mails = mailbox.to(user.email);
      expect(mails).toHaveLength(1);
      const text = mails[0]?.text ?? "";
      expect(mails[0]?.subject).toContain("A customer-facing page that explains CPOR");
      expect(text).toContain(`${utcDate()} · Assignment Team · Under review`);
      expect(text).toContain("Assigned to the Partner Support Team.");
      expect(text).toContain("https://example.com/about-cpor");
      expect(text).toContain(`#status-update-${id}`);
    }
    for (const user of [actor, disabled, blocked]) expect(mailbox.to(user.email)).toHaveLength(0);
    expect(mailbox.messages).toHaveLength(3);
  });

  it("on a hidden ask mails only the team members and admins who follow it", async () => {
    const author = await makeUser();
    const follower = await makeUser({ role: "team", team: "EPX" });
    const admin = await makeUser({ role: "admin" });
    const actor = await teamMember();
    const ask = makeAsk(author.id);
    ok(castVote({ askId: ask.id, userId: follower.id }));
    ok(castVote({ askId: ask.id, userId: admin.id }));
    ok(setAskHidden({ askId: ask.id, reason: "Spam", actorId: admin.id }));
    await settle();

    ok(postUpdate(ask.id, actor));
    await mailbox.deliver();
    expect(mailbox.to(author.email)).toHaveLength(0);
    expect(mailbox.to(follower.email)).toHaveLength(1);
    expect(mailbox.to(admin.email)).toHaveLength(1);
  });

  it("that is refused or rolls back writes no event and sends no mail", async () => {
    const author = await makeUser();
    const actor = await teamMember();
    const ask = makeAsk(author.id);
    await settle();

    const refusal = recordStatusUpdate({
      askId: ask.id,
      toStatusId: statusId("planned"),
      teamId: actor.teamId,
      note: "Next year.",
      aboutDate: "2999-01-01",
      links: [],
      actorId: actor.id,
    });
    expect(refusal).toEqual({ ok: false, reason: "date-in-future" });
    // A fault after the update, in the transaction that holds it, takes the update back with its event.
    expect(() =>
      db().transaction(() => {
        ok(postUpdate(ask.id, actor));
        throw new Error("a fault after the update");
      }),
    ).toThrow("a fault after the update");

    expect(eventsOf(ask.id, "status_update")).toHaveLength(0);
    await mailbox.deliver();
    expect(mailbox.to(author.email)).toHaveLength(0);

    ok(postUpdate(ask.id, actor));
    expect(eventsOf(ask.id, "status_update")).toHaveLength(1);
    await mailbox.deliver();
    expect(mailbox.to(author.email)).toHaveLength(1);
  });
});

describe("comments", () => {
  it("mail the ask's author, not a voter unless the voter asked for comments at once", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const keen = await makeUser();
    const commenter = await makeUser();
    const ask = makeAsk(author.id);
    ok(castVote({ askId: ask.id, userId: voter.id }));
    ok(castVote({ askId: ask.id, userId: keen.id }));
    db().insert(notificationPreferences).values({ userId: keen.id, kind: "comment", delivery: "instant" }).run();
    await settle();

    ok(addComment({ askId: ask.id, body: "Dell asked for **this page** in March.", authorId: commenter.id }));
    await mailbox.deliver();
    expect(mailbox.to(author.email)).toHaveLength(1);
    expect(mailbox.to(author.email)[0]?.text).toContain("Dell asked for **this page** in March.");
    expect(mailbox.to(keen.email)).toHaveLength(1);
    expect(mailbox.to(voter.email)).toHaveLength(0);
    expect(mailbox.to(commenter.email)).toHaveLength(0);
    // Commenting followed the ask.
    expect(isFollowing(ask.id, commenter.id)).toBe(true);
  });

  it("marked as the official response mails every follower", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const actor = await teamMember();
    const ask = makeAsk(author.id);
    ok(castVote({ askId: ask.id, userId: voter.id }));
    const { id } = ok(addComment({ askId: ask.id, body: "We will publish a page in July.", authorId: actor.id }));
    await settle();

    ok(setOfficialResponse({ commentId: id, askId: ask.id, official: true, actorId: actor.id }));
    await mailbox.deliver();
    for (const user of [author, voter]) {
      expect(mailbox.to(user.email)).toHaveLength(1);
      expect(mailbox.to(user.email)[0]?.text).toContain("We will publish a page in July.");
    }
    expect(mailbox.to(actor.email)).toHaveLength(0);
  });
});

describe("a merge", () => {
  it("tells the duplicate's voters where their vote went, in one mail", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const actor = await teamMember();
    const target = makeAsk(author.id, "Show the CoCP countdown on the partner dashboard");
    const duplicate = makeAsk(author.id, "A countdown for Change of Channel Partner");
    ok(castVote({ askId: duplicate.id, userId: voter.id }));
    await settle();

    ok(mergeAsk({ askId: duplicate.id, targetId: target.id, actorId: actor.id }));
    expect(eventsOf(duplicate.id, "merge")).toHaveLength(1);
    expect(eventsOf(duplicate.id, "status_update")).toHaveLength(0);
    await mailbox.deliver();
    const mails = mailbox.to(voter.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`Merged into #${target.id} Show the CoCP countdown on the partner dashboard`);
    expect(mails[0]?.text).toContain(`/asks/${target.id}-${target.slug}`);
    // The voter now follows the target, and hears about it.
    expect(followerIds(target.id)).toContain(voter.id);
  });
});

describe("following", () => {
  it("stops with Unfollow, and a later vote does not follow again; retracting a vote does not unfollow", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const actor = await teamMember();
    const ask = makeAsk(author.id);
    ok(castVote({ askId: ask.id, userId: voter.id }));
    ok(retractVote({ askId: ask.id, userId: voter.id }));
    expect(isFollowing(ask.id, voter.id)).toBe(true);
    expect(listMyAsks(voter.id, "following", 1).asks.map((a) => a.id)).toEqual([ask.id]);

    unfollow({ askId: ask.id, userId: voter.id });
    ok(castVote({ askId: ask.id, userId: voter.id }));
    expect(isFollowing(ask.id, voter.id)).toBe(false);
    expect(listMyAsks(voter.id, "following", 1).total).toBe(0);
    await settle();

    ok(postUpdate(ask.id, actor));
    await mailbox.deliver();
    expect(mailbox.to(voter.email)).toHaveLength(0);
    expect(mailbox.to(author.email)).toHaveLength(1);
  });

  it("is not automatic for a kind the person turned off", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    db().$client.prepare("UPDATE users SET auto_follow_voted = 0 WHERE id = ?").run(voter.id);
    const ask = makeAsk(author.id);
    ok(castVote({ askId: ask.id, userId: voter.id }));
    expect(isFollowing(ask.id, voter.id)).toBe(false);
    expect(isFollowing(ask.id, author.id)).toBe(true);
  });

  it("a category or a team queue needs one that exists", async () => {
    const member = await teamMember("Program team");
    const [category] = db().$client.prepare("SELECT id FROM categories ORDER BY id LIMIT 1").all() as { id: number }[];
    if (!category) throw new Error("no category");
    ok(followTopic({ userId: member.id, topicType: "category", topicId: category.id }));
    ok(followTopic({ userId: member.id, topicType: "team", topicId: member.teamId }));
    ok(followTopic({ userId: member.id, topicType: "team", topicId: member.teamId }));
    expect(followTopic({ userId: member.id, topicType: "team", topicId: 999_999 })).toEqual({
      ok: false,
      reason: "not-found",
    });
    expect(listTopicFollows(member.id).map((f) => [f.topicType, f.topicId])).toEqual([
      ["category", category.id],
      ["team", member.teamId],
    ]);
    ok(unfollowTopic({ userId: member.id, topicType: "category", topicId: category.id }));
    expect(listTopicFollows(member.id).map((f) => f.topicType)).toEqual(["team"]);
  });
});

describe("new asks", () => {
  it("reach a team queue's followers when an ask is assigned to the team", async () => {
    const follower = await teamMember("Partner Support Team");
    const actor = await teamMember("Partner Support Team");
    const author = await makeUser();
    ok(followTopic({ userId: follower.id, topicType: "team", topicId: follower.teamId }));
    const ask = makeAsk(author.id);
    ok(postUpdate(ask.id, actor));
    // A second update by the same team is not a new assignment.
    ok(postUpdate(ask.id, actor, "Still looking."));
    expect(eventsOf(ask.id, "new_ask").map((e) => JSON.parse(e.data).queue)).toEqual(["category", "team"]);
    await mailbox.deliver();
    const waiting = db()
      .select({ delivery: notifications.delivery })
      .from(notifications)
      .innerJoin(events, eq(events.id, notifications.eventId))
      .where(and(eq(notifications.userId, follower.id), eq(events.askId, ask.id), eq(events.kind, "new_ask")))
      .all();
    expect(waiting).toEqual([{ delivery: "daily" }]);
  });

  it("in a followed category come in one daily digest after the digest hour, grouped by ask; later ones wait a day", async () => {
    const admin = await makeUser({ role: "admin" });
    const follower = await teamMember("EPX");
    const author = await makeUser();
    const category = ok(createCategory({ name: `Rebates ${Date.now()}`, actorId: admin.id }));
    ok(followTopic({ userId: follower.id, topicType: "category", topicId: category.id }));
    const file = (title: string) =>
      ok(createAsk({ title, body: "Partners need this.", categoryId: category.id, authorId: author.id }));
    // The follower's digest goes at 08:00 in their zone (UTC, the default), on days in the future
    // so that the worker's clock is past everything the other tests queued.
    const first = file("Rebate statements per partner organization");
    const second = file("Export rebate history as CSV");
    await mailbox.deliver(new Date("2031-03-10T07:00:00Z"));
    expect(mailbox.to(follower.email)).toHaveLength(0);

    await mailbox.deliver(new Date("2031-03-10T08:30:00Z"));
    const [digest, ...more] = mailbox.to(follower.email);
    expect(more).toHaveLength(0);
    expect(digest?.subject).toBe("Your daily Asklog digest: 2 updates on 2 asks");
    expect(digest?.text).toContain(`#${first.id} Rebate statements per partner organization`);
    expect(digest?.text).toContain(`#${second.id} Export rebate history as CSV`);
    expect(mailbox.to(author.email)).toHaveLength(0);

    mailbox.messages.length = 0;
    const late = file("Rebate disputes in the partner center");
    await mailbox.deliver(new Date("2031-03-10T08:45:00Z"));
    await mailbox.deliver(new Date("2031-03-11T07:59:00Z"));
    expect(mailbox.to(follower.email)).toHaveLength(0);
    await mailbox.deliver(new Date("2031-03-11T08:01:00Z"));
    const [next, ...others] = mailbox.to(follower.email);
    expect(others).toHaveLength(0);
    expect(next?.subject).toBe("Your daily Asklog digest: 1 update on 1 ask");
    expect(next?.text).toContain(`#${late.id} Rebate disputes in the partner center`);
  });
});

describe("an ask with many followers", () => {
  it("mails each of its voters once", async () => {
    const author = await makeUser();
    const actor = await teamMember();
    const ask = makeAsk(author.id);
    const voters = insertUsers(25, "voter");
    for (const userId of voters) ok(castVote({ askId: ask.id, userId }));
    await settle();
    ok(postUpdate(ask.id, actor));
    await mailbox.deliver();
    expect(mailbox.messages).toHaveLength(26);
    const addresses = new Set(mailbox.messages.map((m) => (Array.isArray(m.to) ? "" : m.to?.text)));
    expect(addresses.size).toBe(26);
  });
});
