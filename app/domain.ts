// The fixed vocabulary of Asklog, defined once. Browser code imports it too, so it
// holds plain values only (no database, no server modules).

export const roles = ["member", "team", "admin"] as const;
export type Role = (typeof roles)[number];
export const roleLabels: Record<Role, string> = {
  member: "Partner",
  team: "Team member",
  admin: "Admin",
};

// The code looks these statuses up by slug, so their slugs never change and they
// cannot be deleted; admins may still rename and recolor them.
export const builtInStatusSlugs = [
  "open",
  "under-review",
  "planned",
  "in-progress",
  "completed",
  "declined",
  "duplicate",
] as const;
export type BuiltInStatusSlug = (typeof builtInStatusSlugs)[number];

export function isBuiltInStatus(slug: string): slug is BuiltInStatusSlug {
  return (builtInStatusSlugs as readonly string[]).includes(slug);
}

// Links on an ask that is done are how it was resolved; on one still open they are related
// reading, and nothing may say "resolved".
export function isResolved(status: { slug: string; isClosed: boolean }): boolean {
  return status.isClosed || status.slug === "completed";
}

// Where the public roadmap shows asks in a status.
export const roadmapColumns = ["planned", "in-progress", "completed"] as const;
export type RoadmapColumn = (typeof roadmapColumns)[number];
export const roadmapColumnLabels: Record<RoadmapColumn, string> = {
  planned: "Planned",
  "in-progress": "In progress",
  completed: "Recently completed",
};

// What an audit entry can be about.
export const auditSubjectTypes = ["ask", "comment", "status_update", "user", "team", "category", "status"] as const;
export type AuditSubjectType = (typeof auditSubjectTypes)[number];
