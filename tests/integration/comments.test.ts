import { describe, expect, it } from "vitest";
import { getAsk } from "~/models/ask.server";
import { addComment } from "~/models/comment.server";
import type { User } from "~/models/user.server";
import { action, loader } from "~/routes/asks.$ask";
import { db } from "../../db/client";
import {
  args,
  cookieFor,
  formRequest,
  getRequest,
  locationOf,
  makeAsk,
  makeUser,
  replyData,
  run,
  statusOf,
} from "./helpers";

type AskPageData = Awaited<ReturnType<typeof loader>>;
type CommentReply = { commentErrors?: { body?: string }; commentValues?: { body?: string }; commentId?: number };

async function thread() {
  const author = await makeUser();
  const ask = makeAsk(author.id);
  const param = `${ask.id}-${ask.slug}`;
  const path = `/asks/${param}`;
  const post = (fields: Record<string, string>, cookie?: string) =>
    run(action, args(formRequest(path, fields, cookie), { ask: param }));
  const page = async (cookie?: string) =>
    replyData<AskPageData>(await run(loader, args(getRequest(path, cookie), { ask: param })));
  return { ask, path, post, page };
}

async function signedIn(): Promise<{ user: User; cookie: string }> {
  const user = await makeUser();
  return { user, cookie: await cookieFor(user) };
}

function storedComment(id: number) {
  return db()
    .$client.prepare("SELECT body, edited_at AS editedAt, deleted_at AS deletedAt FROM comments WHERE id = ?")
    .get(id) as { body: string; editedAt: string | null; deletedAt: string | null };
}

