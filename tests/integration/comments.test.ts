import { afterEach, describe, expect, it, vi } from "vitest";
import { getAsk } from "~/models/ask.server";
import { addComment, deleteComment, forgetExpiredDeletions, undoDeleteMs } from "~/models/comment.server";
import * as askPage from "~/routes/asks.$ask";
import type { FormReply } from "~/validation/intent";
import { db } from "../../db/client";
import { loaded, locationOf, makeAsk, makeUser, ok, replyData, route, signedIn, statusOf } from "./helpers";

async function thread() {
  const author = await makeUser();
  const ask = makeAsk(author.id);
  const path = `/asks/${ask.id}-${ask.slug}`;
  return { ask, path, page: route(askPage, path, { ask: `${ask.id}-${ask.slug}` }) };
}

function storedComment(id: number) {
  return db()
    .$client.prepare("SELECT body, edited_at AS editedAt, deleted_at AS deletedAt FROM comments WHERE id = ?")
    .get(id) as { body: string; editedAt: string | null; deletedAt: string | null };
}

// Moves a deletion back in time, past the window in which it can be undone.
function ageDeletion(id: number, ms = undoDeleteMs + 1000) {
  const { deletedAt } = storedComment(id);
  const earlier = new Date(Date.parse(deletedAt ?? "") - ms).toISOString();
  db().$client.prepare("UPDATE comments SET deleted_at = ? WHERE id = ?").run(earlier, id);
}

describe("adding a comment", () => {
  it("redirects to the new comment, counts it and shows it rendered and sanitized", async () => {
    const { ask, path, page } = await thread();
    const { user, cookie } = await signedIn();

    const body = "I agree, **strongly**.\n\n<script>alert('xss')</script>\n\n[docs](javascript:alert(1))";
    const result = await page.post({ intent: "comment", body }, cookie);
    expect(statusOf(result)).toBe(302);
    const location = locationOf(result) ?? "";
    expect(location).toMatch(new RegExp(`^${path}#comment-\\d+$`));
    expect(getAsk(ask.id)?.commentCount).toBe(1);

    const data = await loaded(page.load(cookie));
    expect(data.ask.commentCount).toBe(1);
    expect(data.comments).toHaveLength(1);
    const [comment] = data.comments;
    expect(`#comment-${comment?.id}`).toBe(location.slice(path.length));
    expect(comment).toMatchObject({ author: user.displayName, organization: "Contoso", mine: true, deleted: false });
    expect(comment?.bodyHtml).toContain("<strong>strongly</strong>");
    expect(comment?.bodyHtml).not.toMatch(/<script/i);
    expect(comment?.bodyHtml).not.toMatch(/href="javascript:/i);
    expect(comment?.bodyHtml).toContain("&lt;script&gt;");

    expect((await loaded(page.load())).comments[0]?.mine).toBe(false);
  });

  it("refuses an empty comment with 400 and a message, keeping what was typed", async () => {
    const { ask, page } = await thread();
    const { cookie } = await signedIn();

    const blank = await page.post({ intent: "comment", body: "  \n  " }, cookie);
    expect(statusOf(blank)).toBe(400);
    const reply = replyData<FormReply>(blank);
    expect(reply.errors.body).toBe("Write a comment before posting.");
    expect(reply.values.body).toBe("  \n  ");

    const long = "A long thought. ".repeat(320);
    const tooLong = await page.post({ intent: "comment", body: long }, cookie);
    expect(statusOf(tooLong)).toBe(400);
    expect(replyData<FormReply>(tooLong).errors.body).toBe("Comment must be at most 5,000 characters.");
    expect(replyData<FormReply>(tooLong).values.body).toBe(long);

    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });

  it("sends a signed-out visitor to sign in and writes nothing", async () => {
    const { ask, path, page } = await thread();
    const result = await page.post({ intent: "comment", body: "Hello" });
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`/signin?redirectTo=${encodeURIComponent(path)}`);
    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });
});

