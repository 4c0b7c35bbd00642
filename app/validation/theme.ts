import { z } from "~/validation/zod";
import { redirectField } from "./schema-fields";
import { themes } from "./theme-rules";

export const themeFormSchema = z.object({
  theme: z.enum(themes, { error: "Choose System, Light or Dark." }),
  // The page to go back to: a path on this site, or home.
  redirectTo: redirectField,
});
