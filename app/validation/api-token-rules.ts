// What the token form and tokenCreateSchema (api-token.ts) share. Plain values, so the form
// can show them without the browser loading zod.
export const tokenNameMax = 80;
// Days a new token lives; "never" only while the site allows tokens without expiry.
export const tokenExpiries = ["30", "90", "365", "never"] as const;
export type TokenExpiry = (typeof tokenExpiries)[number];
export const tokenExpiryLabels: Record<TokenExpiry, string> = {
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  never: "No expiry",
};
