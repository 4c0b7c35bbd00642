import { afterEach, describe, expect, it } from "vitest";
import { authenticateToken, createApiToken, hashToken, listOwnTokens } from "~/models/api-token.server";
import { reserveIdempotencyKey, storeIdempotentAnswer } from "~/models/idempotency-key.server";
import { setAskHidden } from "~/models/moderation.server";
import { saveSiteSettings } from "~/models/site-setting.server";
import { getStatusBySlug } from "~/models/status.server";
import { setUserDisabled } from "~/models/user.server";
import * as accountPage from "~/routes/account";
import * as adminTokens from "~/routes/admin.tokens";
import * as asksRoute from "~/routes/api.v1.asks";
import { configureRateLimits } from "~/services/rate-limit.server";
import { db } from "../../db/client";
import { api, tokenFor } from "./api-client";
import {
  args,
  loaded,
  locationOf,
  makeAsk,
  makeUser,
  noticeAfter,
  ok,
  replyData,
  route,
  setAskStatus,
  signedIn,
  statusOf,
} from "./helpers";

const count = (table: string) => (db().$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;

afterEach(() => configureRateLimits(process.env));

describe("personal API tokens", () => {
  it("are shown once with their prefix and stored only as a hash", async () => {
    const user = await makeUser();
    const created = ok(
      createApiToken({
        name: "DevOps sync",
        scopes: ["read"],
        expiresInDays: 90,
        teamScopeAllowed: false,
        expiryRequired: false,
        userId: user.id,
      }),
    );
    expect(created.token).toMatch(/^asklog_pat_[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(db().$client.prepare("SELECT * FROM api_tokens WHERE id = ?").get(created.id));
    expect(stored).not.toContain(created.token);
    expect(stored).toContain(hashToken(created.token));
    const [listed] = listOwnTokens(user.id);
    expect(listed?.displayPrefix).toBe(created.token.slice(0, 15));
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it("are made on the account page, shown on the next page only, then revoked there", async () => {
    const { user, cookie } = await signedIn();
    const account = route(accountPage, "/account");
    const made = await account.post(
      { intent: "create-token", name: "Power BI", expiry: "30", "scope.read": "on" },
      cookie,
    );
    expect(locationOf(made)).toBe("/account#api-tokens");
    const reveal = (made as Response).headers.get("Set-Cookie")?.split(";")[0] ?? "";
    const page = await loaded(account.load(`${cookie}; ${reveal}`));
    const token = page.apiTokens.newToken ?? "";
    expect(token).toMatch(/^asklog_pat_/);
    expect((await api("/api/v1/me", { token })).json.displayName).toBe(user.displayName);
    // Without the cookie (a reload after the page cleared it) the token is not there.
    expect((await loaded(account.load(cookie))).apiTokens.newToken).toBeNull();
    const [row] = (await loaded(account.load(cookie))).apiTokens.tokens;
    expect(row).toMatchObject({ name: "Power BI", scopes: ["read"], revokedAt: null });

    const revoked = await account.post({ intent: "revoke-token", tokenId: String(row?.id) }, cookie);
    expect(await noticeAfter(revoked)).toMatch(/Token revoked/);
    const refused = await api("/api/v1/me", { token });
    expect(refused.status).toBe(401);
    expect(refused.json.detail).toMatch(/revoked/);
  });

  it("refuse the team scope to partners and no expiry when admins forbid it, with the message by the field", async () => {
    const { cookie } = await signedIn();
    const account = route(accountPage, "/account");
    const team = await account.post({ intent: "create-token", name: "x", expiry: "30", "scope.team": "on" }, cookie);
    expect(statusOf(team)).toBe(400);
    expect(replyData<{ errors: Record<string, string> }>(team).errors["scope.read"]).toBe(
      "Only team members may use the team scope.",
    );
    const none = await account.post({ intent: "create-token", name: "x", expiry: "30" }, cookie);
    expect(replyData<{ errors: Record<string, string> }>(none).errors["scope.read"]).toBe("Choose at least one scope.");

    const admin = await makeUser({ role: "admin" });
    saveSiteSettings({ values: { tokensWithoutExpiry: false }, actorId: admin.id });
    try {
      const forever = await account.post(
        { intent: "create-token", name: "x", expiry: "never", "scope.read": "on" },
        cookie,
      );
      expect(replyData<{ errors: Record<string, string> }>(forever).errors.expiry).toBe(
        "Tokens on this site must expire.",
      );
    } finally {
      saveSiteSettings({ values: { tokensWithoutExpiry: true }, actorId: admin.id });
    }
  });

  it("are listed for admins with their owners, and any of them can be revoked; partners may not look", async () => {
    const owner = await makeUser();
    const token = tokenFor(owner);
    const admin = await signedIn("admin");
    const page = route(adminTokens, "/admin/tokens");
    const rows = (await loaded(page.load(admin.cookie))).tokens;
    const row = rows.find((t) => t.ownerEmail === owner.email);
    expect(row?.owner).toBe(owner.displayName);
    const result = await page.post({ intent: "revoke", tokenId: String(row?.id) }, admin.cookie);
    expect(locationOf(result)).toBe("/admin/tokens");
    expect((await api("/api/v1/me", { token })).status).toBe(401);
    const audit = db()
      .$client.prepare("SELECT actor_id FROM audit_entries WHERE action = 'token.revoke' AND subject_id = ?")
      .pluck()
      .get(row?.id);
    expect(audit).toBe(admin.user.id);

    const partner = await signedIn();
    expect(statusOf(await page.load(partner.cookie))).toBe(403);
  });

  it("note their last use and address, writing it at most once a minute", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const at = new Date(Date.now() + 1000);
    ok(authenticateToken(token, "203.0.113.7", at));
    ok(authenticateToken(token, "198.51.100.1", new Date(at.getTime() + 30_000)));
    expect(listOwnTokens(user.id)[0]).toMatchObject({
      lastUsedAt: at.toISOString(),
      lastUsedAddress: "203.0.113.7",
    });
    ok(authenticateToken(token, "198.51.100.1", new Date(at.getTime() + 61_000)));
    expect(listOwnTokens(user.id)[0]?.lastUsedAddress).toBe("198.51.100.1");
  });

  it("stop working when their owner is disabled", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const admin = await makeUser({ role: "admin" });
    ok(setUserDisabled({ userId: user.id, disabled: true, actorId: admin.id }));
    const refused = await api("/api/v1/me", { token });
    expect(refused.status).toBe(401);
    expect(listOwnTokens(user.id)[0]?.revokedAt).not.toBeNull();
  });
});

describe("who calls the API", () => {
  it("answers anonymous reads as a visitor sees them, and hides hidden asks from them", async () => {
    const author = await makeUser();
    const shown = makeAsk(author.id, "An ask everyone can read in the API");
    const hidden = makeAsk(author.id, "An ask a moderator hid from the API");
    const mod = await makeUser({ role: "team", team: "Moderators" });
    ok(setAskHidden({ askId: hidden.id, reason: "spam", actorId: mod.id }));

    const one = await api(`/api/v1/asks/${shown.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      number: shown.id,
      title: "An ask everyone can read in the API",
      voted: null,
      url: `http://localhost/asks/${shown.id}-${shown.slug}`,
      apiUrl: `http://localhost/api/v1/asks/${shown.id}`,
    });
    expect((await api(`/api/v1/asks/${hidden.id}`)).status).toBe(404);
    const list = await api("/api/v1/asks?limit=100");
    expect(list.json.asks.map((a: { number: number }) => a.number)).not.toContain(hidden.id);

    const teamToken = tokenFor(mod, ["read"]);
    expect((await api(`/api/v1/asks/${hidden.id}`, { token: teamToken })).json.hidden).toBe(true);
  });

  it("refuses unknown, expired, revoked and malformed tokens with 401 and says which", async () => {
    const user = await makeUser();
    const expired = tokenFor(user, ["read"], { expiresInDays: 30, now: new Date("2020-01-01T00:00:00Z") });
    const cases: [Record<string, string>, RegExp][] = [
      [{ Authorization: "Bearer asklog_pat_nothing" }, /not known/],
      [{ Authorization: `Bearer ${expired}` }, /expired/],
      [{ Authorization: "Basic dXNlcjpwYXNz" }, /Bearer/],
    ];
    for (const [headers, detail] of cases) {
      const answer = await api("/api/v1/asks", { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers.get("Content-Type")).toBe("application/problem+json");
      expect(answer.json.detail).toMatch(detail);
      expect(answer.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses a token without the scope a call needs with 403", async () => {
    const user = await makeUser();
    const writeOnly = tokenFor(user, ["write"]);
    const readOnly = tokenFor(user, ["read"]);
    const read = await api("/api/v1/asks", { token: writeOnly });
    expect(read.status).toBe(403);
    expect(read.json.detail).toBe("This token does not have the read scope this call needs.");
    const write = await api("/api/v1/asks", {
      method: "POST",
      token: readOnly,
      body: { title: "A scoped ask about rebates", body: "text", categoryId: 1 },
    });
    expect(write.status).toBe(403);
    expect(write.json).toMatchObject({ status: 403, title: "Forbidden", type: "/api/docs#problem-403" });
  });

  it("ignores the session cookie: a signed-in browser without a token is an anonymous caller", async () => {
    const { cookie } = await signedIn();
    const answer = await api("/api/v1/me", { headers: { Cookie: cookie } });
    expect(answer.status).toBe(401);
    const write = await api("/api/v1/asks", {
      method: "POST",
      headers: { Cookie: cookie },
      body: { title: "Filed through a cookie alone", body: "text", categoryId: 1 },
    });
    expect(write.status).toBe(401);
  });
});

describe("reads", () => {
  it("lists statuses, categories and teams, and says whose token it is", async () => {
    const statuses = await api("/api/v1/statuses");
    expect(statuses.json.map((s: { slug: string }) => s.slug)).toContain("completed");
    const categories = await api("/api/v1/categories");
    expect(categories.json.length).toBeGreaterThan(0);
    await makeUser({ role: "team", team: "EPX" });
    expect((await api("/api/v1/teams")).json.map((t: { name: string }) => t.name)).toContain("EPX");
    const user = await makeUser({ organization: "Dell" });
    const me = await api("/api/v1/me", { token: tokenFor(user, ["read"]) });
    expect(me.json).toMatchObject({ id: user.id, organization: "Dell", role: "member", scopes: ["read"] });
    expect((await api("/api/v1/me")).status).toBe(401);
  });

  it("pages with cursors that asks filed meanwhile do not shift, and refuses a cursor from another list", async () => {
    const author = await makeUser();
    const mine = Array.from({ length: 5 }, (_, i) => makeAsk(author.id, `Cursor paging ask number ${i} zebrafinch`));
    const q = "zebrafinch";
    const first = await api(`/api/v1/asks?sort=newest&q=${q}&limit=2`);
    expect(first.json.total).toBe(5);
    expect(first.json.asks.map((a: { number: number }) => a.number)).toEqual([mine[4]?.id, mine[3]?.id]);
    makeAsk(author.id, "Cursor paging ask filed meanwhile zebrafinch");
    const second = await api(`/api/v1/asks?sort=newest&q=${q}&limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.asks.map((a: { number: number }) => a.number)).toEqual([mine[2]?.id, mine[1]?.id]);
    const third = await api(`/api/v1/asks?sort=newest&q=${q}&limit=2&cursor=${second.json.nextCursor}`);
    expect(third.json.asks.map((a: { number: number }) => a.number)).toEqual([mine[0]?.id]);
    expect(third.json.nextCursor).toBeNull();

    const other = await api(`/api/v1/asks?sort=top&q=${q}&limit=2&cursor=${first.json.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.json.errors.cursor).toBe("This cursor belongs to another list.");
    expect((await api("/api/v1/asks?cursor=garbage!")).status).toBe(400);
  });

  it("gives an ask's status details, resolution links and comments", async () => {
    const { user: member } = await signedIn("team", "Program team");
    const author = await makeUser();
    const ask = makeAsk(author.id, "An ask with history for the API");
    const token = tokenFor(member, ["read", "write", "team"]);
    const completed = getStatusBySlug("completed");
    const teamId = member.teamId ?? 0;
    const update = await api(`/api/v1/asks/${ask.id}/status-updates`, {
      method: "POST",
      token,
      body: {
        statusId: completed?.id,
        teamId,
        note: "Shipped.",
        links: [{ url: "https://aka.ms/about-cpor", title: "About CPOR" }],
      },
    });
    expect(update.status).toBe(201);
    await api(`/api/v1/asks/${ask.id}/comments`, { method: "POST", token, body: { body: "Thanks, all." } });
    const read = await api(`/api/v1/asks/${ask.id}`);
    expect(read.json.status.slug).toBe("completed");
    expect(read.json.resolutionLinks).toEqual([{ url: "https://aka.ms/about-cpor", title: "About CPOR" }]);
    expect(read.json.statusUpdates.at(-1)).toMatchObject({ note: "Shipped.", team: "Program team" });
    expect(read.json.comments.map((c: { body: string }) => c.body)).toEqual(["Thanks, all."]);
  });
});

describe("writes", () => {
  it("files an ask as the token's owner, with the form's messages for bad fields", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const bad = await api("/api/v1/asks", { method: "POST", token, body: { title: "short", body: "", categoryId: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual({
      title: "Title must be at least 10 characters.",
      body: "Describe what you need and why.",
      categoryId: "Choose a category.",
    });
    const filed = await api("/api/v1/asks", {
      method: "POST",
      token,
      body: { title: "Rebate reports for partners", body: "We need **this**.", categoryId: 1 },
    });
    expect(filed.status).toBe(201);
    expect(filed.json).toMatchObject({ title: "Rebate reports for partners", author: { name: user.displayName } });
    expect((await api(`/api/v1/asks/${filed.json.number}`)).json.title).toBe("Rebate reports for partners");
    const unknown = await api("/api/v1/asks", {
      method: "POST",
      token,
      body: { title: "Rebate reports for partners", body: "x", categoryId: 999_999 },
    });
    expect(unknown.json.errors).toEqual({ categoryId: "Choose one of the listed categories." });
  });

  it("replays a retried POST with the same Idempotency-Key and refuses the key for another request", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const body = { title: "An ask sent twice by a flaky script", body: "Once only.", categoryId: 1 };
    const headers = { "Idempotency-Key": "sync-42" };
    const before = count("asks");
    const first = await api("/api/v1/asks", { method: "POST", token, body, headers });
    const retry = await api("/api/v1/asks", { method: "POST", token, body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.raw).toBe(first.raw);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(count("asks")).toBe(before + 1);
    const other = await api("/api/v1/asks", {
      method: "POST",
      token,
      body: { ...body, title: "Another ask entirely" },
      headers,
    });
    expect(other.status).toBe(422);
    expect(count("asks")).toBe(before + 1);
    // Another token's key space is its own.
    const mine = await api("/api/v1/asks", { method: "POST", token: tokenFor(user), body, headers });
    expect(mine.status).toBe(201);
  });

  it("lets one of two requests sent together with one Idempotency-Key write, and tells the other to retry", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const body = JSON.stringify({ title: "An ask a script sent twice at once", body: "Once only.", categoryId: 1 });
    const headers = { "Idempotency-Key": "sync-together" };
    const before = count("asks");
    // The first request's body arrives in two parts, the second only once the other request has had its answer.
    let sendRest = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 20)));
        sendRest = () => {
          controller.enqueue(new TextEncoder().encode(body.slice(20)));
          controller.close();
        };
      },
    });
    const slow = asksRoute.action(
      args(
        new Request("http://localhost/api/v1/asks", {
          method: "POST",
          headers: { ...headers, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit),
      ),
    );
    const meanwhile = await api("/api/v1/asks", { method: "POST", token, rawBody: body, headers });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers.get("Retry-After")).toBe("1");
    expect(meanwhile.headers.get("Content-Type")).toBe("application/problem+json");
    expect(meanwhile.json.detail).toBe("A request with this Idempotency-Key is still being processed; retry later.");
    expect(count("asks")).toBe(before);

    sendRest();
    const first = await slow;
    expect(first.status).toBe(201);
    const firstRaw = await first.text();
    expect(count("asks")).toBe(before + 1);
    const retry = await api("/api/v1/asks", { method: "POST", token, rawBody: body, headers });
    expect(retry.status).toBe(201);
    expect(retry.raw).toBe(firstRaw);
    expect(count("asks")).toBe(before + 1);
  });

  it("takes over a key whose request stopped answering a minute ago, and frees a key whose body could not be read", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const tokenId = db()
      .$client.prepare("SELECT id FROM api_tokens WHERE token_hash = ?")
      .pluck()
      .get(hashToken(token)) as number;
    const body = { title: "An ask whose first sender died", body: "Still wanted.", categoryId: 1 };
    const before = count("asks");

    const recent = reserveIdempotencyKey(tokenId, "recent", new Date(Date.now() - 30_000));
    expect(recent.kind).toBe("reserved");
    const waiting = await api("/api/v1/asks", {
      method: "POST",
      token,
      body,
      headers: { "Idempotency-Key": "recent" },
    });
    expect(waiting.status).toBe(409);

    const dead = reserveIdempotencyKey(tokenId, "dead", new Date(Date.now() - 61_000));
    if (dead.kind !== "reserved") throw new Error("the key should have been free");
    const taken = await api("/api/v1/asks", { method: "POST", token, body, headers: { "Idempotency-Key": "dead" } });
    expect(taken.status).toBe(201);
    expect(count("asks")).toBe(before + 1);
    // The dead request's answer, should it come after all, does not replace the one retries get.
    storeIdempotentAnswer({
      tokenId,
      key: "dead",
      reservedAt: dead.reservedAt,
      answer: { requestHash: "", status: 500, body: "late" },
    });
    const retry = await api("/api/v1/asks", { method: "POST", token, body, headers: { "Idempotency-Key": "dead" } });
    expect(retry.status).toBe(201);
    expect(retry.raw).toBe(taken.raw);

    const malformed = await api("/api/v1/asks", {
      method: "POST",
      token,
      rawBody: '{"title": "unterminated',
      headers: { "Idempotency-Key": "fixed-later" },
    });
    expect(malformed.status).toBe(400);
    const fixed = await api("/api/v1/asks", {
      method: "POST",
      token,
      body: { ...body, title: "An ask sent again once its JSON was fixed" },
      headers: { "Idempotency-Key": "fixed-later" },
    });
    expect(fixed.status).toBe(201);
    expect(count("asks")).toBe(before + 2);
  });

  it("runs a write again when its key's first answer was 429, rather than replaying the refusal", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const ask = makeAsk(user.id, "An ask a busy script comments on");
    const path = `/api/v1/asks/${ask.id}/comments`;
    const headers = { "Idempotency-Key": "comment-after-a-wait" };
    configureRateLimits({ ...process.env, RATE_LIMIT_COMMENTS: "1/1m" });
    expect((await api(path, { method: "POST", token, body: { body: "First." } })).status).toBe(201);
    const limited = await api(path, { method: "POST", token, body: { body: "Second." }, headers });
    expect(limited.status).toBe(429);
    configureRateLimits(process.env);
    const retried = await api(path, { method: "POST", token, body: { body: "Second." }, headers });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    expect(db().$client.prepare("SELECT count(*) FROM comments WHERE ask_id = ?").pluck().get(ask.id)).toBe(2);
  });

  it("votes and retracts, and refuses a vote on a closed ask with 409", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const token = tokenFor(voter);
    const ask = makeAsk(author.id, "An ask to vote on through the API");
    const cast = await api(`/api/v1/asks/${ask.id}/vote`, { method: "PUT", token });
    expect(cast.json).toEqual({ number: ask.id, voted: true, voteCount: 1 });
    expect((await api(`/api/v1/asks/${ask.id}/vote`, { method: "PUT", token })).json.voteCount).toBe(1);
    expect((await api(`/api/v1/asks/${ask.id}`, { token })).json.voted).toBe(true);
    const back = await api(`/api/v1/asks/${ask.id}/vote`, { method: "DELETE", token });
    expect(back.json).toEqual({ number: ask.id, voted: false, voteCount: 0 });
    setAskStatus(ask.id, "declined");
    const closed = await api(`/api/v1/asks/${ask.id}/vote`, { method: "PUT", token });
    expect(closed.status).toBe(409);
    expect((await api("/api/v1/asks/999999/vote", { method: "PUT", token })).status).toBe(404);
    expect((await api(`/api/v1/asks/${ask.id}/vote`, { method: "POST", token })).status).toBe(405);
  });

  it("refuses a status update from a partner, and from a team token without the team scope", async () => {
    const partner = await makeUser();
    const author = await makeUser();
    const ask = makeAsk(author.id, "An ask a partner tries to close");
    const body = { statusId: getStatusBySlug("completed")?.id, teamId: 1, note: "Done, says the partner." };
    const partnerCall = await api(`/api/v1/asks/${ask.id}/status-updates`, {
      method: "POST",
      token: tokenFor(partner, ["read", "write"]),
      body,
    });
    expect(partnerCall.status).toBe(403);
    expect(partnerCall.json.detail).toMatch(/team scope/);
    // A token made while its owner was on a team keeps the scope, but the owner's role decides.
    const former = await makeUser({ role: "team", team: "Former team" });
    const teamToken = tokenFor(former, ["team"]);
    db().$client.prepare("UPDATE users SET role = 'member' WHERE id = ?").run(former.id);
    const demoted = await api(`/api/v1/asks/${ask.id}/status-updates`, { method: "POST", token: teamToken, body });
    expect(demoted.status).toBe(403);
    expect((await api(`/api/v1/asks/${ask.id}`)).json.statusUpdates).toEqual([]);
  });

  it("takes a back-dated status update, and refuses a date before the ask was filed, by the field", async () => {
    const { user: member } = await signedIn("team", "Assignment Team");
    const author = await makeUser();
    const ask = makeAsk(author.id, "An ask with imported history");
    db().$client.prepare("UPDATE asks SET created_at = '2021-04-01T00:00:00.000Z' WHERE id = ?").run(ask.id);
    const token = tokenFor(member, ["team"]);
    const underReview = getStatusBySlug("under-review")?.id;
    const post = (body: unknown) => api(`/api/v1/asks/${ask.id}/status-updates`, { method: "POST", token, body });
    const early = await post({ statusId: underReview, teamId: member.teamId, note: "Too early", date: "2021-03-01" });
    expect(early.status).toBe(400);
    expect(early.json.errors).toEqual({ date: "The date cannot be before the ask was filed (2021-04-01)." });
    const badLink = await post({
      statusId: underReview,
      teamId: member.teamId,
      note: "Link",
      links: [{ url: "javascript:alert(1)", title: "x" }],
    });
    expect(badLink.json.errors).toEqual({
      "links.0.url": "Enter a full web address starting with https:// or http://.",
    });
    const good = await post({
      statusId: underReview,
      teamId: member.teamId,
      note: "Assigned for triage",
      date: "2021-04-27",
    });
    expect(good.status).toBe(201);
    expect(good.json).toMatchObject({
      date: "2021-04-27",
      toStatus: { slug: "under-review" },
      team: "Assignment Team",
    });
  });
});

