import { describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { addComment } from "~/models/comment.server";
import * as homePage from "~/routes/_index";
import * as askPage from "~/routes/asks.$ask";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import { loaded, makeAsk, ok, replyData, route, signedIn, statusOf } from "./helpers";

async function setup() {
  const partner = await signedIn();
  const team = await signedIn("team", "EPX");
  const ask = makeAsk(partner.user.id, "Let partners export CPOR claims to CSV");
  const page = route(askPage, `/asks/${ask.id}-${ask.slug}`, { ask: `${ask.id}-${ask.slug}` });
  return { partner, team, ask, page };
}

describe("moderation on the ask page", () => {
  it("hides a comment from partners with the reason, keeps it for the team, and unhides it", async () => {
    const { partner, team, ask, page } = await setup();
    const id = ok(
      addComment({ askId: ask.id, body: "Buy cheap licences at spam.example", authorId: partner.user.id }),
    ).id;
    const hide = await page.post({ intent: "hide-comment", commentId: String(id), reason: "Spam" }, team.cookie);
    expect(statusOf(hide)).toBe(302);

    const asPartner = await loaded(page.load(partner.cookie));
    const seen = asPartner.comments.find((c) => c.id === id);
    expect(seen?.body).toBe("");
    expect(seen?.bodyHtml).toBe("");
    expect(seen?.hiddenReason).toBe("Spam");
    expect(asPartner.ask.commentCount).toBe(0);

    const asTeam = await loaded(page.load(team.cookie));
    expect(asTeam.comments.find((c) => c.id === id)?.bodyHtml).toContain("spam.example");

    const noReason = await page.post({ intent: "hide-comment", commentId: String(id), reason: " " }, team.cookie);
    expect(statusOf(noReason)).toBe(400);
    expect(replyData<FormReply>(noReason).errors.reason).toBe("Say why the comment is hidden.");

    await page.post({ intent: "unhide-comment", commentId: String(id) }, team.cookie);
    const again = await loaded(page.load(partner.cookie));
    expect(again.comments.find((c) => c.id === id)?.bodyHtml).toContain("spam.example");
    expect(again.ask.commentCount).toBe(1);
  });

  it("keeps a hiding reason to 200 characters, trimmed", async () => {
    const { partner, team, ask, page } = await setup();
    const id = ok(addComment({ askId: ask.id, body: "Off topic", authorId: partner.user.id })).id;
    const reason = `  ${"Off topic. ".repeat(30)}`;
    expect(statusOf(await page.post({ intent: "hide-comment", commentId: String(id), reason }, team.cookie))).toBe(302);
    const shown = (await loaded(page.load(partner.cookie))).comments.find((c) => c.id === id);
    expect(shown?.hiddenReason).toBe(reason.trim().slice(0, 200));
  });

  it("hides an ask from lists and its page for everyone but the team", async () => {
    const { partner, team, ask, page } = await setup();
    const noReason = await page.post({ intent: "hide-ask", reason: "" }, team.cookie);
    expect(statusOf(noReason)).toBe(400);
    expect(replyData<FormReply>(noReason).errors.reason).toBe("Say why the ask is hidden.");

    await page.post({ intent: "hide-ask", reason: "Posted by mistake" }, team.cookie);

    expect(statusOf(await page.load())).toBe(404);
    expect(statusOf(await page.load(partner.cookie))).toBe(404);
    expect(listAsks({ sort: "newest", page: 1 }).asks.map((a) => a.id)).not.toContain(ask.id);
    const home = await loaded(route(homePage, "/?sort=newest").load(team.cookie));
    expect(home.asks.map((a) => a.id)).toContain(ask.id);
    expect((await loaded(page.load(team.cookie))).ask.hiddenAt).not.toBeNull();

    await page.post({ intent: "unhide-ask" }, team.cookie);
    expect(statusOf(await page.load())).toBe(200);
  });

  it("locks comments for partners while the team can still answer", async () => {
    const { partner, team, ask, page } = await setup();
    await page.post({ intent: "lock" }, team.cookie);
    const refused = await page.post({ intent: "comment", body: "One more thing" }, partner.cookie);
    expect(statusOf(refused)).toBe(409);
    expect(replyData<FormReply>(refused).errors.body).toBe("Comments on this ask are locked.");
    expect(replyData<FormReply>(refused).values.body).toBe("One more thing");
    const answered = await page.post({ intent: "comment", body: "Closing this thread." }, team.cookie);
    expect(statusOf(answered)).toBe(302);
    const count = db().$client.prepare("SELECT count(*) AS n FROM comments WHERE ask_id = ?").get(ask.id) as {
      n: number;
    };
    expect(count.n).toBe(1);
  });

  it("marks only a team member's comment as the official response", async () => {
    const { partner, team, ask, page } = await setup();
    const fromPartner = ok(addComment({ askId: ask.id, body: "Any news?", authorId: partner.user.id })).id;
    const fromTeam = ok(
      addComment({ askId: ask.id, body: "Yes: this ships in the next release.", authorId: team.user.id }),
    ).id;
    const refused = await page.post({ intent: "official", commentId: String(fromPartner) }, team.cookie);
    expect(statusOf(refused)).toBe(400);
    expect(replyData<FormReply>(refused)).toMatchObject({
      errors: { form: "Only a team member's comment can be an official response." },
      values: { commentId: String(fromPartner) },
    });
    await page.post({ intent: "official", commentId: String(fromTeam) }, team.cookie);
    const shown = await loaded(page.load());
    expect(shown.comments.filter((c) => c.isOfficial).map((c) => c.id)).toEqual([fromTeam]);
  });

  it("blocks a partner from posting; they can still read and sign in", async () => {
    const { partner, team, ask, page } = await setup();
    await page.post({ intent: "block-user", userId: String(partner.user.id) }, team.cookie);
    const attempts: Record<string, string>[] = [{ intent: "vote" }, { intent: "comment", body: "Still here" }];
    for (const fields of attempts) expect(statusOf(await page.post(fields, partner.cookie))).toBe(403);
    expect((await loaded(page.load(partner.cookie))).viewer.blocked).toBe(true);
    const votes = db().$client.prepare("SELECT count(*) AS n FROM votes WHERE ask_id = ?").get(ask.id) as { n: number };
    expect(votes.n).toBe(0);

    await page.post({ intent: "unblock-user", userId: String(partner.user.id) }, team.cookie);
    expect(statusOf(await page.post({ intent: "vote" }, partner.cookie))).toBe(302);
  });

  it("answers a block with a user id that is not one as not found, not as blocking oneself", async () => {
    const { team, page } = await setup();
    for (const userId of ["abc", "", "987654321"]) {
      expect(statusOf(await page.post({ intent: "block-user", userId }, team.cookie)), userId).toBe(404);
    }
    const self = await page.post({ intent: "block-user", userId: String(team.user.id) }, team.cookie);
    expect(statusOf(self)).toBe(400);
    expect(replyData<FormReply>(self).errors.form).toBe("You cannot block yourself.");
  });
});
