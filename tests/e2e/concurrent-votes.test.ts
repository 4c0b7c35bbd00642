import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { createUser } from "~/models/user.server";
import { askPath } from "~/slug";
import { closeDb } from "../../db/client";
import { at } from "../../scripts/lists";
import { signIn, url } from "./http";

// 50 signed-in partners vote and un-vote the same ask at once, over HTTP, against the
// production server: every request must succeed and the count must equal the rows.

const clients = 50;
const rounds = 10;
let path: string;
let askId: number;
let cookies: string[];

beforeAll(async () => {
  process.env.DATABASE_PATH = inject("databasePath");
  const stamp = Date.now();
  const users = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const created = await createUser({
        email: `voter-${i}-${stamp}@fabrikam.example`,
        displayName: `Voter ${i}`,
        organization: "Fabrikam",
        password: "concurrent-voter-password",
      });
      if (!created.ok) throw new Error(`voter ${i} refused: ${created.reason}`);
      return created.user;
    }),
  );
  const ask = createAsk({
    title: `Fifty partners vote on this at once ${stamp}`,
    body: "Concurrency",
    categoryId: at(listCategories(), 0).id,
    authorId: at(users, 0).id,
  });
  if (!ask.ok) throw new Error(`ask refused: ${ask.reason}`);
  askId = ask.id;
  path = askPath(ask);
  cookies = await Promise.all(users.map((u) => signIn(u.email, "concurrent-voter-password")));
}, 60_000);
afterAll(() => closeDb());

async function vote(cookie: string, intent: "vote" | "unvote"): Promise<number> {
  const response = await fetch(url(path), {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: new URL(inject("baseUrl")).origin },
    body: new URLSearchParams({ intent }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("50 clients voting on one ask at once", () => {
  it("all succeed, and the count equals the votes rows", async () => {
    const statuses: number[] = [];
    await Promise.all(
      cookies.map(async (cookie, i) => {
        for (let round = 0; round < rounds; round++) {
          statuses.push(await vote(cookie, "vote"));
          // Even-numbered clients take their vote back each round; odd ones keep it at the end.
          if (i % 2 === 0 || round < rounds - 1) statuses.push(await vote(cookie, "unvote"));
        }
      }),
    );
    expect(statuses.filter((s) => s !== 302)).toEqual([]);
    expect(statuses).toHaveLength(clients * rounds * 2 - clients / 2);

    const database = new Database(inject("databasePath"), { readonly: true });
    const { voteCount, rows } = database
      .prepare(
        "SELECT vote_count AS voteCount, (SELECT count(*) FROM votes WHERE ask_id = ?) AS rows FROM asks WHERE id = ?",
      )
      .get(askId, askId) as { voteCount: number; rows: number };
    database.close();
    expect(rows).toBe(clients / 2);
    expect(voteCount).toBe(rows);
  });
});