describe("bad input", () => {
  it("answers malformed JSON, a wrong content type, unknown fields and oversized bodies with 4xx problems", async () => {
    const user = await makeUser();
    const token = tokenFor(user);
    const ask = makeAsk(user.id, "An ask to send bad comments to");
    const path = `/api/v1/asks/${ask.id}/comments`;
    const before = count("comments");

    const malformed = await api(path, { method: "POST", token, rawBody: '{"body": "unterminated' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail).toMatch(/not valid JSON/);

    const form = await api(path, {
      method: "POST",
      token,
      rawBody: "body=hello",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);

    const extra = await api(path, { method: "POST", token, body: { body: "Hello", isOfficial: true } });
    expect(extra.status).toBe(400);
    expect(extra.json.errors).toEqual({ isOfficial: "This field is not part of the request." });

    const huge = await api(path, { method: "POST", token, body: { body: "x".repeat(70_000) } });
    expect(huge.status).toBe(413);

    const notObject = await api(path, { method: "POST", token, rawBody: "[1,2]" });
    expect(notObject.status).toBe(400);

    for (const answer of [malformed, form, extra, huge, notObject]) {
      expect(answer.headers.get("Content-Type")).toBe("application/problem+json");
      expect(Object.keys(answer.json).sort()).toEqual(expect.arrayContaining(["detail", "status", "title", "type"]));
    }
    expect(count("comments")).toBe(before);
  });

  it("refuses unknown query parameters and addresses in problem+json", async () => {
    const query = await api("/api/v1/asks?sortt=top");
    expect(query.status).toBe(400);
    expect(query.json.errors).toEqual({ sortt: "This field is not part of the request." });
    const nowhere = await api("/api/v1/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await api("/api/v1/asks/abc")).status).toBe(404);
  });

  it("limits calls per token with RateLimit headers, then 429 with Retry-After", async () => {
    configureRateLimits({ ...process.env, RATE_LIMIT_API: "2/1m" });
    const user = await makeUser();
    const token = tokenFor(user, ["read"]);
    const first = await api("/api/v1/statuses", { token });
    expect(first.headers.get("RateLimit-Limit")).toBe("2");
    expect(first.headers.get("RateLimit-Remaining")).toBe("1");
    await api("/api/v1/statuses", { token });
    const third = await api("/api/v1/statuses", { token });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(third.json.detail).toMatch(/Try again in/);
    // Another token has its own allowance.
    expect((await api("/api/v1/statuses", { token: tokenFor(user, ["read"]) })).status).toBe(200);
  });
});
