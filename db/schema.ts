import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import {
  deliveries,
  deliveryStates,
  followReasons,
  importStates,
  mailPurposes,
  notificationKinds,
  outboxStates,
  roadmapColumns,
  roles,
  type tokenScopes,
  topicTypes,
  userTokenPurposes,
  webhookEvents,
} from "../app/domain";

// Timestamps are ISO-8601 UTC strings: sortable, readable in the sqlite3 shell,
// and what SQLite's own date functions understand.
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const organizations = sqliteTable(
  "organizations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull().unique(),
    // The name folded for matching ("dell  technologies" is "Dell Technologies"): one
    // organization per spelling a person might type (models/organization.server.ts).
    nameKey: text("name_key"),
    // The organization's page: /orgs/<slug>.
    slug: text("slug"),
    // Set when an admin merged this organization into another; its page then redirects there,
    // and typing its name joins the other. Undoing the merge clears it.
    mergedIntoId: integer("merged_into_id").references((): AnySQLiteColumn => organizations.id),
    createdAt: text("created_at"),
  },
  (t) => [
    uniqueIndex("organizations_name_key_unique").on(t.nameKey).where(sql`${t.nameKey} IS NOT NULL`),
    uniqueIndex("organizations_slug_unique").on(t.slug).where(sql`${t.slug} IS NOT NULL`),
  ],
);

// A mail domain an organization claims: whoever signs up with an address there joins it.
export const organizationDomains = sqliteTable(
  "organization_domains",
  {
    domain: text("domain").primaryKey(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
  },
  (t) => [index("organization_domains_organization_idx").on(t.organizationId)],
);

// What an organization merge moved, so that undoing it moves exactly that back.
export const organizationMerges = sqliteTable(
  "organization_merges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    fromId: integer("from_id")
      .notNull()
      .references(() => organizations.id),
    intoId: integer("into_id")
      .notNull()
      .references(() => organizations.id),
    // JSON arrays: the people and the domains that moved.
    memberIds: text("member_ids").notNull(),
    domains: text("domains").notNull(),
    mergedById: integer("merged_by_id").references(() => users.id),
    createdAt: text("created_at").notNull().default(now),
    undoneAt: text("undone_at"),
  },
  (t) => [index("organization_merges_from_idx").on(t.fromId), index("organization_merges_into_idx").on(t.intoId)],
);

// Settings admins change while the site runs (models/site-setting.server.ts); the ones
// fixed at start come from the environment (settings.server.ts).
export const siteSettings = sqliteTable("site_settings", {
  name: text("name").primaryKey(),
  // JSON, read through the setting's zod schema.
  value: text("value").notNull(),
  updatedById: integer("updated_by_id").references(() => users.id),
  updatedAt: text("updated_at").notNull().default(now),
});