describe("editing and deleting a comment", () => {
  async function withComment() {
    const t = await thread();
    const owner = await signedIn();
    const other = await signedIn();
    const commentId = ok(addComment({ askId: t.ask.id, body: "First version", authorId: owner.user.id })).id;
    return { ...t, owner, other, commentId };
  }

  it("lets the author edit their comment, which shows as edited", async () => {
    const { path, page, owner, commentId } = await withComment();
    expect((await loaded(page.load())).comments[0]?.editedAt).toBeNull();

    const result = await page.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Second _version_" },
      owner.cookie,
    );
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${path}#comment-${commentId}`);

    // The author gets the markdown source back for the edit form; other readers only the HTML.
    const [comment] = (await loaded(page.load(owner.cookie))).comments;
    expect(comment?.body).toBe("Second _version_");
    expect((await loaded(page.load())).comments[0]).toMatchObject({
      body: "",
      bodyHtml: "<p>Second <em>version</em></p>\n",
    });
    expect(comment?.bodyHtml).toBe("<p>Second <em>version</em></p>\n");
    expect(comment?.editedAt).not.toBeNull();
  });

  it("refuses an empty edit with 400, keeping the typed text, which comment it was, and the old comment", async () => {
    const { page, owner, commentId } = await withComment();
    const result = await page.post({ intent: "edit-comment", commentId: String(commentId), body: " " }, owner.cookie);
    expect(statusOf(result)).toBe(400);
    expect(replyData<FormReply>(result)).toEqual({
      intent: "edit-comment",
      errors: { body: "Write a comment before posting." },
      values: { intent: "edit-comment", commentId: String(commentId), body: " " },
    });
    expect((await loaded(page.load(owner.cookie))).comments[0]).toMatchObject({
      body: "First version",
      editedAt: null,
    });
  });

  it("answers 404 when someone else edits or deletes it, and changes nothing", async () => {
    const { ask, page, other, commentId } = await withComment();
    const before = storedComment(commentId);

    const edit = await page.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Hijacked" },
      other.cookie,
    );
    expect(statusOf(edit)).toBe(404);
    const remove = await page.post({ intent: "delete-comment", commentId: String(commentId) }, other.cookie);
    expect(statusOf(remove)).toBe(404);

    expect(storedComment(commentId)).toEqual(before);
    expect(before).toMatchObject({ body: "First version", editedAt: null, deletedAt: null });
    expect(getAsk(ask.id)?.commentCount).toBe(1);
  });

  it("answers 404 when the comment id belongs to another ask", async () => {
    const { owner, commentId } = await withComment();
    const elsewhere = await thread();
    addComment({ askId: elsewhere.ask.id, body: "On the other ask", authorId: owner.user.id });
    const result = await elsewhere.page.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Moved?" },
      owner.cookie,
    );
    expect(statusOf(result)).toBe(404);
    expect(storedComment(commentId).body).toBe("First version");
  });

  it("answers 404 for a missing or nonsense comment id", async () => {
    const { page, owner } = await withComment();
    for (const commentId of ["", "abc", "987654"]) {
      expect(statusOf(await page.post({ intent: "delete-comment", commentId }, owner.cookie)), commentId).toBe(404);
      expect(statusOf(await page.post({ intent: "edit-comment", commentId, body: "x" }, owner.cookie)), commentId).toBe(
        404,
      );
    }
  });

  it("lets the author delete it: shown as deleted with no text, and no longer counted", async () => {
    const { ask, path, page, owner, commentId } = await withComment();
    addComment({ askId: ask.id, body: "A second comment that stays", authorId: owner.user.id });
    expect(getAsk(ask.id)?.commentCount).toBe(2);

    const result = await page.post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${path}?deleted=${commentId}#comments`);

    const data = await loaded(page.load(owner.cookie));
    expect(data.ask.commentCount).toBe(1);
    expect(getAsk(ask.id)?.commentCount).toBe(1);
    expect(data.comments).toHaveLength(2);
    expect(data.comments[0]).toMatchObject({ id: commentId, deleted: true, body: "", bodyHtml: "" });
    expect(JSON.stringify(data)).not.toContain("First version");
    // The text is kept only while the deletion can be undone.
    ageDeletion(commentId);
    ok(deleteComment({ commentId: data.comments[1]?.id ?? 0, askId: ask.id, authorId: owner.user.id }));
    expect(storedComment(commentId).body).toBe("");
    expect(data.comments[1]).toMatchObject({ deleted: false, body: "A second comment that stays" });
  });

  it("does not let a deleted comment be edited or deleted again", async () => {
    const { ask, page, owner, commentId } = await withComment();
    await page.post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);

    const edit = await page.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Back again" },
      owner.cookie,
    );
    expect(statusOf(edit)).toBe(404);
    const again = await page.post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(again)).toBe(404);

    expect(storedComment(commentId)).toMatchObject({ body: "First version", editedAt: null });
    expect(storedComment(commentId).deletedAt).not.toBeNull();
    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });
});

