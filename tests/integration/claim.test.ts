import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { getAsk, listMyAsks } from "~/models/ask.server";
import { addComment, listComments } from "~/models/comment.server";
import { runImport } from "~/models/import.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { follow } from "~/models/subscription.server";
import { activeUserByEmail, listUsersForAdmin, verifyLogin } from "~/models/user.server";
import { castVote } from "~/models/vote.server";
import * as confirmEmailPage from "~/routes/confirm-email.$token";
import * as forgotPasswordPage from "~/routes/forgot-password";
import * as signInPage from "~/routes/signin";
import * as signUpPage from "~/routes/signup";
import { openImportSource } from "~/services/import-source.server";
import { configureRateLimits } from "~/services/rate-limit.server";
import type { ImportDocument } from "~/validation/import-format";
import { db } from "../../db/client";
import { locationOf, makeAsk, makeUser, ok, replyData, route, statusOf } from "./helpers";
import { recordStatusEvent, testMailbox } from "./mail";

const mailbox = testMailbox();
beforeEach(() => {
  configureRateLimits({});
});

// The SQL names the columns T describes.
function all<T>(sql: string, ...params: unknown[]): T[] {
  return db()
    .$client.prepare(sql)
    .all(...params) as T[];
}

let counter = 0;
function unique(): string {
  counter += 1;
  return `${counter}-${Date.now()}`;
}

// An imported person as the importer leaves one: no password, a made-up address, and the
// address the source gave waiting to be claimed.
function placeholder(name: string, claimEmail: string | null, sourceRef = `p-${unique()}`): number {
  const row = db()
    .$client.prepare(
      `INSERT INTO users (email, display_name, password_hash, placeholder, claim_email, source_ref)
       VALUES (?, ?, '', 1, ?, ?) RETURNING id`,
    )
    .get(`${sourceRef}@placeholder.invalid`, name, claimEmail, sourceRef) as { id: number };
  return row.id;
}

function userIdOf(email: string): number | undefined {
  return all<{ id: number }>("SELECT id FROM users WHERE email = ?", email)[0]?.id;
}

function exists(id: number): boolean {
  return all("SELECT 1 FROM users WHERE id = ?", id).length === 1;
}

function voteCount(askId: number): number {
  const ask = getAsk(askId);
  if (!ask) throw new Error(`no ask ${askId}`);
  return ask.voteCount;
}

async function signUp(email: string, displayName: string) {
  const result = await route(signUpPage, "/signup").post(
    { email, displayName, organization: "Dell", password: "correct horse battery", redirectTo: "/" },
    undefined,
    { clientAddress: `10.8.0.${counter % 250}` },
  );
  expect(statusOf(result)).toBe(302);
  const userId = userIdOf(email);
  if (userId === undefined) throw new Error(`sign-up made no account for ${email}`);
  return userId;
}

// Follows the link the confirmation mail carries, as the person would.
async function confirm(email: string) {
  await mailbox.deliver();
  const text = mailbox.to(email).at(-1)?.text ?? "";
  const token = /\/confirm-email\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`No confirmation link mailed to ${email}`);
  const result = await route(confirmEmailPage, "/x", { token }).post({});
  expect(statusOf(result)).toBe(302);
}