export const teams = sqliteTable("teams", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
});

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: roles }).notNull().default("member"),
    organizationId: integer("organization_id").references(() => organizations.id),
    teamId: integer("team_id").references(() => teams.id),
    // Disabled: cannot sign in, sessions ended. Blocked: can read and sign in, cannot post.
    disabledAt: text("disabled_at"),
    blockedAt: text("blocked_at"),
    // Mail goes only to a confirmed address; accounts made before confirmation existed count as confirmed.
    emailVerifiedAt: text("email_verified_at"),
    // A permanent SMTP refusal (5xx) for the address: no more mail to it until it changes.
    emailBouncedAt: text("email_bounced_at"),
    emailBounceReason: text("email_bounce_reason"),
    // "Stop all mail" from an unsubscribe link or the account page.
    mailOffAt: text("mail_off_at"),
    // Reading preferences; null means the browser's (Accept-Language, the browser's own zone).
    locale: text("locale"),
    timeZone: text("time_zone"),
    // When digests go out, in the person's time zone: the hour of day, and the weekday (0 = Sunday) for weekly ones.
    digestHour: integer("digest_hour").notNull().default(8),
    digestWeekday: integer("digest_weekday").notNull().default(1),
    lastDailyDigestAt: text("last_daily_digest_at"),
    lastWeeklyDigestAt: text("last_weekly_digest_at"),
    // Whether filing, voting on or commenting on an ask follows it.
    autoFollowFiled: integer("auto_follow_filed", { mode: "boolean" }).notNull().default(true),
    autoFollowVoted: integer("auto_follow_voted", { mode: "boolean" }).notNull().default(true),
    autoFollowCommented: integer("auto_follow_commented", { mode: "boolean" }).notNull().default(true),
    // An imported person nobody has claimed yet: no password, so no sign-in. Their address,
    // if the source gave one, waits in claimEmail until someone confirms it (models/claim.server.ts).
    placeholder: integer("placeholder", { mode: "boolean" }).notNull().default(false),
    claimEmail: text("claim_email"),
    // The id the person had in the source an import came from.
    sourceRef: text("source_ref"),
    // The person chose to have no profile page: their name still shows, without a link.
    profileHidden: integer("profile_hidden", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_organization_idx").on(t.organizationId).where(sql`${t.organizationId} IS NOT NULL`),
    uniqueIndex("users_source_ref_unique").on(t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL`),
    index("users_claim_email_idx").on(t.claimEmail).where(sql`${t.claimEmail} IS NOT NULL`),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    data: text("data").notNull().default("{}"),
    userAgent: text("user_agent"),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const categories = sqliteTable("categories", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  position: integer("position").notNull().default(0),
});

export const statuses = sqliteTable("statuses", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  color: text("color").notNull(),
  position: integer("position").notNull().default(0),
  isClosed: integer("is_closed", { mode: "boolean" }).notNull().default(false),
  acceptsVotes: integer("accepts_votes", { mode: "boolean" }).notNull().default(true),
  // Which roadmap column shows asks in this status; null keeps them off the roadmap.
  roadmapColumn: text("roadmap_column", { enum: roadmapColumns }),
});

export const asks = sqliteTable(
  "asks",
  {
    // The id is the ask's public number: /asks/<id>-<slug>.
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    body: text("body").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id),
    statusId: integer("status_id")
      .notNull()
      .references(() => statuses.id),
    teamId: integer("team_id").references(() => teams.id),
    duplicateOfId: integer("duplicate_of_id").references((): AnySQLiteColumn => asks.id),
    // Kept exact by the vote and comment models inside the same transaction as the row change.
    voteCount: integer("vote_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    // How many organizations the voters belong to ("6 votes from 5 organizations"); kept
    // exact by the vote model, and recounted when people change organization.
    organizationCount: integer("organization_count").notNull().default(0),
    hiddenAt: text("hidden_at"),
    hiddenReason: text("hidden_reason"),
    commentsLockedAt: text("comments_locked_at"),
    // When the title, description or category last changed; its earlier versions are ask_revisions.
    editedAt: text("edited_at"),
    // Imported asks: the id and address they had in the tracker they came from.
    sourceRef: text("source_ref"),
    sourceUrl: text("source_url"),
    // A hash of the record the last import read: an unchanged record is skipped whole.
    sourceHash: text("source_hash"),
    // Votes an import brought whose voters are unknown; voteCount includes them.
    extraVotes: integer("extra_votes").notNull().default(0),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("asks_source_ref_unique").on(t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL`),
    index("asks_duplicate_of_idx").on(t.duplicateOfId),
    // Covers the list count (visible asks, by status and category) without reading the wide rows.
    index("asks_list_idx").on(t.hiddenAt, t.statusId, t.categoryId),
    index("asks_team_idx").on(t.teamId),
    index("asks_status_idx").on(t.statusId),
    index("asks_category_idx").on(t.categoryId),
    index("asks_author_idx").on(t.authorId),
    index("asks_vote_count_idx").on(t.voteCount),
    index("asks_organization_count_idx").on(t.organizationCount),
    index("asks_created_at_idx").on(t.createdAt),
    index("asks_updated_at_idx").on(t.updatedAt),
  ],
);

