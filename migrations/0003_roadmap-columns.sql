ALTER TABLE `statuses` ADD `roadmap_column` text;--> statement-breakpoint
UPDATE `statuses` SET `roadmap_column` = 'planned' WHERE `slug` = 'planned';--> statement-breakpoint
UPDATE `statuses` SET `roadmap_column` = 'in-progress' WHERE `slug` = 'in-progress';--> statement-breakpoint
UPDATE `statuses` SET `roadmap_column` = 'completed' WHERE `slug` = 'completed';
