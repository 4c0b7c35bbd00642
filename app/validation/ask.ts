import { z } from "zod";

export const askTitleMin = 10;
export const askTitleMax = 120;
export const askBodyMax = 10_000;

export const askSchema = z.object({
  title: z
    .string()
    .trim()
    .min(askTitleMin, `Title must be at least ${askTitleMin} characters.`)
    .max(askTitleMax, `Title must be at most ${askTitleMax} characters.`),
  body: z
    .string()
    .trim()
    .min(1, "Describe what you need and why.")
    .max(askBodyMax, `Description must be at most ${askBodyMax.toLocaleString("en")} characters.`),
  categoryId: z.coerce.number({ error: "Choose a category." }).int("Choose a category.").positive("Choose a category."),
});

export type AskInput = z.infer<typeof askSchema>;
