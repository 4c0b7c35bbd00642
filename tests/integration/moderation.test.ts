import { describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { addComment } from "~/models/comment.server";
import { loader as homeLoader } from "~/routes/_index";
import { action, loader } from "~/routes/asks.$ask";
import { db } from "../../db/client";
import { args, cookieFor, formRequest, getRequest, makeAsk, makeUser, replyData, run, statusOf } from "./helpers";

type Page = {
  ask: { commentCount: number; hiddenAt: string | null; commentsLockedAt: string | null };
  comments: {
    id: number;
    body: string;
    bodyHtml: string;
    hiddenAt: string | null;
    hiddenReason: string | null;
    isOfficial: boolean;
  }[];
  viewer: { blocked: boolean };
};

async function setup() {
  const partner = await makeUser({ organization: "Dell" });
  const team = await makeUser({ role: "team", team: "EPX" });
  const ask = makeAsk(partner.id, "Let partners export CPOR claims to CSV");
  return {
    partner,
    team,
    ask,
    param: `${ask.id}-${ask.slug}`,
    partnerCookie: await cookieFor(partner),
    teamCookie: await cookieFor(team),
  };
}

describe("moderation on the ask page", () => {
  it("hides a comment from partners with the reason, keeps it for the team, and unhides it", async () => {
    const { partner, ask, param, partnerCookie, teamCookie } = await setup();
    const id = addComment(ask.id, partner.id, "Buy cheap licences at spam.example") as number;
    const hide = await run(
      action,
      args(
        formRequest(`/asks/${param}`, { intent: "hide-comment", commentId: String(id), reason: "Spam" }, teamCookie),
        { ask: param },
      ),
    );
    expect(statusOf(hide)).toBe(302);

    const asPartner = replyData<Page>(
      await run(loader, args(getRequest(`/asks/${param}`, partnerCookie), { ask: param })),
    );
    const seen = asPartner.comments.find((c) => c.id === id);
    expect(seen?.body).toBe("");
    expect(seen?.bodyHtml).toBe("");
    expect(seen?.hiddenReason).toBe("Spam");
    expect(asPartner.ask.commentCount).toBe(0);

    const asTeam = replyData<Page>(await run(loader, args(getRequest(`/asks/${param}`, teamCookie), { ask: param })));
    expect(asTeam.comments.find((c) => c.id === id)?.bodyHtml).toContain("spam.example");

    const noReason = await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "hide-comment", commentId: String(id), reason: " " }, teamCookie), {
        ask: param,
      }),
    );
    expect(statusOf(noReason)).toBe(400);

    await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "unhide-comment", commentId: String(id) }, teamCookie), {
        ask: param,
      }),
    );
    const again = replyData<Page>(await run(loader, args(getRequest(`/asks/${param}`, partnerCookie), { ask: param })));
    expect(again.comments.find((c) => c.id === id)?.bodyHtml).toContain("spam.example");
    expect(again.ask.commentCount).toBe(1);
  });

  it("hides an ask from lists and its page for everyone but the team", async () => {
    const { ask, param, partnerCookie, teamCookie } = await setup();
    await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "hide-ask", reason: "Posted by mistake" }, teamCookie), {
        ask: param,
      }),
    );

    expect(statusOf(await run(loader, args(getRequest(`/asks/${param}`), { ask: param })))).toBe(404);
    expect(statusOf(await run(loader, args(getRequest(`/asks/${param}`, partnerCookie), { ask: param })))).toBe(404);
    expect(listAsks({ sort: "newest", page: 1 }).asks.map((a) => a.id)).not.toContain(ask.id);
    const home = replyData<{ asks: { id: number }[] }>(
      await run(homeLoader, args(getRequest("/?sort=newest", teamCookie))),
    );
    expect(home.asks.map((a) => a.id)).toContain(ask.id);
    const teamView = replyData<Page>(await run(loader, args(getRequest(`/asks/${param}`, teamCookie), { ask: param })));
    expect(teamView.ask.hiddenAt).not.toBeNull();

    await run(action, args(formRequest(`/asks/${param}`, { intent: "unhide-ask" }, teamCookie), { ask: param }));
    expect(statusOf(await run(loader, args(getRequest(`/asks/${param}`), { ask: param })))).toBe(200);
  });

  it("locks comments for partners while the team can still answer", async () => {
    const { ask, param, partnerCookie, teamCookie } = await setup();
    await run(action, args(formRequest(`/asks/${param}`, { intent: "lock" }, teamCookie), { ask: param }));
    const refused = await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "comment", body: "One more thing" }, partnerCookie), { ask: param }),
    );
    expect(statusOf(refused)).toBe(409);
    expect(replyData<{ commentValues: { body: string } }>(refused).commentValues.body).toBe("One more thing");
    const answered = await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "comment", body: "Closing this thread." }, teamCookie), {
        ask: param,
      }),
    );
    expect(statusOf(answered)).toBe(302);
    const count = db().$client.prepare("SELECT count(*) AS n FROM comments WHERE ask_id = ?").get(ask.id) as {
      n: number;
    };
    expect(count.n).toBe(1);
  });

  it("marks only a team member's comment as the official response", async () => {
    const { partner, team, ask, param, teamCookie } = await setup();
    const fromPartner = addComment(ask.id, partner.id, "Any news?") as number;
    const fromTeam = addComment(ask.id, team.id, "Yes: this ships in the next release.") as number;
    const refused = await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "official", commentId: String(fromPartner) }, teamCookie), {
        ask: param,
      }),
    );
    expect(statusOf(refused)).toBe(400);
    await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "official", commentId: String(fromTeam) }, teamCookie), {
        ask: param,
      }),
    );
    const page = replyData<Page>(await run(loader, args(getRequest(`/asks/${param}`), { ask: param })));
    expect(page.comments.filter((c) => c.isOfficial).map((c) => c.id)).toEqual([fromTeam]);
  });

  it("blocks a partner from posting; they can still read and sign in", async () => {
    const { partner, ask, param, partnerCookie, teamCookie } = await setup();
    await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "block-user", userId: String(partner.id) }, teamCookie), {
        ask: param,
      }),
    );
    const attempts: Record<string, string>[] = [{ intent: "vote" }, { intent: "comment", body: "Still here" }];
    for (const fields of attempts) {
      expect(
        statusOf(await run(action, args(formRequest(`/asks/${param}`, fields, partnerCookie), { ask: param }))),
      ).toBe(403);
    }
    const page = replyData<Page>(await run(loader, args(getRequest(`/asks/${param}`, partnerCookie), { ask: param })));
    expect(page.viewer.blocked).toBe(true);
    const votes = db().$client.prepare("SELECT count(*) AS n FROM votes WHERE ask_id = ?").get(ask.id) as { n: number };
    expect(votes.n).toBe(0);

    await run(
      action,
      args(formRequest(`/asks/${param}`, { intent: "unblock-user", userId: String(partner.id) }, teamCookie), {
        ask: param,
      }),
    );
    expect(
      statusOf(
        await run(action, args(formRequest(`/asks/${param}`, { intent: "vote" }, partnerCookie), { ask: param })),
      ),
    ).toBe(302);
  });
});
