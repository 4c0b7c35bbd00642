-- Full-text search over an ask's whole history. One FTS5 row per ask (rowid =
-- ask id) with a column per source: title, description, status-update notes,
-- visible comments and resolution links. A search then matches and ranks asks
-- directly: every word must appear somewhere in the ask, -words exclude the ask,
-- and bm25 weighs the title above the description above the rest.
-- search_documents says what an ask's row holds; triggers rebuild the row from it
-- in the same transaction as any change to its sources.
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `title`, `body`, `notes`, `comments`, `links`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE VIEW `search_documents` AS
SELECT
  a.`id` AS `ask_id`,
  a.`title` AS `title`,
  a.`body` AS `body`,
  (SELECT group_concat(su.`note`, char(10)) FROM `status_updates` su WHERE su.`ask_id` = a.`id`) AS `notes`,
  (SELECT group_concat(c.`body`, char(10)) FROM `comments` c
    WHERE c.`ask_id` = a.`id` AND c.`deleted_at` IS NULL AND c.`hidden_at` IS NULL) AS `comments`,
  (SELECT group_concat(r.`title` || ' ' || r.`url`, char(10)) FROM `resolution_links` r WHERE r.`ask_id` = a.`id`) AS `links`
FROM `asks` a;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `title`, `body`, `notes`, `comments`, `links`)
  SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links` FROM `search_documents`;
--> statement-breakpoint
CREATE TRIGGER `asks_search_insert` AFTER INSERT ON `asks` BEGIN
  INSERT INTO `search_index` (rowid, `title`, `body`, `notes`, `comments`, `links`)
    SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links` FROM `search_documents` WHERE `ask_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_update` AFTER UPDATE OF `title`, `body` ON `asks` BEGIN
  UPDATE `search_index` SET `title` = new.`title`, `body` = new.`body` WHERE rowid = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_delete` AFTER DELETE ON `asks` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_insert` AFTER INSERT ON `status_updates` BEGIN
  UPDATE `search_index` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_update` AFTER UPDATE OF `note` ON `status_updates` BEGIN
  UPDATE `search_index` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_delete` AFTER DELETE ON `status_updates` BEGIN
  UPDATE `search_index` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_insert` AFTER INSERT ON `comments` BEGIN
  UPDATE `search_index` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_update` AFTER UPDATE OF `body`, `deleted_at`, `hidden_at` ON `comments` BEGIN
  UPDATE `search_index` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_delete` AFTER DELETE ON `comments` BEGIN
  UPDATE `search_index` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_insert` AFTER INSERT ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_update` AFTER UPDATE OF `title`, `url` ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_delete` AFTER DELETE ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE INDEX `asks_hidden_idx` ON `asks` (`hidden_at`) WHERE `hidden_at` IS NOT NULL;
