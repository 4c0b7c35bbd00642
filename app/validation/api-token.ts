import { tokenScopes } from "~/domain";
import { z } from "~/validation/zod";
import { tokenExpiries, tokenNameMax } from "./api-token-rules";
import { idField } from "./schema-fields";

// A form sends each ticked scope as its own field ("scope.read=on").
export const tokenCreateSchema = z
  .object({
    name: z
      .string({ error: "Name the token after where it is used." })
      .trim()
      .min(1, "Name the token after where it is used.")
      .max(tokenNameMax, `The name must be at most ${tokenNameMax} characters.`),
    expiry: z.enum(tokenExpiries, { error: "Choose how long the token lasts." }),
    "scope.read": z.literal("on").optional(),
    "scope.write": z.literal("on").optional(),
    "scope.team": z.literal("on").optional(),
  })
  .transform(({ name, expiry, ...ticked }) => ({
    name,
    expiresInDays: expiry === "never" ? null : Number(expiry),
    scopes: tokenScopes.filter((scope) => ticked[`scope.${scope}`] === "on"),
  }))
  .refine((token) => token.scopes.length > 0, { message: "Choose at least one scope.", path: ["scope.read"] });

export const tokenRowSchema = z.object({ tokenId: idField });
