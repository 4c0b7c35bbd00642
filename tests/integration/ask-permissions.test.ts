import { beforeAll, describe, expect, it } from "vitest";
import { addComment } from "~/models/comment.server";
import type { User } from "~/models/user.server";
import * as askPage from "~/routes/asks.$ask";
import { db } from "../../db/client";
import { cookieFor, locationOf, makeAsk, makeUser, ok, route, statusOf } from "./helpers";

// Everything a team or admin action could touch, as one comparable string.
function snapshot(): string {
  const tables = ["asks", "comments", "votes", "subscriptions", "status_updates", "audit_entries"];
  const rows = tables.map((t) => db().$client.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
  rows.push(db().$client.prepare("SELECT id, role, blocked_at, disabled_at FROM users ORDER BY id").all());
  return JSON.stringify(rows);
}

let partner: User;
let team: User;
let admin: User;
let ask: { id: number; slug: string };
let page: ReturnType<typeof askRoute>;
let other: { id: number; slug: string };
let teamComment: number;
let partnerComment: number;
const cookies: Record<string, string> = {};

const askRoute = (a: { id: number; slug: string }) =>
  route(askPage, `/asks/${a.id}-${a.slug}`, { ask: `${a.id}-${a.slug}` });

beforeAll(async () => {
  partner = await makeUser({ organization: "Contoso" });
  team = await makeUser({ role: "team", team: "Program team" });
  admin = await makeUser({ role: "admin" });
  ask = makeAsk(partner.id, "Show CPOR claim status in one list");
  other = makeAsk(partner.id, "List every CPOR claim with its status");
  page = askRoute(ask);
  teamComment = ok(addComment({ askId: ask.id, body: "We are looking at this.", authorId: team.id })).id;
  partnerComment = ok(addComment({ askId: ask.id, body: "Thanks!", authorId: partner.id })).id;
  cookies.partner = await cookieFor(partner);
  cookies.team = await cookieFor(team);
  cookies.admin = await cookieFor(admin);
});

const teamIntents = (): Record<string, Record<string, string>> => ({
  official: { commentId: String(teamComment) },
  unofficial: { commentId: String(teamComment) },
  "hide-comment": { commentId: String(partnerComment), reason: "Off topic" },
  "unhide-comment": { commentId: String(partnerComment) },
  "hide-ask": { reason: "Spam" },
  "unhide-ask": {},
  lock: {},
  unlock: {},
  merge: { targetId: String(other.id) },
  unmerge: {},
  "block-user": { userId: String(partner.id) },
  "unblock-user": { userId: String(partner.id) },
});

describe("team actions on the ask page, by role", () => {
  it("refuses every team action to a partner with 403 and changes nothing", async () => {
    for (const [intent, fields] of Object.entries(teamIntents())) {
      const before = snapshot();
      const result = await page.post({ intent, ...fields }, cookies.partner);
      expect(statusOf(result), intent).toBe(403);
      expect(snapshot(), intent).toBe(before);
    }
  });

  it("sends a signed-out request to sign in and changes nothing", async () => {
    for (const [intent, fields] of Object.entries(teamIntents())) {
      const before = snapshot();
      const result = await page.post({ intent, ...fields });
      expect(locationOf(result)?.startsWith("/signin"), intent).toBe(true);
      expect(snapshot(), intent).toBe(before);
    }
  });

  for (const role of ["team", "admin"] as const) {
    it(`lets a ${role} member run every team action`, async () => {
      for (const [intent, fields] of Object.entries(teamIntents())) {
        const before = snapshot();
        const result = await page.post({ intent, ...fields }, cookies[role]);
        expect(statusOf(result), intent).toBe(302);
        expect(snapshot(), `${intent} should change something`).not.toBe(before);
      }
    });
  }

  it("refuses an unknown intent", async () => {
    expect(statusOf(await page.post({ intent: "make-me-admin" }, cookies.partner))).toBe(400);
  });
});
