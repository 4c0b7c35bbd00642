import { z } from "~/validation/zod";
import { parseId, safeRedirect } from "./fields";

// Fields that many form schemas share, built on the parsers of fields.ts.

// An id inside a form schema. Not-an-id becomes 0, which no row has, so the model
// answers "not-found" exactly as it does for an id that was deleted meanwhile. A form that
// leaves the field out finds nothing too, instead of failing to parse.
export const idField = z
  .unknown()
  .optional()
  .transform((raw) => parseId(raw) ?? 0);

// Where the form sends the person next (?redirectTo=), as safeRedirect allows.
export const redirectField = z
  .unknown()
  .optional()
  .transform((to) => safeRedirect(to));