// The version of an ask's title, description and category that an edit replaced, with who
// made that edit and when: the ask page lists them as its earlier versions.
export const askRevisions = sqliteTable(
  "ask_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    // Null once that category is deleted: a category only asks use may go (models/category.server.ts).
    categoryId: integer("category_id").references(() => categories.id, { onDelete: "set null" }),
    editorId: integer("editor_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("ask_revisions_ask_idx").on(t.askId)],
);

// A person's vote on an ask, or their subscription to it: one row per ask and person, gone
// with either. Built afresh for each table, since a column builder belongs to one table.
const personOnAskColumns = () => ({
  askId: integer("ask_id")
    .notNull()
    .references(() => asks.id, { onDelete: "cascade" }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  // Set when the row was carried over from a duplicate merged into this ask,
  // so undoing the merge removes exactly the rows it added.
  mergedFromAskId: integer("merged_from_ask_id").references((): AnySQLiteColumn => asks.id),
  createdAt: text("created_at").notNull().default(now),
});

export const votes = sqliteTable("votes", personOnAskColumns(), (t) => [
  primaryKey({ columns: [t.askId, t.userId] }),
  index("votes_user_idx").on(t.userId),
  // Covers "votes in the last 30 days per ask" (trending) without touching the table.
  index("votes_created_at_idx").on(t.createdAt, t.askId),
  index("votes_merged_from_idx").on(t.mergedFromAskId),
]);

export const subscriptions = sqliteTable(
  "subscriptions",
  {
    ...personOnAskColumns(),
    reason: text("reason", { enum: followReasons }).notNull().default("followed"),
    // Set when the person unfollowed: the row stays so that a later vote or comment does not
    // follow the ask again behind their back.
    unfollowedAt: text("unfollowed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.askId, t.userId] }),
    index("subscriptions_user_idx").on(t.userId),
    // Undoing a merge finds the follows it carried over; an import also needs it, since SQLite
    // looks up every table that references an ask when a new ask arrives after its children.
    index("subscriptions_merged_from_idx").on(t.mergedFromAskId),
  ],
);

// A team member following a category or a team's queue, to hear about new asks in it.
export const topicSubscriptions = sqliteTable(
  "topic_subscriptions",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicType: text("topic_type", { enum: topicTypes }).notNull(),
    topicId: integer("topic_id").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.topicType, t.topicId] }),
    index("topic_subscriptions_topic_idx").on(t.topicType, t.topicId),
  ],
);

// How a person wants to hear about one kind of event; a missing row means the kind's default.
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    delivery: text("delivery", { enum: deliveries }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// Something that happened to an ask, written in the transaction that made it happen. The worker
// fans it out to recipients later, so a request never waits on thousands of followers.
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    actorId: integer("actor_id").references(() => users.id),
    // What the event shows, as it was when it happened (JSON): a later edit does not rewrite sent mail.
    data: text("data").notNull().default("{}"),
    createdAt: text("created_at").notNull().default(now),
    fannedOutAt: text("fanned_out_at"),
  },
  (t) => [
    index("events_pending_idx").on(t.id).where(sql`${t.fannedOutAt} IS NULL`),
    index("events_ask_idx").on(t.askId),
  ],
);

// One event for one recipient: the in-app list, and the record of whether it was mailed.
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    // The delivery chosen when the event arrived.
    delivery: text("delivery", { enum: deliveries }).notNull(),
    readAt: text("read_at"),
    // When its mail (instant or in a digest) was put in the outbox.
    mailedAt: text("mailed_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("notifications_user_event_unique").on(t.userId, t.eventId),
    index("notifications_unread_idx").on(t.userId, t.readAt),
    index("notifications_digest_idx")
      .on(t.userId, t.delivery)
      .where(sql`${t.mailedAt} IS NULL AND ${t.delivery} IN ('daily', 'weekly')`),
  ],
);