describe("adding a comment", () => {
  it("redirects to the new comment, counts it and shows it rendered and sanitized", async () => {
    const { ask, path, post, page } = await thread();
    const { user, cookie } = await signedIn();

    const body = "I agree, **strongly**.\n\n<script>alert('xss')</script>\n\n[docs](javascript:alert(1))";
    const result = await post({ intent: "comment", body }, cookie);
    expect(statusOf(result)).toBe(302);
    const location = locationOf(result) ?? "";
    expect(location).toMatch(new RegExp(`^${path}#comment-\\d+$`));
    expect(getAsk(ask.id)?.commentCount).toBe(1);

    const data = await page(cookie);
    expect(data.ask.commentCount).toBe(1);
    expect(data.comments).toHaveLength(1);
    const [comment] = data.comments;
    expect(`#comment-${comment.id}`).toBe(location.slice(path.length));
    expect(comment).toMatchObject({ author: user.displayName, organization: "Contoso", mine: true, deleted: false });
    expect(comment.bodyHtml).toContain("<strong>strongly</strong>");
    expect(comment.bodyHtml).not.toMatch(/<script/i);
    expect(comment.bodyHtml).not.toMatch(/href="javascript:/i);
    expect(comment.bodyHtml).toContain("&lt;script&gt;");

    expect((await page()).comments[0].mine).toBe(false);
  });

  it("refuses an empty comment with 400 and a message, keeping what was typed", async () => {
    const { ask, post } = await thread();
    const { cookie } = await signedIn();

    const blank = await post({ intent: "comment", body: "  \n  " }, cookie);
    expect(statusOf(blank)).toBe(400);
    const reply = replyData<CommentReply>(blank);
    expect(reply.commentErrors?.body).toBe("Write a comment before posting.");
    expect(reply.commentValues?.body).toBe("  \n  ");

    const long = "A long thought. ".repeat(320);
    const tooLong = await post({ intent: "comment", body: long }, cookie);
    expect(statusOf(tooLong)).toBe(400);
    expect(replyData<CommentReply>(tooLong).commentErrors?.body).toBe("Comment must be at most 5,000 characters.");
    expect(replyData<CommentReply>(tooLong).commentValues?.body).toBe(long);

    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });

  it("sends a signed-out visitor to sign in and writes nothing", async () => {
    const { ask, path, post } = await thread();
    const result = await post({ intent: "comment", body: "Hello" });
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
    await t.post({ intent: "comment", body: "First version" }, owner.cookie);
    const commentId = (await t.page()).comments[0].id;
    return { ...t, owner, other, commentId };
  }

  it("lets the author edit their comment, which shows as edited", async () => {
    const { path, post, page, owner, commentId } = await withComment();
    expect((await page()).comments[0].editedAt).toBeNull();

    const result = await post(
      { intent: "edit-comment", commentId: String(commentId), body: "Second _version_" },
      owner.cookie,
    );
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${path}#comment-${commentId}`);

    // The author gets the markdown source back for the edit form; other readers only the HTML.
    const [comment] = (await page(owner.cookie)).comments;
    expect(comment.body).toBe("Second _version_");
    expect((await page()).comments[0]).toMatchObject({ body: "", bodyHtml: "<p>Second <em>version</em></p>\n" });
    expect(comment.bodyHtml).toBe("<p>Second <em>version</em></p>\n");
    expect(comment.editedAt).not.toBeNull();
  });

  it("refuses an empty edit with 400, keeping the typed text and the old comment", async () => {
    const { post, page, owner, commentId } = await withComment();
    const result = await post({ intent: "edit-comment", commentId: String(commentId), body: " " }, owner.cookie);
    expect(statusOf(result)).toBe(400);
    expect(replyData<CommentReply>(result)).toEqual({
      commentErrors: { body: "Write a comment before posting." },
      commentValues: { body: " " },
      commentId,
    });
    expect((await page(owner.cookie)).comments[0]).toMatchObject({ body: "First version", editedAt: null });
  });

  it("answers 404 when someone else edits or deletes it, and changes nothing", async () => {
    const { ask, post, other, commentId } = await withComment();
    const before = storedComment(commentId);

    const edit = await post({ intent: "edit-comment", commentId: String(commentId), body: "Hijacked" }, other.cookie);
    expect(statusOf(edit)).toBe(404);
    const remove = await post({ intent: "delete-comment", commentId: String(commentId) }, other.cookie);
    expect(statusOf(remove)).toBe(404);

    expect(storedComment(commentId)).toEqual(before);
    expect(before).toMatchObject({ body: "First version", editedAt: null, deletedAt: null });
    expect(getAsk(ask.id)?.commentCount).toBe(1);
  });

  it("answers 404 when the comment id belongs to another ask", async () => {
    const { owner, commentId } = await withComment();
    const elsewhere = await thread();
    addComment(elsewhere.ask.id, owner.user.id, "On the other ask");
    const result = await elsewhere.post(
      { intent: "edit-comment", commentId: String(commentId), body: "Moved?" },
      owner.cookie,
    );
    expect(statusOf(result)).toBe(404);
    expect(storedComment(commentId).body).toBe("First version");
  });

  it("answers 404 for a missing or nonsense comment id", async () => {
    const { post, owner } = await withComment();
    for (const commentId of ["", "abc", "987654"]) {
      expect(statusOf(await post({ intent: "delete-comment", commentId }, owner.cookie)), commentId).toBe(404);
      expect(statusOf(await post({ intent: "edit-comment", commentId, body: "x" }, owner.cookie)), commentId).toBe(404);
    }
  });

  it("lets the author delete it: shown as deleted with no text, and no longer counted", async () => {
    const { ask, path, post, page, owner, commentId } = await withComment();
    await post({ intent: "comment", body: "A second comment that stays" }, owner.cookie);
    expect(getAsk(ask.id)?.commentCount).toBe(2);

    const result = await post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toBe(`${path}#comments`);

    const data = await page(owner.cookie);
    expect(data.ask.commentCount).toBe(1);
    expect(getAsk(ask.id)?.commentCount).toBe(1);
    expect(data.comments).toHaveLength(2);
    expect(data.comments[0]).toMatchObject({ id: commentId, deleted: true, body: "", bodyHtml: "" });
    expect(JSON.stringify(data)).not.toContain("First version");
    expect(storedComment(commentId).body).toBe("");
    expect(data.comments[1]).toMatchObject({ deleted: false, body: "A second comment that stays" });
  });

  it("does not let a deleted comment be edited or deleted again", async () => {
    const { ask, post, owner, commentId } = await withComment();
    await post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);

    const edit = await post({ intent: "edit-comment", commentId: String(commentId), body: "Back again" }, owner.cookie);
    expect(statusOf(edit)).toBe(404);
    const again = await post({ intent: "delete-comment", commentId: String(commentId) }, owner.cookie);
    expect(statusOf(again)).toBe(404);

    expect(storedComment(commentId)).toMatchObject({ body: "", editedAt: null });
    expect(storedComment(commentId).deletedAt).not.toBeNull();
    expect(getAsk(ask.id)?.commentCount).toBe(0);
  });
});
