// What the comment forms and their schemas (comment.ts) share. Plain values, so the forms can
// show them without the browser loading zod.
export const commentBodyMax = 5_000;
export const moderationReasonMax = 200;