// Mail waiting to leave, sent, or given up on. Rows are claimed with a lease, so two workers
// never send the same row; a crash between sending and marking sent may send one twice.
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    purpose: text("purpose", { enum: mailPurposes }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    // Extra headers (List-Unsubscribe, …) as a JSON object.
    headers: text("headers").notNull().default("{}"),
    state: text("state", { enum: outboxStates }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull().default(now),
    leaseOwner: text("lease_owner"),
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    // "smtp", or "mailbox" when no SMTP server is set and the mail is kept for reading in the app.
    deliveredVia: text("delivered_via"),
    createdAt: text("created_at").notNull().default(now),
    sentAt: text("sent_at"),
  },
  (t) => [
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("outbox_state_idx").on(t.state, t.id),
    index("outbox_user_idx").on(t.userId),
  ],
);

// Single-use links sent by mail (confirm an address, reset a password); only a hash is kept.
export const userTokens = sqliteTable(
  "user_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: userTokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    // The address being confirmed: a new one waits here until its link is followed.
    email: text("email"),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("user_tokens_user_idx").on(t.userId, t.purpose)],
);

export const comments = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull().default(now),
    editedAt: text("edited_at"),
    deletedAt: text("deleted_at"),
    // A team member's answer shown as the team's official response.
    isOfficial: integer("is_official", { mode: "boolean" }).notNull().default(false),
    hiddenAt: text("hidden_at"),
    hiddenReason: text("hidden_reason"),
    // The comment's id in an import's source, so a second run finds it instead of adding it again.
    sourceRef: text("source_ref"),
  },
  (t) => [
    index("comments_ask_idx").on(t.askId, t.createdAt),
    index("comments_author_idx").on(t.authorId),
    uniqueIndex("comments_source_ref_unique").on(t.askId, t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL`),
  ],
);

export const statusUpdates = sqliteTable(
  "status_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    fromStatusId: integer("from_status_id").references(() => statuses.id),
    toStatusId: integer("to_status_id")
      .notNull()
      .references(() => statuses.id),
    teamId: integer("team_id").references(() => teams.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    note: text("note").notNull(),
    // The day the update is about (YYYY-MM-DD); may be earlier than recordedAt for imported history.
    aboutDate: text("about_date").notNull(),
    recordedAt: text("recorded_at").notNull().default(now),
    editedAt: text("edited_at"),
    // The update's id in an import's source, as for comments.
    sourceRef: text("source_ref"),
  },
  (t) => [
    uniqueIndex("status_updates_source_ref_unique").on(t.askId, t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL`),
    index("status_updates_ask_idx").on(t.askId, t.aboutDate),
    // The site-wide feed lists the latest recorded updates.
    index("status_updates_recorded_at_idx").on(t.recordedAt),
  ],
);

export const resolutionLinks = sqliteTable(
  "resolution_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    statusUpdateId: integer("status_update_id")
      .notNull()
      .references(() => statusUpdates.id, { onDelete: "cascade" }),
    askId: integer("ask_id")
      .notNull()
      .references(() => asks.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    title: text("title").notNull(),
  },
  // By update too: deleting a status update cascades to its links.
  (t) => [
    index("resolution_links_ask_idx").on(t.askId),
    index("resolution_links_status_update_idx").on(t.statusUpdateId),
  ],
);

export const auditEntries = sqliteTable(
  "audit_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: integer("actor_id").references(() => users.id),
    // "status_update.create", "ask.merge", "comment.hide", "user.role", …
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: integer("subject_id").notNull(),
    // JSON snapshots of what changed; null where there was nothing before or after.
    before: text("before"),
    after: text("after"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    index("audit_entries_created_at_idx").on(t.createdAt),
    index("audit_entries_actor_idx").on(t.actorId),
    index("audit_entries_action_idx").on(t.action),
    index("audit_entries_subject_idx").on(t.subjectType, t.subjectId),
  ],
);

