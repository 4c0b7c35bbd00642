import { z } from "~/validation/zod";
import { commentBodyMax, moderationReasonMax } from "./comment-rules";
import { idField } from "./schema-fields";

const body = z
  .string()
  .trim()
  .min(1, "Write a comment before posting.")
  .max(commentBodyMax, `Comment must be at most ${commentBodyMax.toLocaleString("en")} characters.`);

export const commentSchema = z.object({ body });

export const commentEditSchema = z.object({ commentId: idField, body });

// The forms that act on one comment of the ask (delete, mark official, unhide).
export const commentRowSchema = z.object({ commentId: idField });

// A moderator's reason, shown to partners in place of what was hidden: trimmed,
// and cut to length rather than refused (the field cannot take more).
export function moderationReason(missing: string) {
  return z
    .string({ error: missing })
    .transform((v) => v.trim().slice(0, moderationReasonMax))
    .pipe(z.string().min(1, missing));
}

export const hideCommentSchema = z.object({
  commentId: idField,
  reason: moderationReason("Say why the comment is hidden."),
});
