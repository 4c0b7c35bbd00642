CREATE TABLE `organization_domains` (
	`domain` text PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `organization_domains_organization_idx` ON `organization_domains` (`organization_id`);--> statement-breakpoint
CREATE TABLE `organization_merges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`from_id` integer NOT NULL,
	`into_id` integer NOT NULL,
	`member_ids` text NOT NULL,
	`domains` text NOT NULL,
	`merged_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`undone_at` text,
	FOREIGN KEY (`from_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`into_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`merged_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organization_merges_from_idx` ON `organization_merges` (`from_id`);--> statement-breakpoint
CREATE INDEX `organization_merges_into_idx` ON `organization_merges` (`into_id`);--> statement-breakpoint
CREATE TABLE `site_settings` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by_id` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `asks` ADD `organization_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `asks_organization_count_idx` ON `asks` (`organization_count`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `name_key` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `slug` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `merged_into_id` integer REFERENCES organizations(id);--> statement-breakpoint
ALTER TABLE `organizations` ADD `created_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_name_key_unique` ON `organizations` (`name_key`) WHERE "organizations"."name_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_slug_unique` ON `organizations` (`slug`) WHERE "organizations"."slug" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `profile_hidden` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `users_organization_idx` ON `users` (`organization_id`) WHERE "users"."organization_id" IS NOT NULL;--> statement-breakpoint
UPDATE `asks` SET `organization_count` = (
  SELECT count(DISTINCT u.`organization_id`) FROM `votes` v JOIN `users` u ON u.`id` = v.`user_id` WHERE v.`ask_id` = `asks`.`id`
);
