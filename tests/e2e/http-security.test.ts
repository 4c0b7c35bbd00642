import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { get, signIn, url } from "./http";

// What a server refuses or accepts at the HTTP level, checked against the production
// server from global-setup, and what its database holds afterwards.

const origin = () => new URL(inject("baseUrl")).origin;
let database: Database.Database;
let partner: string;

beforeAll(async () => {
  database = new Database(inject("databasePath"), { readonly: true });
  partner = await signIn("dana@contoso.example", "asklog-demo");
});
afterAll(() => database.close());

function post(path: string, fields: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  return fetch(url(path), {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: partner, ...headers },
    body: new URLSearchParams(fields),
  });
}

// Everything a refused write could have touched, in one comparable value.
function writeState() {
  return database
    .prepare(
      `SELECT (SELECT count(*) FROM votes) AS votes, (SELECT count(*) FROM comments) AS comments,
              (SELECT count(*) FROM asks) AS asks, (SELECT group_concat(vote_count) FROM asks) AS counts,
              (SELECT count(*) FROM sessions) AS sessions`,
    )
    .get();
}

describe("cross-site writes", () => {
  const refused: [string, Record<string, string>][] = [
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["an opaque Origin", { Origin: "null" }],
    ["another site's Referer and no Origin", { Referer: "https://evil.example/page" }],
    ["neither Origin nor Referer", {}],
  ];

  it.each(refused)(
    "refuses a signed-in partner's vote and comment carrying %s with 403, changing nothing",
    async (_, headers) => {
      const before = writeState();
      const forged: Record<string, string>[] = [{ intent: "vote" }, { intent: "comment", body: "Forged comment" }];
      for (const fields of forged) {
        const response = await post("/asks/2", fields, headers);
        expect(response.status).toBe(403);
        expect(await response.text()).toContain("sent from another site");
      }
      // Sign-in too: a forged sign-in would put the victim in the attacker's account.
      const signInResponse = await fetch(url("/signin"), {
        method: "POST",
        redirect: "manual",
        headers,
        body: new URLSearchParams({ email: "dana@contoso.example", password: "asklog-demo" }),
      });
      expect(signInResponse.status).toBe(403);
      expect(signInResponse.headers.get("Set-Cookie")).toBeNull();
      expect(writeState()).toEqual(before);
    },
  );

  it("accepts the same vote from our own page, by Origin or by Referer alone", async () => {
    // An open ask the partner has not voted on yet.
    const askId = database
      .prepare(
        `SELECT a.id FROM asks a JOIN statuses s ON s.id = a.status_id
         WHERE s.accepts_votes AND a.id NOT IN (SELECT ask_id FROM votes v JOIN users u ON u.id = v.user_id
                                                WHERE u.email = 'dana@contoso.example')
         ORDER BY a.id LIMIT 1`,
      )
      .pluck()
      .get() as number;
    const votes = () => database.prepare("SELECT vote_count FROM asks WHERE id = ?").pluck().get(askId) as number;
    const before = votes();
    expect((await post(`/asks/${askId}`, { intent: "vote" }, { Origin: origin() })).status).toBe(302);
    expect(votes()).toBe(before + 1);
    expect((await post(`/asks/${askId}`, { intent: "unvote" }, { Referer: `${origin()}/asks/${askId}` })).status).toBe(
      302,
    );
    expect(votes()).toBe(before);
  });
});

describe("security headers", () => {
  it("gives every page a Content-Security-Policy whose fresh nonce is on each of its scripts, and nothing else", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/asks/1", "/search?q=cpor", "/signin"]) {
      // Followed: /asks/1 redirects to its address with the title in it.
      const response = await fetch(url(path), { headers: { Cookie: partner } });
      expect(response.status).toBe(200);
      const policy = response.headers.get("Content-Security-Policy") ?? "";
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).not.toContain("unsafe-eval");
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? "";
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      nonces.add(nonce);
      const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    }
    expect(nonces.size).toBe(4);
  });
});

describe("input limits and odd input", () => {
  it("refuses a body larger than 1 MiB with 413, without parsing it", async () => {
    const response = await post(
      "/asks/2",
      { intent: "comment", body: "x".repeat(1024 * 1024 + 1) },
      { Origin: origin() },
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("larger than Asklog accepts");
  });

  it("refuses a body that does not state its size", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("intent=comment&body=streamed"));
        controller.close();
      },
    });
    const response = await fetch(url("/asks/2"), {
      method: "POST",
      headers: { Cookie: partner, Origin: origin(), "Content-Type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(411);
  });

  it("drops null bytes and replaces invalid UTF-8 in a comment instead of failing", async () => {
    const marker = `Null-byte check ${Date.now()}`;
    const body = `intent=comment&body=${encodeURIComponent(marker)}%00%01%20tail%FF`;
    const response = await fetch(url("/asks/2"), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: partner, Origin: origin(), "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(response.status).toBe(302);
    const stored = database.prepare("SELECT body FROM comments WHERE body LIKE ?").pluck().get(`${marker}%`);
    expect(stored).toBe(`${marker} tail\uFFFD`);
  });

  it.each(["/asks/abc", "/asks/99999999999999999999", "/asks/0", "/asks/-1", "/asks/%00"])(
    "answers %s with a 404 page",
    async (path) => {
      expect((await get(path)).status).toBe(404);
    },
  );

  it.each(["/asks/%E0%A4%A", "/%"])("answers the malformed address %s with 400 and no stack trace", async (path) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("This address is malformed");
    expect(html).not.toMatch(/URIError|node_modules|\bat \w/);
  });
});

describe("/healthz", () => {
  it("reports the database as ok", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: { ok: true } });
  });
});
