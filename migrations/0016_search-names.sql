-- Search knows names (docs/decisions/011-search-stemming.md, "Names"): both FTS tables gain a
-- `people` column holding, one line each, the name and organization of everyone who wrote in
-- the ask: its author, its visible comments' authors and its status updates' authors. So
-- "Dell" finds an ask a Dell partner commented on. FTS5 cannot add a column, so both tables
-- are built again from search_documents, with every trigger. Renaming a person, moving them to
-- another organization (a merge does) or renaming an organization rewrites the rows of the asks
-- they wrote in, in the same transaction. The exact index also gets a 4-letter prefix index.
DROP TRIGGER `asks_search_insert`;--> statement-breakpoint
DROP TRIGGER `asks_search_update`;--> statement-breakpoint
DROP TRIGGER `asks_search_delete`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_insert`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_update`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_delete`;--> statement-breakpoint
DROP TRIGGER `comments_search_insert`;--> statement-breakpoint
DROP TRIGGER `comments_search_update`;--> statement-breakpoint
DROP TRIGGER `comments_search_delete`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_insert`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_update`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_delete`;--> statement-breakpoint
DROP TRIGGER `asks_search_stems_insert`;--> statement-breakpoint
DROP TRIGGER `asks_search_stems_update`;--> statement-breakpoint
DROP TRIGGER `asks_search_stems_delete`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_stems_insert`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_stems_update`;--> statement-breakpoint
DROP TRIGGER `status_updates_search_stems_delete`;--> statement-breakpoint
DROP TRIGGER `comments_search_stems_insert`;--> statement-breakpoint
DROP TRIGGER `comments_search_stems_update`;--> statement-breakpoint
DROP TRIGGER `comments_search_stems_delete`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_stems_insert`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_stems_update`;--> statement-breakpoint
DROP TRIGGER `resolution_links_search_stems_delete`;--> statement-breakpoint
DROP TABLE `search_index`;--> statement-breakpoint
DROP TABLE `search_index_stems`;--> statement-breakpoint
DROP VIEW `search_documents`;--> statement-breakpoint
CREATE VIEW `search_documents` AS
SELECT
  a.`id` AS `ask_id`,
  a.`title` AS `title`,
  a.`body` AS `body`,
  (SELECT group_concat(su.`note`, char(10)) FROM `status_updates` su WHERE su.`ask_id` = a.`id`) AS `notes`,
  (SELECT group_concat(c.`body`, char(10)) FROM `comments` c
    WHERE c.`ask_id` = a.`id` AND c.`deleted_at` IS NULL AND c.`hidden_at` IS NULL) AS `comments`,
  (SELECT group_concat(r.`title` || ' ' || r.`url`, char(10)) FROM `resolution_links` r WHERE r.`ask_id` = a.`id`) AS `links`,
  (SELECT group_concat(u.`display_name` || coalesce(' · ' || o.`name`, ''), char(10))
    FROM `users` u LEFT JOIN `organizations` o ON o.`id` = u.`organization_id`
    WHERE u.`id` IN (
      SELECT a.`author_id`
      UNION SELECT c.`author_id` FROM `comments` c
        WHERE c.`ask_id` = a.`id` AND c.`deleted_at` IS NULL AND c.`hidden_at` IS NULL
      UNION SELECT su.`author_id` FROM `status_updates` su WHERE su.`ask_id` = a.`id`)) AS `people`
FROM `asks` a;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `title`, `body`, `notes`, `comments`, `links`, `people`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index_stems` USING fts5(
  `title`, `body`, `notes`, `comments`, `links`, `people`,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `search_index` (rowid, `title`, `body`, `notes`, `comments`, `links`, `people`)
  SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links`, `people` FROM `search_documents`;
--> statement-breakpoint
INSERT INTO `search_index_stems` (rowid, `title`, `body`, `notes`, `comments`, `links`, `people`)
  SELECT rowid, `title`, `body`, `notes`, `comments`, `links`, `people` FROM `search_index`;
