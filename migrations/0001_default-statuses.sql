-- The default workflow every Asklog starts with; admins can rename, recolor and add to it.
-- Colors keep white badge text above 4.5:1 contrast.
INSERT INTO statuses (slug, name, color, position, is_closed, accepts_votes) VALUES
  ('open', 'Open', '#0969da', 1, 0, 1),
  ('under-review', 'Under review', '#8250df', 2, 0, 1),
  ('planned', 'Planned', '#7d4e00', 3, 0, 1),
  ('in-progress', 'In progress', '#bc4c00', 4, 0, 1),
  ('completed', 'Completed', '#1a7f37', 5, 1, 0),
  ('declined', 'Declined', '#cf222e', 6, 1, 0),
  ('duplicate', 'Duplicate', '#57606a', 7, 1, 0);
--> statement-breakpoint
INSERT INTO categories (name, position) VALUES ('General', 100);
