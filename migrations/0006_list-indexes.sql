DROP INDEX `votes_created_at_idx`;--> statement-breakpoint
CREATE INDEX `votes_created_at_idx` ON `votes` (`created_at`,`ask_id`);--> statement-breakpoint
CREATE INDEX `asks_list_idx` ON `asks` (`hidden_at`,`status_id`,`category_id`);