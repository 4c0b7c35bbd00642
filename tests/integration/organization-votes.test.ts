import { describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { addComment } from "~/models/comment.server";
import { castVote } from "~/models/vote.server";
import { db } from "../../db/client";
import { makeAsk, makeUser, ok } from "./helpers";

let orgCounter = 0;
// An organization name no other test uses, so lists filtered by it hold only this test's asks.
function freshOrganization(label: string): string {
  orgCounter += 1;
  return `${label} ${orgCounter} ${Date.now()}`;
}

function organizationId(name: string): number {
  const row = db().$client.prepare("SELECT id FROM organizations WHERE name = ?").get(name) as { id: number };
  return row.id;
}

describe("asks linked to an organization", () => {
  it("tells apart the asks its members filed, voted on and commented on", async () => {
    const name = freshOrganization("Fabrikam");
    const member = await makeUser({ organization: name });
    const outsider = await makeUser({ organization: freshOrganization("Outsider") });
    makeAsk(member.id, "Filed by a Fabrikam member");
    const voted = makeAsk(outsider.id, "Voted on by a Fabrikam member");
    const commented = makeAsk(outsider.id, "Commented on by a Fabrikam member");
    makeAsk(outsider.id, "Nothing to do with Fabrikam");
    ok(castVote({ askId: voted.id, userId: member.id }));
    ok(addComment({ askId: commented.id, authorId: member.id, body: "We need this too." }));
    const id = organizationId(name);
    const titles = (via: "wants" | "filed" | "voted" | "commented") =>
      listAsks({ sort: "newest", page: 1, organization: { id, via } }).asks.map((a) => a.title);

    expect(titles("filed")).toEqual(["Filed by a Fabrikam member"]);
    expect(titles("voted")).toEqual(["Voted on by a Fabrikam member"]);
    expect(titles("commented")).toEqual(["Commented on by a Fabrikam member"]);
    expect(titles("wants")).toEqual(["Voted on by a Fabrikam member", "Filed by a Fabrikam member"]);
    expect(listAsks({ sort: "newest", page: 1, organization: { id, via: "wants" } }).total).toBe(2);
  });
});