--> statement-breakpoint
CREATE INDEX `status_updates_author_idx` ON `status_updates` (`author_id`);--> statement-breakpoint
CREATE INDEX `status_updates_team_idx` ON `status_updates` (`team_id`) WHERE `team_id` IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER `asks_search_insert` AFTER INSERT ON `asks` BEGIN
  INSERT INTO `search_index` (rowid, `title`, `body`, `notes`, `comments`, `links`, `people`)
    SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links`, `people` FROM `search_documents` WHERE `ask_id` = new.`id`;
  INSERT INTO `search_index_stems` (rowid, `title`, `body`, `notes`, `comments`, `links`, `people`)
    SELECT `ask_id`, `title`, `body`, `notes`, `comments`, `links`, `people` FROM `search_documents` WHERE `ask_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_update` AFTER UPDATE OF `title`, `body` ON `asks` BEGIN
  UPDATE `search_index` SET `title` = new.`title`, `body` = new.`body` WHERE rowid = new.`id`;
  UPDATE `search_index_stems` SET `title` = new.`title`, `body` = new.`body` WHERE rowid = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_author` AFTER UPDATE OF `author_id` ON `asks` WHEN old.`author_id` IS NOT new.`author_id` BEGIN
  UPDATE `search_index` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = new.`id`) WHERE rowid = new.`id`;
  UPDATE `search_index_stems` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = new.`id`) WHERE rowid = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `asks_search_delete` AFTER DELETE ON `asks` BEGIN
  DELETE FROM `search_index` WHERE rowid = old.`id`;
  DELETE FROM `search_index_stems` WHERE rowid = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_insert` AFTER INSERT ON `status_updates` BEGIN
  UPDATE `search_index` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_update` AFTER UPDATE OF `note`, `author_id` ON `status_updates` BEGIN
  UPDATE `search_index` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `status_updates_search_delete` AFTER DELETE ON `status_updates` BEGIN
  UPDATE `search_index` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
  UPDATE `search_index_stems` SET (`notes`, `people`) = (SELECT `notes`, `people` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_insert` AFTER INSERT ON `comments` BEGIN
  UPDATE `search_index` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_update` AFTER UPDATE OF `body`, `deleted_at`, `hidden_at`, `author_id` ON `comments` BEGIN
  UPDATE `search_index` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_delete` AFTER DELETE ON `comments` BEGIN
  UPDATE `search_index` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
  UPDATE `search_index_stems` SET (`comments`, `people`) = (SELECT `comments`, `people` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_insert` AFTER INSERT ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_update` AFTER UPDATE OF `title`, `url` ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = new.`ask_id`) WHERE rowid = new.`ask_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `resolution_links_search_delete` AFTER DELETE ON `resolution_links` BEGIN
  UPDATE `search_index` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
  UPDATE `search_index_stems` SET `links` = (SELECT `links` FROM `search_documents` WHERE `ask_id` = old.`ask_id`) WHERE rowid = old.`ask_id`;
END;
--> statement-breakpoint
-- The asks a person wrote in: filed, commented on (hidden comments too, harmless) or updated.
-- These stay on during an import (see suspendSearchTriggers): they fire only on a real change.
CREATE TRIGGER `users_search_names` AFTER UPDATE OF `display_name`, `organization_id` ON `users`
  WHEN old.`display_name` IS NOT new.`display_name` OR old.`organization_id` IS NOT new.`organization_id` BEGIN
  UPDATE `search_index` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = search_index.rowid)
    WHERE rowid IN (SELECT `id` FROM `asks` WHERE `author_id` = new.`id`
      UNION SELECT `ask_id` FROM `comments` WHERE `author_id` = new.`id`
      UNION SELECT `ask_id` FROM `status_updates` WHERE `author_id` = new.`id`);
  UPDATE `search_index_stems` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = search_index_stems.rowid)
    WHERE rowid IN (SELECT `id` FROM `asks` WHERE `author_id` = new.`id`
      UNION SELECT `ask_id` FROM `comments` WHERE `author_id` = new.`id`
      UNION SELECT `ask_id` FROM `status_updates` WHERE `author_id` = new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `organizations_search_names` AFTER UPDATE OF `name` ON `organizations`
  WHEN old.`name` IS NOT new.`name` BEGIN
  UPDATE `search_index` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = search_index.rowid)
    WHERE rowid IN (SELECT a.`id` FROM `asks` a JOIN `users` u ON u.`id` = a.`author_id` WHERE u.`organization_id` = new.`id`
      UNION SELECT c.`ask_id` FROM `comments` c JOIN `users` u ON u.`id` = c.`author_id` WHERE u.`organization_id` = new.`id`
      UNION SELECT su.`ask_id` FROM `status_updates` su JOIN `users` u ON u.`id` = su.`author_id` WHERE u.`organization_id` = new.`id`);
  UPDATE `search_index_stems` SET `people` = (SELECT `people` FROM `search_documents` WHERE `ask_id` = search_index_stems.rowid)
    WHERE rowid IN (SELECT a.`id` FROM `asks` a JOIN `users` u ON u.`id` = a.`author_id` WHERE u.`organization_id` = new.`id`
      UNION SELECT c.`ask_id` FROM `comments` c JOIN `users` u ON u.`id` = c.`author_id` WHERE u.`organization_id` = new.`id`
      UNION SELECT su.`ask_id` FROM `status_updates` su JOIN `users` u ON u.`id` = su.`author_id` WHERE u.`organization_id` = new.`id`);
END;
