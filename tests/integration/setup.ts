import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { closeDb } from "../../db/client";
import { applyMigrations } from "../../db/migrate";

// A real SQLite file per test file, migrated exactly as production is.
const dir = mkdtempSync(join(tmpdir(), "asklog-test-"));
process.env.DATABASE_PATH = join(dir, "asklog.db");
process.env.SESSION_SECRET = "integration-test-secret";
applyMigrations();

afterAll(() => {
  closeDb();
  rmSync(dir, { recursive: true, force: true });
});
