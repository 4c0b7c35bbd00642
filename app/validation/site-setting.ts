import { z } from "~/validation/zod";

// An unticked checkbox sends nothing at all.
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

// The /admin/settings form: one field per setting (models/site-setting.server.ts).
export const siteSettingsSchema = z.object({
  partnersSeeOrganizationVotes: checkbox,
  tokensWithoutExpiry: checkbox,
});
