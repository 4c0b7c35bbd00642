import { parseAskParam } from "~/slug";
import { z } from "~/validation/zod";
import { askBodyMax, askTitleMax, askTitleMin } from "./ask-rules";
import { moderationReason } from "./comment";
import { safeRedirect } from "./fields";
import { idField } from "./schema-fields";

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

// An edit also carries the version of the ask its form was opened on (askVersion), so a save
// over someone else's newer edit is caught.
export const askEditSchema = askSchema.extend({
  version: z.coerce.number({ error: "Reload the page and edit again." }).int().min(0),
});

export const hideAskSchema = z.object({ reason: moderationReason("Say why the ask is hidden.") });

const mergeTargetMissing = "Enter the number of the ask to merge into.";

// The ask to merge into, as a person types it: "42", "#42" or its address's "42-some-title".
export const mergeSchema = z.object({
  targetId: z
    .string({ error: mergeTargetMissing })
    .transform((v) => parseAskParam(v.trim().replace(/^#/, "")))
    .pipe(z.number({ error: mergeTargetMissing })),
});

// A closed target is merged into only once the team member ticks the confirmation.
export const mergeConfirmSchema = mergeSchema.extend({ confirmClosed: z.literal("on").optional() });

// A list's vote button names the list page to come back to; the ask's row there is the anchor.
export const voteSchema = z.object({
  returnTo: z
    .string()
    .optional()
    .transform((to) => (to ? safeRedirect(to.split("#")[0]) : undefined)),
});

export const blockSchema = z.object({ userId: idField });