describe("claiming imported history by confirming the address", () => {
  it("makes the person who confirms the address the author, voter and commenter, and removes the placeholder", async () => {
    const email = `raj.${unique()}@dell.example`;
    const raj = placeholder("Raj Mehta (old tracker)", email, `raj-${unique()}`);
    // The source had Raj twice, under two ids with one address: both are Raj.
    const rajAgain = placeholder("R. Mehta", email);
    const someoneElse = placeholder("Kelly Brennan", `kelly.${unique()}@dell.example`);

    const other = await makeUser();
    const filed = makeAsk(raj, "A customer-facing page that explains CPOR");
    const votedByBoth = makeAsk(other.id, "Let partners see the CPOR claim status");
    const votedByPlaceholderOnly = makeAsk(other.id, "Export the CPOR claims as CSV");
    ok(castVote({ askId: votedByBoth.id, userId: raj }));
    ok(castVote({ askId: votedByBoth.id, userId: someoneElse }));
    ok(castVote({ askId: votedByPlaceholderOnly.id, userId: rajAgain }));
    ok(addComment({ askId: votedByBoth.id, authorId: raj, body: "We asked for this months ago." }));
    ok(addComment({ askId: votedByBoth.id, authorId: rajAgain, body: "Still needed." }));
    db()
      .$client.prepare(
        `INSERT INTO status_updates (ask_id, from_status_id, to_status_id, author_id, note, about_date)
         SELECT ?, status_id, status_id, ?, 'Raj triaged this in the old tracker.', '2021-04-27' FROM asks WHERE id = ?`,
      )
      .run(filed.id, rajAgain, filed.id);

    const userId = await signUp(email, "Raj Mehta");
    // Signed up but not yet confirmed: anyone can type an address, so nothing moves yet.
    ok(castVote({ askId: votedByBoth.id, userId }));
    expect(voteCount(votedByBoth.id)).toBe(3);
    expect(getAsk(filed.id)?.author).toBe("Raj Mehta (old tracker)");
    expect(exists(raj) && exists(rajAgain)).toBe(true);
    expect(listMyAsks(userId, "filed", 1).total).toBe(0);

    await confirm(email);

    expect(exists(raj)).toBe(false);
    expect(exists(rajAgain)).toBe(false);
    expect(exists(someoneElse)).toBe(true);
    expect(getAsk(filed.id)?.author).toBe("Raj Mehta");
    expect(listMyAsks(userId, "filed", 1).asks.map((a) => a.id)).toEqual([filed.id]);
    expect(listComments(votedByBoth.id).map((c) => [c.author, c.authorId])).toEqual([
      ["Raj Mehta", userId],
      ["Raj Mehta", userId],
    ]);
    expect(listStatusUpdates(filed.id).map((u) => u.author)).toEqual(["Raj Mehta"]);
    // Raj and his placeholder had both voted: one person, one vote. Kelly's still counts.
    expect(voteCount(votedByBoth.id)).toBe(2);
    expect(all("SELECT user_id FROM votes WHERE ask_id = ? ORDER BY user_id", votedByBoth.id)).toEqual([
      { user_id: someoneElse },
      { user_id: userId },
    ]);
    expect(voteCount(votedByPlaceholderOnly.id)).toBe(1);
    expect(all("SELECT user_id FROM votes WHERE ask_id = ?", votedByPlaceholderOnly.id)).toEqual([{ user_id: userId }]);
    // The asks the placeholder followed, the account now follows: a status update reaches Raj.
    expect(
      all<{ ask_id: number }>("SELECT ask_id FROM subscriptions WHERE user_id = ? ORDER BY ask_id", userId).map(
        (s) => s.ask_id,
      ),
    ).toEqual([filed.id, votedByBoth.id, votedByPlaceholderOnly.id].sort((a, b) => a - b));
    // A later import of the same source finds Raj's account by the id he had there.
    expect(all("SELECT source_ref FROM users WHERE id = ?", userId)).toEqual([
      { source_ref: expect.stringMatching(/^raj-/) },
    ]);
    expect(
      all<{ action: string; actor_id: number }>(
        "SELECT action, actor_id FROM audit_entries WHERE action = 'user.claim' AND subject_id = ?",
        userId,
      ),
    ).toEqual([
      { action: "user.claim", actor_id: userId },
      { action: "user.claim", actor_id: userId },
    ]);
  });

  it("keeps the legacy votes nobody owns in the count when it merges two votes into one", async () => {
    const email = `omar.${unique()}@dell.example`;
    const omar = placeholder("Omar Said", email);
    const other = await makeUser();
    const ask = makeAsk(other.id, "Show legacy votes on CPOR asks");
    ok(castVote({ askId: ask.id, userId: omar }));
    db().$client.prepare("UPDATE asks SET extra_votes = 4, vote_count = vote_count + 4 WHERE id = ?").run(ask.id);
    const userId = await signUp(email, "Omar Said");
    ok(castVote({ askId: ask.id, userId }));
    expect(voteCount(ask.id)).toBe(6);
    await confirm(email);
    expect(voteCount(ask.id)).toBe(5);
  });

  it("leaves placeholders alone when the confirmed address is not theirs", async () => {
    const lena = placeholder("Lena Fischer", `lena.${unique()}@contoso.example`);
    const email = `not-lena.${unique()}@contoso.example`;
    await signUp(email, "Lena F.");
    const ask = makeAsk(lena);
    await confirm(email);
    expect(exists(lena)).toBe(true);
    expect(getAsk(ask.id)?.author).toBe("Lena Fischer");
  });
});

