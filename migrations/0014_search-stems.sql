-- Stemmed twin of search_index (0004): the same rows from search_documents, with the
-- porter stemmer over unicode61, so "rebates" finds an ask that says "rebate". The exact
-- index stays: phrases, prefixes and ranking exact matches first need the words as written
-- (docs/decisions/011-search-stemming.md). No prefix indexes: prefixes are matched exactly.
-- The name starts with search_index so a bulk writer sets these triggers aside too.
CREATE VIRTUAL TABLE `search_index_stems` USING fts5(
  `title`, `body`, `notes`, `comments`, `links`,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_index_stems` (rowid, `title`, `body`, `notes`, `comments`, `links`)
  SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links` FROM `search_documents`;
--> statement-breakpoint
CREATE TRIGGER `asks_search_stems_insert` AFTER INSERT ON `asks` BEGIN
  INSERT INTO `search_index_stems` (rowid, `title`, `body`, `notes`, `comments`, `links`)
    SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links` FROM `search_documents` WHERE `ask_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_stems_update` AFTER UPDATE OF `title`, `body` ON `asks` BEGIN
  UPDATE `search_index_stems` SET `title` = new.`title`, `body` = new.`body` WHERE rowid = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_stems_delete` AFTER DELETE ON `asks` BEGIN
  DELETE FROM `search_index_stems` WHERE rowid = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_stems_insert` AFTER INSERT ON `status_updates` BEGIN
  UPDATE `search_index_stems` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_stems_update` AFTER UPDATE OF `note` ON `status_updates` BEGIN
  UPDATE `search_index_stems` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_stems_delete` AFTER DELETE ON `status_updates` BEGIN
  UPDATE `search_index_stems` SET `notes` = (SELECT `notes` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_stems_insert` AFTER INSERT ON `comments` BEGIN
  UPDATE `search_index_stems` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_stems_update` AFTER UPDATE OF `body`, `deleted_at`, `hidden_at` ON `comments` BEGIN
  UPDATE `search_index_stems` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_stems_delete` AFTER DELETE ON `comments` BEGIN
  UPDATE `search_index_stems` SET `comments` = (SELECT `comments` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_stems_insert` AFTER INSERT ON `resolution_links` BEGIN
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_stems_update` AFTER UPDATE OF `title`, `url` ON `resolution_links` BEGIN
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_stems_delete` AFTER DELETE ON `resolution_links` BEGIN
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
