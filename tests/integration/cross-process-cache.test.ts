import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import { siteSettings } from "~/models/site-setting.server";
import { databasePath } from "../../db/client";
import { makeAsk, makeUser } from "./helpers";

// With WEB_CONCURRENCY above 1, a write made through one web process must show on the next
// request to any other. What each process keeps in memory is kept until the database changes
// (db/cache.ts); these writes come from another operating-system process, as from a second web
// process, an import or `npm run worker`.
function writeFromAnotherProcess(sql: string, ...params: (string | number)[]): void {
  const script = `
    const Database = require("better-sqlite3");
    const database = new Database(process.argv[1]);
    database.pragma("busy_timeout = 5000");
    database.prepare(process.argv[2]).run(...JSON.parse(process.argv[3]));
    database.close();`;
  execFileSync(process.execPath, ["-e", script, databasePath(), sql, JSON.stringify(params)]);
}

describe("results kept in memory", () => {
  it("follow a site setting saved by another process", () => {
    expect(siteSettings().partnersSeeOrganizationVotes).toBe(false);
    writeFromAnotherProcess(
      "INSERT INTO site_settings (name, value) VALUES ('partnersSeeOrganizationVotes', 'true') " +
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    );
    expect(siteSettings().partnersSeeOrganizationVotes).toBe(true);
  });

  it("follow an ask hidden by another process in the list's count", async () => {
    const author = await makeUser();
    const ask = makeAsk(author.id, "Rebate report for distributors, kept in sync across processes");
    const count = () => listAsks({ sort: "newest", page: 1 }).total;
    const total = count();
    expect(total).toBeGreaterThan(0);
    writeFromAnotherProcess("UPDATE asks SET hidden_at = ? WHERE id = ?", new Date().toISOString(), ask.id);
    expect(count()).toBe(total - 1);
  });
});