describe("claiming what an import brought in", () => {
  const dir = mkdtempSync(join(tmpdir(), "asklog-claim-"));
  const importFile = async (doc: ImportDocument) => {
    const path = join(dir, `history-${unique()}.json`);
    writeFileSync(path, JSON.stringify(doc));
    return runImport({ source: await openImportSource(path), actorId: null });
  };

  it("hands the imported ask and comment to the person who signs up with the address, and a second import changes nothing", async () => {
    const email = `kofi.${unique()}@northwindtraders.example`;
    const ref = `cpor-${unique()}`;
    const doc: ImportDocument = {
      format: "asklog",
      version: 1,
      people: [
        { ref: `kofi-${ref}`, name: "Kofi Mensah", organization: "Northwind Traders", email: email.toUpperCase() },
        { ref: `ivan-${ref}`, name: "Ivan Petrov", organization: "Fabrikam" },
      ],
      asks: [
        {
          ref,
          title: "Explain CPOR to customers on one page",
          body: "Customers ask what CPOR means for them.",
          author: `kofi-${ref}`,
          category: "General",
          createdAt: "2021-04-20",
          votes: [`kofi-${ref}`, `ivan-${ref}`],
          comments: [{ ref: "c1", author: `kofi-${ref}`, createdAt: "2021-05-01T10:00:00Z", body: "Still waiting." }],
        },
      ],
    };
    const first = await importFile(doc);
    expect(first.errors).toEqual([]);
    const askId = all<{ id: number }>("SELECT id FROM asks WHERE source_ref = ?", ref)[0]?.id ?? 0;
    expect(getAsk(askId)?.author).toBe("Kofi Mensah");

    const userId = await signUp(email, "Kofi M.");
    expect(getAsk(askId)?.authorId).not.toBe(userId);
    await confirm(email);

    expect(getAsk(askId)?.author).toBe("Kofi M.");
    expect(listComments(askId).map((c) => c.authorId)).toEqual([userId]);
    expect(voteCount(askId)).toBe(2);
    expect(all("SELECT 1 FROM users WHERE claim_email = ?", email)).toEqual([]);

    const again = await importFile(doc);
    expect(again.errors).toEqual([]);
    expect(again.counts.people).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.counts.asks).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(getAsk(askId)?.author).toBe("Kofi M.");
  });
});

describe("an unclaimed placeholder", () => {
  it("cannot sign in, with the same answer as a wrong password, whatever is typed", async () => {
    const ref = `felix-${unique()}`;
    placeholder("Felix Moreau", `felix.${unique()}@contoso.example`, ref);
    const synthetic = `${ref}@placeholder.invalid`;
    expect(await verifyLogin(synthetic, "")).toBeUndefined();
    expect(await verifyLogin(synthetic, "correct horse battery")).toBeUndefined();
    const result = await route(signInPage, "/signin").post({
      email: synthetic,
      password: "correct horse battery",
      redirectTo: "/",
    });
    expect(statusOf(result)).toBe(400);
    expect(replyData<{ errors: { form: string } }>(result).errors.form).toBe(
      "That email and password do not match an account.",
    );
  });

  it("is offered no password reset and receives no mail", async () => {
    const ref = `grace-${unique()}`;
    const claimEmail = `grace.${unique()}@contoso.example`;
    const grace = placeholder("Grace Liu", claimEmail, ref);
    const synthetic = `${ref}@placeholder.invalid`;
    expect(activeUserByEmail(synthetic)).toBeUndefined();
    const reset = await route(forgotPasswordPage, "/forgot-password").post({ email: synthetic });
    expect(locationOf(reset)).toBe("/forgot-password");

    const author = await makeUser();
    const ask = makeAsk(author.id);
    // A follower with a confirmed address hears of it; the placeholder following alongside does not.
    const follower = await makeUser();
    follow({ askId: ask.id, userId: follower.id });
    follow({ askId: ask.id, userId: grace });
    recordStatusEvent(ask.id, author.id);
    await mailbox.deliver();
    expect(mailbox.to(follower.email)).toHaveLength(1);
    expect(mailbox.to(synthetic)).toEqual([]);
    expect(mailbox.to(claimEmail)).toEqual([]);
    expect(all("SELECT 1 FROM outbox WHERE user_id = ?", grace)).toEqual([]);
  });

  it("is listed for admins as imported, not claimed, and found by the address the source gave", () => {
    const claimEmail = `hannah.${unique()}@fabrikam.example`;
    const hannah = placeholder("Hannah Okafor", claimEmail);
    const found = listUsersForAdmin({ q: claimEmail, page: 1 }).users;
    expect(found.map((u) => [u.id, u.email])).toEqual([[hannah, null]]);
    expect(listUsersForAdmin({ q: "placeholder.invalid", page: 1 }).users).toEqual([]);
  });
});
