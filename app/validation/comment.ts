import { z } from "zod";

export const commentBodyMax = 5_000;

export const commentSchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, "Write a comment before posting.")
    .max(commentBodyMax, `Comment must be at most ${commentBodyMax.toLocaleString("en")} characters.`),
});
