import { notificationKinds } from "~/domain";
import { z } from "~/validation/zod";

// What a signed unsubscribe link names: the person and what to stop (one ask, one kind, all mail).
export const unsubscribeClaimSchema = z.object({
  userId: z.number().int().positive(),
  scope: z.union([
    z.object({ askId: z.number().int().positive() }),
    z.object({ kind: z.enum(notificationKinds) }),
    z.object({ all: z.literal(true) }),
  ]),
});
