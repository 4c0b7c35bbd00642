CREATE TABLE `ask_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ask_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`category_id` integer,
	`editor_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ask_revisions_ask_idx` ON `ask_revisions` (`ask_id`);--> statement-breakpoint
ALTER TABLE `asks` ADD `edited_at` text;