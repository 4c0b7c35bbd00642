import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { asks, comments, organizations, users } from "../../db/schema";

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

export type CommentView = {
  id: number;
  authorId: number;
  author: string;
  organization: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
};

export function listComments(askId: number): CommentView[] {
  return db()
    .select({
      id: comments.id,
      authorId: comments.authorId,
      author: users.displayName,
      organization: organizations.name,
      body: comments.body,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      deletedAt: comments.deletedAt,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(comments.askId, askId))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .all()
    .map(({ deletedAt, ...c }) => ({ ...c, body: deletedAt ? "" : c.body, deleted: deletedAt !== null }));
}

// The count shows comments people can read, so deleted ones are not counted.
function recount(tx: Tx, askId: number, touch: boolean): void {
  tx.update(asks)
    .set({
      commentCount: sql`(SELECT count(*) FROM ${comments} WHERE ${comments.askId} = ${askId} AND ${comments.deletedAt} IS NULL)`,
      ...(touch ? { updatedAt: new Date().toISOString() } : {}),
    })
    .where(eq(asks.id, askId))
    .run();
}

export function addComment(askId: number, authorId: number, body: string): number | undefined {
  return db().transaction(
    (tx) => {
      if (!tx.select({ id: asks.id }).from(asks).where(eq(asks.id, askId)).all().length) return undefined;
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
