import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { asks, comments, organizations, teams, users } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { autoFollow, recordEvent } from "./event.server";
import { type Done, done, type Result, refused } from "./result";

export type CommentView = {
  id: number;
  authorId: number;
  author: string;
  // Linked to the person's page unless they hid it; the organization to its page.
  authorProfileHidden: boolean;
  organization: string | null;
  organizationSlug: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  // When it was deleted: its author may undo that for undoDeleteMs.
  deletedAt: string | null;
  isOfficial: boolean;
  team: string | null;
  hiddenAt: string | null;
  hiddenReason: string | null;
  byTeam: boolean;
  authorBlocked: boolean;
};

const commentsQuery = preparedQuery((database) =>
  database
    .select({
      id: comments.id,
      authorId: comments.authorId,
      author: users.displayName,
      authorProfileHidden: users.profileHidden,
      organization: organizations.name,
      organizationSlug: organizations.slug,
      body: comments.body,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      deletedAt: comments.deletedAt,
      isOfficial: comments.isOfficial,
      team: teams.name,
      hiddenAt: comments.hiddenAt,
      hiddenReason: comments.hiddenReason,
      byTeam: sql<boolean>`${users.role} <> 'member'`.mapWith(Boolean),
      authorBlocked: sql<boolean>`${users.blockedAt} IS NOT NULL`.mapWith(Boolean),
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(comments.askId, sql.placeholder("askId")))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .prepare(),
);

// Every comment of the ask as stored, deleted ones without their text; hidden ones
// still carry theirs (see listCommentsFor for what a reader may see).
export function listComments(askId: number): CommentView[] {
  return commentsQuery()
    .all({ askId })
    .map((c) => ({ ...c, body: c.deletedAt ? "" : c.body, deleted: c.deletedAt !== null }));
}

export type CommentReader = { userId: number | undefined; seesHidden: boolean };

export type ReaderComment = Omit<CommentView, "body"> & {
  // What this reader may read, as markdown: empty when the comment is deleted or hidden from them.
  text: string;
  // The markdown source, for the edit form: only its author gets it.
  body: string;
  mine: boolean;
};

// The thread as one reader may see it: hidden comments keep their place but lose
// their text for those who do not moderate, and only the author gets the source back.
export function listCommentsFor(askId: number, reader: CommentReader): ReaderComment[] {
  return listComments(askId).map((c) => {
    const mine = c.authorId === reader.userId;
    const text = c.deleted || (c.hiddenAt && !reader.seesHidden) ? "" : c.body;
    return { ...c, text, body: mine ? text : "", mine };
  });
}

// The count shows comments everyone can read: deleted and hidden ones are not counted.
function recount(tx: Tx, askId: number, touch: boolean): void {
  tx.update(asks)
    .set({
      commentCount: sql`(SELECT count(*) FROM ${comments} WHERE ${comments.askId} = ${askId}
        AND ${comments.deletedAt} IS NULL AND ${comments.hiddenAt} IS NULL)`,
      ...(touch ? { updatedAt: new Date().toISOString() } : {}),
    })
    .where(eq(asks.id, askId))
    .run();
}

export type NewComment = Result<"not-found" | "locked", { id: number }>;

// Locked threads take no new comments, except from those who moderate them
// (a team may still answer on a locked ask).
export type CommentPosting = { askId: number; body: string; bypassLock?: boolean; authorId: number };

export function addComment({ askId, body, bypassLock = false, authorId }: CommentPosting): NewComment {
  return db().transaction(
    (tx): NewComment => {
      const ask = tx.select({ lockedAt: asks.commentsLockedAt }).from(asks).where(eq(asks.id, askId)).get();
      if (!ask) return refused("not-found");
      if (ask.lockedAt && !bypassLock) return refused("locked");
      // An insert with RETURNING always gives back the row it wrote.
      const { id } = tx.insert(comments).values({ askId, authorId, body }).returning({ id: comments.id }).get()!;
      recount(tx, askId, true);
      autoFollow(tx, { askId, userId: authorId, reason: "commented" });
      recordEvent(tx, { kind: "comment", askId, actorId: authorId, data: { commentId: id, body } });
      return done({ id });
    },
    { behavior: "immediate" },
  );
}

type OwnComment = { commentId: number; askId: number; authorId: number };

// Edits and deletes match on the author as well as the id: another user's
// comment is simply not found, whatever id a crafted form sends.
function ownComment({ commentId, askId, authorId }: OwnComment) {
  return and(
    eq(comments.id, commentId),
    eq(comments.askId, askId),
    eq(comments.authorId, authorId),
    isNull(comments.deletedAt),
  );
}

export function editComment({ commentId, askId, body, authorId }: OwnComment & { body: string }): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const { changes } = tx
        .update(comments)
        .set({ body, editedAt: new Date().toISOString() })
        .where(ownComment({ commentId, askId, authorId }))
        .run();
      return changes === 1 ? done() : refused("not-found");
    },
    { behavior: "immediate" },
  );
}

// How long the author may take a deletion back.
export const undoDeleteMs = 10_000;

