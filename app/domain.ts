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
export const auditSubjectTypes = [
  "ask",
  "comment",
  "status_update",
  "user",
  "team",
  "category",
  "status",
  "mail",
  "import",
  "organization",
  "setting",
  "token",
  "webhook",
] as const;
export type AuditSubjectType = (typeof auditSubjectTypes)[number];

// What a person can hear about, and how. A comment is its own kind twice: on an ask one filed
// (on by default) and on an ask one only voted on or follows (off by default).
export const notificationKinds = [
  "status_update",
  "official_response",
  "comment_on_own",
  "comment",
  "merge",
  "edit",
  "new_ask",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export const notificationKindLabels: Record<NotificationKind, string> = {
  status_update: "Status updates",
  official_response: "Official responses",
  comment_on_own: "Comments on asks I filed",
  comment: "Comments on other asks I follow",
  merge: "An ask merged into another",
  edit: "An ask edited by a team",
  new_ask: "New asks in categories and team queues I follow",
};

export const deliveries = ["instant", "daily", "weekly", "off"] as const;
export type Delivery = (typeof deliveries)[number];
export const deliveryLabels: Record<Delivery, string> = {
  instant: "At once",
  daily: "Daily digest",
  weekly: "Weekly digest",
  off: "Off",
};
export const defaultDelivery: Record<NotificationKind, Delivery> = {
  status_update: "instant",
  official_response: "instant",
  comment_on_own: "instant",
  comment: "off",
  merge: "instant",
  edit: "instant",
  new_ask: "daily",
};

// Why someone follows an ask. "followed" is the Follow button; the rest are automatic.
export const followReasons = ["filed", "voted", "commented", "followed"] as const;
export type FollowReason = (typeof followReasons)[number];

// What a topic subscription follows: a category, or a team's queue.
export const topicTypes = ["category", "team"] as const;
export type TopicType = (typeof topicTypes)[number];

// Mail the outbox carries, and its states.
export const mailPurposes = ["notification", "digest", "confirm-email", "reset-password"] as const;
export type MailPurpose = (typeof mailPurposes)[number];
export const outboxStates = ["pending", "sent", "dead"] as const;
export type OutboxState = (typeof outboxStates)[number];

// What a personal API token may do: read as its owner, write as its owner, and the team's
// writes (status updates) for team members.
export const tokenScopes = ["read", "write", "team"] as const;
export type TokenScope = (typeof tokenScopes)[number];

// What a webhook endpoint can hear about.
export const webhookEvents = [
  "ask.created",
  "ask.status_changed",
  "status_update.created",
  "comment.created",
  "ask.merged",
  "vote.changed",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
// A delivery waits (pending), arrived (delivered: a 2xx answer), or was given up (dead).
export const deliveryStates = ["pending", "delivered", "dead"] as const;
export type DeliveryState = (typeof deliveryStates)[number];

// Single-use links sent by mail.
export const userTokenPurposes = ["confirm-email", "reset-password"] as const;
export type UserTokenPurpose = (typeof userTokenPurposes)[number];

// An import run from the admin page: waiting for the worker, running, or ended.
export const importStates = ["queued", "running", "done", "failed"] as const;
export type ImportState = (typeof importStates)[number];
