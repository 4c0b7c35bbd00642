// What the admin forms and their schemas (admin.ts, organization.ts) share. Plain values, so
// the forms can show them without the browser loading zod.
export const nameMax = 60;
export const organizationMax = 80;
// An organization's page address (/orgs/dell-technologies).
export const slugMax = 60;
