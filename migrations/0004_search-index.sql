-- Full-text search over everything an ask's history holds: its title and
-- description, status-update notes, visible comments and resolution links.
-- One FTS5 row per source; the rowid encodes both, source id * 4 + kind
-- (0 ask, 1 status note, 2 comment, 3 resolution link), so triggers find
-- a row by rowid instead of scanning. Triggers keep it in the same
-- transaction as the change; hidden and deleted comments are taken out.
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `title`, `body`, `note`, `comment`, `link`,
  `ask_id` UNINDEXED, `kind` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `title`, `body`, `ask_id`, `kind`)
  SELECT `id` * 4, `title`, `body`, `id`, 'ask' FROM `asks`;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `note`, `ask_id`, `kind`)
  SELECT `id` * 4 + 1, `note`, `ask_id`, 'note' FROM `status_updates`;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `comment`, `ask_id`, `kind`)
  SELECT `id` * 4 + 2, `body`, `ask_id`, 'comment' FROM `comments` WHERE `deleted_at` IS NULL AND `hidden_at` IS NULL;
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `link`, `ask_id`, `kind`)
  SELECT `id` * 4 + 3, `title` || ' ' || `url`, `ask_id`, 'link' FROM `resolution_links`;
--> statement-breakpoint
CREATE TRIGGER `asks_search_insert` AFTER INSERT ON `asks` BEGIN
  INSERT INTO `search_index` (rowid, `title`, `body`, `ask_id`, `kind`) VALUES (new.`id` * 4, new.`title`, new.`body`, new.`id`, 'ask');
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_update` AFTER UPDATE OF `title`, `body` ON `asks` BEGIN
  UPDATE `search_index` SET `title` = new.`title`, `body` = new.`body` WHERE rowid = new.`id` * 4;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_delete` AFTER DELETE ON `asks` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id` * 4;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_insert` AFTER INSERT ON `status_updates` BEGIN
  INSERT INTO `search_index` (rowid, `note`, `ask_id`, `kind`) VALUES (new.`id` * 4 + 1, new.`note`, new.`ask_id`, 'note');
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_update` AFTER UPDATE OF `note` ON `status_updates` BEGIN
  UPDATE `search_index` SET `note` = new.`note` WHERE rowid = new.`id` * 4 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_delete` AFTER DELETE ON `status_updates` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id` * 4 + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_insert` AFTER INSERT ON `comments`
  WHEN new.`deleted_at` IS NULL AND new.`hidden_at` IS NULL BEGIN
  INSERT INTO `search_index` (rowid, `comment`, `ask_id`, `kind`) VALUES (new.`id` * 4 + 2, new.`body`, new.`ask_id`, 'comment');
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_update` AFTER UPDATE OF `body`, `deleted_at`, `hidden_at` ON `comments` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id` * 4 + 2;
  INSERT INTO `search_index` (rowid, `comment`, `ask_id`, `kind`)
    SELECT new.`id` * 4 + 2, new.`body`, new.`ask_id`, 'comment' WHERE new.`deleted_at` IS NULL AND new.`hidden_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_delete` AFTER DELETE ON `comments` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id` * 4 + 2;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_insert` AFTER INSERT ON `resolution_links` BEGIN
  INSERT INTO `search_index` (rowid, `link`, `ask_id`, `kind`) VALUES (new.`id` * 4 + 3, new.`title` || ' ' || new.`url`, new.`ask_id`, 'link');
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_update` AFTER UPDATE OF `title`, `url` ON `resolution_links` BEGIN
  UPDATE `search_index` SET `link` = new.`title` || ' ' || new.`url` WHERE rowid = new.`id` * 4 + 3;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_delete` AFTER DELETE ON `resolution_links` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id` * 4 + 3;
END;
