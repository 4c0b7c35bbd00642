import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStatusBySlug } from "~/models/status.server";
import { configureRateLimits } from "~/services/rate-limit.server";
import { db } from "../../db/client";
import { api, tokenFor } from "./api-client";
import { makeAsk, makeUser } from "./helpers";

// Thousands of random and edge-case requests across every route: none may fault (5xx), and a
// refused one (4xx) must store nothing. Seeded, so a failure names a request that replays.

const stored = ["asks", "comments", "votes", "status_updates", "resolution_links", "audit_entries", "subscriptions"];

function counts(): number[] {
  return stored.map((t) => db().$client.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
}

// mulberry32: small, fast and the same on every machine.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(() => configureRateLimits({ RATE_LIMITS: "off" }));
afterAll(() => configureRateLimits(process.env));

describe("the API under random input", () => {
  it("never faults, and a refused request stores nothing", async () => {
    const next = random(20261201);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

    const partner = await makeUser();
    const member = await makeUser({ role: "team", team: "Fuzz team" });
    const ask = makeAsk(partner.id, "An ask the fuzz test aims at");
    const closed = makeAsk(partner.id, "A closed ask the fuzz test aims at");
    db()
      .$client.prepare("UPDATE asks SET status_id = (SELECT id FROM statuses WHERE slug = 'declined') WHERE id = ?")
      .run(closed.id);
    const statusId = getStatusBySlug("planned")?.id ?? 1;

    const tokens = [
      undefined,
      tokenFor(partner, ["read"]),
      tokenFor(partner, ["read", "write"]),
      tokenFor(partner, ["write"]),
      tokenFor(member, ["read", "write", "team"]),
      tokenFor(member, ["team"]),
      "asklog_pat_unknown",
      "not-a-token",
      "",
    ];
    const numbers = [
      String(ask.id),
      String(closed.id),
      "0",
      "-1",
      "abc",
      "1e3",
      "99999999999999999999",
      "%00",
      "1.5",
      "ö",
      "x".repeat(300),
    ];
    const paths = [
      "/api/v1/asks",
      "/api/v1/asks/{n}",
      "/api/v1/asks/{n}/vote",
      "/api/v1/asks/{n}/comments",
      "/api/v1/asks/{n}/status-updates",
      "/api/v1/statuses",
      "/api/v1/categories",
      "/api/v1/teams",
      "/api/v1/me",
      "/api/v1/openapi.json",
      "/api/v1/unknown",
      "/api/v1/asks/{n}/nothing",
    ];
    const queries = [
      "",
      "?sort=top",
      "?sort=trending",
      "?sort=organizations&limit=1",
      "?limit=0",
      "?limit=101",
      "?limit=-5",
      "?limit=abc",
      "?q=",
      "?q=-only",
      "?q=%22unterminated",
      `?q=${"a".repeat(300)}`,
      "?q=org:Contoso",
      "?status=completed",
      "?status=nope",
      "?category=1",
      "?category=0",
      "?category=abc",
      "?cursor=",
      "?cursor=eyJsIjoiYSIsImsiOlsxLDJdfQ",
      "?cursor=%FF%FE",
      "?cursor=W10",
      "?unknown=1",
      "?sort=top&sort=newest",
    ];
    const strings = [
      "",
      " ",
      "x",
      "A title long enough to file",
      "\u0000",
      "\ud800",
      "😀".repeat(50),
      "x".repeat(12_000),
      "<script>alert(1)</script>",
      "https://example.com",
      "javascript:alert(1)",
      "2021-02-30",
      "2999-01-01",
      "2024-06-01",
    ];
    const values = (): unknown =>
      pick([
        () => pick(strings),
        () => Math.floor(next() * 10) - 2,
        () => pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, statusId, member.teamId ?? 1]),
        () => pick([true, false, null]),
        () => [],
        () => ({}),
        () => [pick(strings)],
        () => [{ url: pick(strings), title: pick(strings) }],
      ])();
    const fieldNames = [
      "title",
      "body",
      "categoryId",
      "statusId",
      "teamId",
      "note",
      "date",
      "links",
      "extra",
      "__proto__",
      "constructor",
    ];
    const bodies = (): { rawBody?: string; body?: unknown } =>
      pick([
        () => ({}),
        () => ({
          rawBody: pick(["", "{", "null", "[]", "1", '"x"', '{"a":', "\u0000", "{}".repeat(1000), "[".repeat(5000)]),
        }),
        () => ({
          body: Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [pick(fieldNames), values()])),
        }),
        () => ({ body: { title: pick(strings), body: pick(strings), categoryId: values() } }),
        () => ({ body: { body: pick(strings) } }),
        () => ({
          body: { statusId: values(), teamId: values(), note: pick(strings), date: pick(strings), links: values() },
        }),
        () => ({ body: { title: "x".repeat(70_000) } }),
      ])();
    const contentTypes = [
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/merge-patch+json",
      "",
    ];
    const methods = ["GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

    let refusedWithoutWrites = 0;
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const path = `${pick(paths).replace("{n}", pick(numbers))}${pick(queries)}`;
      const method = pick(methods);
      const token = pick(tokens);
      const { rawBody, body } = method === "GET" || method === "HEAD" ? {} : bodies();
      const contentType = pick(contentTypes);
      const headers: Record<string, string> = {
        ...(token === undefined ? {} : { Authorization: token.startsWith("asklog") ? `Bearer ${token}` : token }),
        ...(rawBody !== undefined || body !== undefined ? { "Content-Type": contentType || "application/json" } : {}),
        ...(next() < 0.2 ? { "Idempotency-Key": pick(["k1", "k2", "", "x".repeat(300), "naïve"]) } : {}),
      };
      const before = counts();
      const request = `#${i} ${method} ${path} ${JSON.stringify(headers)} ${(rawBody ?? JSON.stringify(body) ?? "").slice(0, 200)}`;
      const answer = await api(path, { method, rawBody, body, headers });
      expect(answer.status, request).toBeLessThan(500);
      if (answer.status >= 400) {
        expect(counts(), request).toEqual(before);
        expect(answer.headers.get("Content-Type"), request).toBe("application/problem+json");
        refusedWithoutWrites++;
      }
    }
    // Most random requests are refused; the check above ran on each of them.
    expect(refusedWithoutWrites).toBeGreaterThan(total / 2);
  });
});