describe("undoing a comment's deletion", () => {
  async function deleted() {
    const t = await thread();
    const owner = await signedIn();
    const commentId = ok(addComment({ askId: t.ask.id, body: "Worth keeping", authorId: owner.user.id })).id;
    await t.page.post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);
    return { ...t, owner, commentId };
  }

  it("offers Undo on the next page and restores the comment, text and count, within 10 seconds", async () => {
    const { ask, path, page, owner, commentId } = await deleted();
    expect((await loaded(page.load(owner.cookie))).undoDelete).toBeNull();
    const withUndo = route(askPage, `${path}?deleted=${commentId}`, { ask: `${ask.id}-${ask.slug}` });
    expect((await loaded(withUndo.load(owner.cookie))).undoDelete).toEqual({ commentId });

    const result = await page.post({ intent: "restore-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${path}#comment-${commentId}`);
    const data = await loaded(page.load(owner.cookie));
    expect(data.comments[0]).toMatchObject({ id: commentId, deleted: false, body: "Worth keeping" });
    expect(getAsk(ask.id)?.commentCount).toBe(1);
    expect(storedComment(commentId).deletedAt).toBeNull();
  });

  it("refuses after 10 seconds, says so, and no longer offers Undo", async () => {
    const { ask, path, page, owner, commentId } = await deleted();
    ageDeletion(commentId);
    const withUndo = route(askPage, `${path}?deleted=${commentId}`, { ask: `${ask.id}-${ask.slug}` });
    expect((await loaded(withUndo.load(owner.cookie))).undoDelete).toBeNull();

    const result = await page.post({ intent: "restore-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(result)).toBe(409);
    expect(replyData<FormReply>(result).errors.form).toBe(
      "Too late to undo: the comment was deleted more than 10 seconds ago.",
    );
    expect(storedComment(commentId)).toMatchObject({ body: "" });
    expect(storedComment(commentId).deletedAt).not.toBeNull();
    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });

  it("answers 404 to anyone but the author, and restores nothing", async () => {
    const { ask, path, page, commentId } = await deleted();
    const other = await signedIn();
    const withUndo = route(askPage, `${path}?deleted=${commentId}`, { ask: `${ask.id}-${ask.slug}` });
    expect((await loaded(withUndo.load(other.cookie))).undoDelete).toBeNull();
    const result = await page.post({ intent: "restore-comment", commentId: String(commentId) }, other.cookie);
    expect(statusOf(result)).toBe(404);
    expect(storedComment(commentId).deletedAt).not.toBeNull();
    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });
});

describe("forgetting a deleted comment's text", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps the text while the deletion can be undone, and forgets it once the window has passed", async () => {
    const { ask, page } = await thread();
    const owner = await signedIn();
    const commentId = ok(addComment({ askId: ask.id, body: "Text that must go", authorId: owner.user.id })).id;
    // The clock and the timers move only when the test says so; nothing else writes in between.
    vi.useFakeTimers({ toFake: ["setTimeout", "Date"] });
    await page.post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);

    vi.advanceTimersByTime(undoDeleteMs - 1000);
    expect(storedComment(commentId).body).toBe("Text that must go");
    vi.advanceTimersByTime(1000);
    expect(storedComment(commentId).body).toBe("Text that must go");
    vi.advanceTimersByTime(1000);
    expect(storedComment(commentId).body).toBe("");
    expect(storedComment(commentId).deletedAt).not.toBeNull();
  });

  it("sweeps every deletion older than the window as of the time given, and no other", async () => {
    const { ask } = await thread();
    const owner = await signedIn();
    const add = (body: string) => ok(addComment({ askId: ask.id, body, authorId: owner.user.id })).id;
    const [old, recent, kept] = [add("Deleted long ago"), add("Deleted just now"), add("Never deleted")];
    for (const commentId of [old, recent]) ok(deleteComment({ commentId, askId: ask.id, authorId: owner.user.id }));
    ageDeletion(old);

    const now = new Date(Date.parse(storedComment(recent).deletedAt ?? "") + undoDeleteMs);
    expect(forgetExpiredDeletions({ now }).forgotten).toBe(1);
    expect(storedComment(old).body).toBe("");
    expect(storedComment(recent).body).toBe("Deleted just now");
    expect(storedComment(kept).body).toBe("Never deleted");

    const later = new Date(now.getTime() + 1);
    expect(forgetExpiredDeletions({ now: later }).forgotten).toBe(1);
    expect(storedComment(recent).body).toBe("");
    expect(storedComment(kept).body).toBe("Never deleted");
  });
});
