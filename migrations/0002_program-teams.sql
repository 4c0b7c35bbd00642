CREATE TABLE `audit_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`before` text,
	`after` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_entries_created_at_idx` ON `audit_entries` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_entries_actor_idx` ON `audit_entries` (`actor_id`);--> statement-breakpoint
CREATE INDEX `audit_entries_action_idx` ON `audit_entries` (`action`);--> statement-breakpoint
CREATE INDEX `audit_entries_subject_idx` ON `audit_entries` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`ask_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`merged_from_ask_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`ask_id`, `user_id`),
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`merged_from_ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subscriptions_user_idx` ON `subscriptions` (`user_id`);--> statement-breakpoint
ALTER TABLE `asks` ADD `hidden_at` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `hidden_reason` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `comments_locked_at` text;--> statement-breakpoint
CREATE INDEX `asks_duplicate_of_idx` ON `asks` (`duplicate_of_id`);--> statement-breakpoint
CREATE INDEX `asks_team_idx` ON `asks` (`team_id`);--> statement-breakpoint
ALTER TABLE `comments` ADD `is_official` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `comments` ADD `hidden_at` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `hidden_reason` text;--> statement-breakpoint
ALTER TABLE `status_updates` ADD `edited_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `blocked_at` text;--> statement-breakpoint
ALTER TABLE `votes` ADD `merged_from_ask_id` integer REFERENCES asks(id);--> statement-breakpoint
CREATE INDEX `votes_merged_from_idx` ON `votes` (`merged_from_ask_id`);