CREATE TABLE `import_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`file_name` text NOT NULL,
	`file_path` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`report` text,
	`errors` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`finished_at` text,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `import_runs_state_idx` ON `import_runs` (`state`,`id`);--> statement-breakpoint
ALTER TABLE `asks` ADD `source_ref` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `source_url` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `extra_votes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `asks_source_ref_unique` ON `asks` (`source_ref`) WHERE "asks"."source_ref" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `comments` ADD `source_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_source_ref_unique` ON `comments` (`ask_id`,`source_ref`) WHERE "comments"."source_ref" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `status_updates` ADD `source_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `status_updates_source_ref_unique` ON `status_updates` (`ask_id`,`source_ref`) WHERE "status_updates"."source_ref" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `placeholder` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `claim_email` text;--> statement-breakpoint
ALTER TABLE `users` ADD `source_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_source_ref_unique` ON `users` (`source_ref`) WHERE "users"."source_ref" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `users_claim_email_idx` ON `users` (`claim_email`) WHERE "users"."claim_email" IS NOT NULL;