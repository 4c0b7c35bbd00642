import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { action, loader } from "~/routes/asks.$ask";
import { args, cookieFor, formRequest, makeAsk, makeUser, run } from "./helpers";

describe("voting through the ask page action", () => {
  it("counts one vote per partner and lets them retract it", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const ask = makeAsk(author.id);
    const cookie = await cookieFor(voter);
    const path = `/asks/${ask.id}-${ask.slug}`;
    const params = { ask: `${ask.id}-${ask.slug}` };

    for (let i = 0; i < 2; i++) {
      const res = (await run(action, args(formRequest(path, { intent: "vote" }, cookie), params))) as Response;
      expect(res.status).toBe(302);
    }
    expect(getAsk(ask.id)?.voteCount).toBe(1);

    await run(action, args(formRequest(path, { intent: "unvote" }, cookie), params));
    expect(getAsk(ask.id)?.voteCount).toBe(0);
    const page = (await loader(
      args(new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params),
    )) as { voted: boolean };
    expect(page.voted).toBe(false);
  });
});