// One row per (bucket, key) while its window is open: "sign-in:address" + "203.0.113.7".
// The window opens at the first counted hit and closes at resetAt; expired rows are pruned.
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
    resetAt: text("reset_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key] }), index("rate_limits_reset_at_idx").on(t.resetAt)],
);

// An import started from the admin page: the uploaded file waits on disk while the worker runs
// it. State and report are written in the import's own transaction, so "done" means imported.
export const importRuns = sqliteTable(
  "import_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    // Where the upload is kept until the run ends.
    filePath: text("file_path").notNull(),
    dryRun: integer("dry_run", { mode: "boolean" }).notNull().default(false),
    state: text("state", { enum: importStates }).notNull().default("queued"),
    // The report (counts per kind) or the errors, as JSON.
    report: text("report"),
    errors: text("errors"),
    createdAt: text("created_at").notNull().default(now),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
  },
  (t) => [index("import_runs_state_idx").on(t.state, t.id)],
);

// A personal API token: only its SHA-256 is stored; the token itself is shown once.
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    // The first characters of the token ("asklog_pat_3F9k…"), so its owner can tell tokens apart.
    displayPrefix: text("display_prefix").notNull(),
    // JSON array of tokenScopes.
    scopes: text("scopes", { mode: "json" }).$type<(typeof tokenScopes)[number][]>().notNull(),
    // Null: no expiry (admins may forbid that).
    expiresAt: text("expires_at"),
    lastUsedAt: text("last_used_at"),
    lastUsedAddress: text("last_used_address"),
    revokedAt: text("revoked_at"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("api_tokens_hash_unique").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

// The first answer to a write sent with an Idempotency-Key, replayed when the same key comes
// again from the same token, so a retried POST never writes twice.
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    tokenId: integer("token_id")
      .notNull()
      .references(() => apiTokens.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    // Method, path and a hash of the body: the same key with another request is refused.
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] }), index("idempotency_keys_created_at_idx").on(t.createdAt)],
);

export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  // JSON array of webhookEvents.
  events: text("events", { mode: "json" }).$type<(typeof webhookEvents)[number][]>().notNull(),
  // "whsec_" + base64, as the Standard Webhooks specification has it; shown once, rotatable.
  secret: text("secret").notNull(),
  // The secret before the last rotation, still signing beside the new one until previousSecretUntil.
  previousSecret: text("previous_secret"),
  previousSecretUntil: text("previous_secret_until"),
  // Deliveries that failed in a row; reset by a success. Too many disable the endpoint.
  failureStreak: integer("failure_streak").notNull().default(0),
  disabledAt: text("disabled_at"),
  disabledReason: text("disabled_reason"),
  createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: text("created_at").notNull().default(now),
});

// One event for one endpoint, written in the transaction of the change it tells about and
// delivered by the worker with retries, like mail in the outbox.
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    // The webhook-id header: the same for every attempt of this delivery, so receivers can
    // drop duplicates.
    messageId: text("message_id").notNull(),
    event: text("event", { enum: webhookEvents }).notNull(),
    payload: text("payload").notNull(),
    state: text("state", { enum: deliveryStates }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull().default(now),
    leaseOwner: text("lease_owner"),
    leaseUntil: text("lease_until"),
    createdAt: text("created_at").notNull().default(now),
    deliveredAt: text("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
  ],
);

// Each attempt of a delivery, for the endpoint's delivery log.
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: integer("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    // Null when no answer came (refused address, timeout, connection error).
    statusCode: integer("status_code"),
    error: text("error"),
    responseExcerpt: text("response_excerpt"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId)],
);

// Asks whose votes changed since the last vote.changed batch went out; the worker turns them
// into one delivery per batch window.
export const webhookVoteChanges = sqliteTable("webhook_vote_changes", {
  askId: integer("ask_id")
    .primaryKey()
    .references(() => asks.id, { onDelete: "cascade" }),
  firstChangedAt: text("first_changed_at").notNull().default(now),
});
