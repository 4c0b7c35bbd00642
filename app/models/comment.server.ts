import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, preparedQuery, type Tx } from "../../db/client";
import { asks, comments, organizations, teams, users } from "../../db/schema";
import { recordAudit } from "./audit.server";

export type CommentView = {
  id: number;
  authorId: number;
  author: string;
  organization: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
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
      organization: organizations.name,
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

export function listComments(askId: number): CommentView[] {
  return commentsQuery()
    .all({ askId })
    .map(({ deletedAt, ...c }) => ({ ...c, body: deletedAt ? "" : c.body, deleted: deletedAt !== null }));
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

export class CommentsLockedError extends Error {}

// Locked threads take no new comments, except from those who moderate them
// (a team may still answer on a locked ask).
export function addComment(
  askId: number,
  authorId: number,
  body: string,
  options: { bypassLock?: boolean } = {},
): number | undefined {
  return db().transaction(
    (tx) => {
      const [ask] = tx.select({ lockedAt: asks.commentsLockedAt }).from(asks).where(eq(asks.id, askId)).all();
      if (!ask) return undefined;
      if (ask.lockedAt && !options.bypassLock) throw new CommentsLockedError(String(askId));
      const [row] = tx.insert(comments).values({ askId, authorId, body }).returning({ id: comments.id }).all();
      recount(tx, askId, true);
      return row.id;
    },
    { behavior: "immediate" },
  );
}

// Edits and deletes match on the author as well as the id: another user's
// comment is simply not found, whatever id a crafted form sends.
export function editComment(commentId: number, askId: number, authorId: number, body: string): boolean {
  return db().transaction(
    (tx) =>
      tx
        .update(comments)
        .set({ body, editedAt: new Date().toISOString() })
        .where(
          and(
            eq(comments.id, commentId),
            eq(comments.askId, askId),
            eq(comments.authorId, authorId),
            isNull(comments.deletedAt),
          ),
        )
        .run().changes === 1,
    { behavior: "immediate" },
  );
}

// Soft delete: the thread keeps its shape ("comment deleted") and the text is gone.
export function deleteComment(commentId: number, askId: number, authorId: number): boolean {
  return db().transaction(
    (tx) => {
      const changed =
        tx
          .update(comments)
          .set({ deletedAt: new Date().toISOString(), body: "" })
          .where(
            and(
              eq(comments.id, commentId),
              eq(comments.askId, askId),
              eq(comments.authorId, authorId),
              isNull(comments.deletedAt),
            ),
          )
          .run().changes === 1;
      if (changed) recount(tx, askId, false);
      return changed;
    },
    { behavior: "immediate" },
  );
}

type Moderation = { commentId: number; askId: number; actorId: number };

function findComment(tx: Tx, commentId: number, askId: number) {
  return tx
    .select({
      id: comments.id,
      isOfficial: comments.isOfficial,
      hiddenAt: comments.hiddenAt,
      hiddenReason: comments.hiddenReason,
      authorRole: users.role,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.id, commentId), eq(comments.askId, askId), isNull(comments.deletedAt)))
    .all()[0];
}

// Hidden comments vanish for partners and visitors; moderators still see them, with the reason.
export function setCommentHidden({ commentId, askId, actorId }: Moderation, reason: string | null): boolean {
  return db().transaction(
    (tx) => {
      const before = findComment(tx, commentId, askId);
      if (!before) return false;
      const hiddenAt = reason === null ? null : new Date().toISOString();
      tx.update(comments).set({ hiddenAt, hiddenReason: reason }).where(eq(comments.id, commentId)).run();
      recount(tx, askId, false);
      recordAudit(tx, {
        actorId,
        action: reason === null ? "comment.unhide" : "comment.hide",
        subjectType: "comment",
        subjectId: commentId,
        before: { hiddenAt: before.hiddenAt, hiddenReason: before.hiddenReason },
        after: { hiddenAt, hiddenReason: reason },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

export class NotTeamCommentError extends Error {}

// Only a team member's (or admin's) comment can speak for the program.
export function setOfficialResponse({ commentId, askId, actorId }: Moderation, official: boolean): boolean {
  return db().transaction(
    (tx) => {
      const before = findComment(tx, commentId, askId);
      if (!before) return false;
      if (official && before.authorRole === "member") throw new NotTeamCommentError(String(commentId));
      tx.update(comments).set({ isOfficial: official }).where(eq(comments.id, commentId)).run();
      recordAudit(tx, {
        actorId,
        action: official ? "comment.official" : "comment.unofficial",
        subjectType: "comment",
        subjectId: commentId,
        before: { isOfficial: before.isOfficial },
        after: { isOfficial: official },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}