// The text of a deleted comment is kept only while its deletion can be undone. Each
// delete and restore forgets the text of deletions older than that, and each delete
// also asks for a sweep once its own window has closed, so the text goes even when no
// one deletes anything afterwards (a restart in between leaves it to the next delete).
function forgetExpired(tx: Tx, now: Date): number {
  const cutoff = new Date(now.getTime() - undoDeleteMs).toISOString();
  return tx.run(
    sql`UPDATE ${comments} SET body = '' WHERE ${comments.deletedAt} < ${cutoff} AND ${comments.body} <> ''`,
  ).changes;
}

export function forgetExpiredDeletions({ now = new Date() }: { now?: Date } = {}): Done<{ forgotten: number }> {
  return db().transaction((tx) => done({ forgotten: forgetExpired(tx, now) }), { behavior: "immediate" });
}

// A second's margin: the sweep must find the deletion past its window, not on its edge.
const sweepDelayMs = undoDeleteMs + 1_000;

function forgetOnceUndoEnds(): void {
  setTimeout(() => {
    try {
      forgetExpiredDeletions();
    } catch (error) {
      // Nothing waits on this sweep, and the next delete or restore repeats it.
      console.error("Forgetting the text of deleted comments failed:", error);
    }
  }, sweepDelayMs).unref();
}

// Soft delete: the thread keeps its shape ("comment deleted"); nobody reads the text
// again, and it is forgotten once the undo window has passed.
export function deleteComment(own: OwnComment): Result<"not-found"> {
  const result = db().transaction(
    (tx): Result<"not-found"> => {
      const now = new Date();
      forgetExpired(tx, now);
      const { changes } = tx.update(comments).set({ deletedAt: now.toISOString() }).where(ownComment(own)).run();
      if (changes !== 1) return refused("not-found");
      recount(tx, own.askId, false);
      return done();
    },
    { behavior: "immediate" },
  );
  if (result.ok) forgetOnceUndoEnds();
  return result;
}

export type CommentRestore = Result<"not-found" | "too-late">;

// Undoes the author's own deletion within undoDeleteMs of it.
export function restoreComment({ commentId, askId, userId }: { commentId: number; askId: number; userId: number }) {
  return db().transaction(
    (tx): CommentRestore => {
      const now = new Date();
      forgetExpired(tx, now);
      const row = tx
        .select({ deletedAt: comments.deletedAt })
        .from(comments)
        .where(and(eq(comments.id, commentId), eq(comments.askId, askId), eq(comments.authorId, userId)))
        .get();
      if (!row?.deletedAt) return refused("not-found");
      if (now.getTime() - Date.parse(row.deletedAt) > undoDeleteMs) return refused("too-late");
      tx.update(comments).set({ deletedAt: null }).where(eq(comments.id, commentId)).run();
      recount(tx, askId, false);
      return done();
    },
    { behavior: "immediate" },
  );
}

function findComment(tx: Tx, commentId: number, askId: number) {
  return tx
    .select({
      id: comments.id,
      body: comments.body,
      isOfficial: comments.isOfficial,
      hiddenAt: comments.hiddenAt,
      hiddenReason: comments.hiddenReason,
      authorRole: users.role,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.id, commentId), eq(comments.askId, askId), isNull(comments.deletedAt)))
    .get();
}

// Hidden comments vanish for partners and visitors; moderators still see them, with
// the reason. A null reason unhides it.
export type CommentHiding = { commentId: number; askId: number; reason: string | null; actorId: number };

export function setCommentHidden({ commentId, askId, reason, actorId }: CommentHiding): Result<"not-found"> {
  return db().transaction(
    (tx): Result<"not-found"> => {
      const found = findComment(tx, commentId, askId);
      if (!found) return refused("not-found");
      const before = { hiddenAt: found.hiddenAt, hiddenReason: found.hiddenReason };
      const after = { hiddenAt: reason === null ? null : new Date().toISOString(), hiddenReason: reason };
      tx.update(comments).set(after).where(eq(comments.id, commentId)).run();
      recount(tx, askId, false);
      const action = reason === null ? "comment.unhide" : "comment.hide";
      recordAudit(tx, { actorId, action, subjectType: "comment", subjectId: commentId, before, after });
      return done();
    },
    { behavior: "immediate" },
  );
}

export type OfficialChange = Result<"not-found" | "not-team-comment">;

// Only a team member's (or admin's) comment can speak for the program.
export type OfficialMarking = { commentId: number; askId: number; official: boolean; actorId: number };

export function setOfficialResponse({ commentId, askId, official, actorId }: OfficialMarking): OfficialChange {
  return db().transaction(
    (tx): OfficialChange => {
      const found = findComment(tx, commentId, askId);
      if (!found) return refused("not-found");
      if (official && found.authorRole === "member") return refused("not-team-comment");
      const after = { isOfficial: official };
      tx.update(comments).set(after).where(eq(comments.id, commentId)).run();
      const action = official ? "comment.official" : "comment.unofficial";
      const before = { isOfficial: found.isOfficial };
      recordAudit(tx, { actorId, action, subjectType: "comment", subjectId: commentId, before, after });
      // Followers hear when a comment becomes the program's answer, not when it stops being one.
      if (official && !found.isOfficial) {
        recordEvent(tx, { kind: "official_response", askId, actorId, data: { commentId, body: found.body } });
      }
      return done();
    },
    { behavior: "immediate" },
  );
}
