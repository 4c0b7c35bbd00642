import { fileURLToPath } from "node:url";
import { forgetExpiredDeletions } from "~/models/comment.server";
import { upgradeOrganizations } from "~/models/organization.server";
import { ensureAdmin } from "~/models/user.server";
import { sessionSecret } from "~/services/secret.server";
import { type Settings, settings } from "~/settings.server";
import { databasePath, db } from "../db/client";
import { withExclusiveLock } from "../db/lock";
import { applyMigrations } from "../db/migrate";
import { isEmpty, seedDemo } from "../db/seed";
import { settingsOrExit } from "./env";

// The release step: what must be true of the database before anything serves from it.
// Every process that uses the database calls it first (the web server, a worker, a
// command-line tool), so it is safe to run many times and from several processes at
// once: the steps run under one lock, and each finds the work already done when another
// process did it first. `npm run setup` runs it on its own.
export async function startup(options: Pick<Settings, "seedDemo" | "admin"> = settings()): Promise<void> {
  await withExclusiveLock(databasePath(), async () => {
    applyMigrations();
    for (const fold of upgradeOrganizations()) {
      console.log(
        `Organizations folded into "${fold.kept}": ${fold.folded.map((n) => `"${n}"`).join(", ")} (${fold.people} people moved)`,
      );
    }
    // Fresh statistics for the query planner after migrations added or changed indexes;
    // without them SQLite may scan 100,000 asks where an index range would do.
    db().$client.pragma("optimize=0x10002");
    // Checked inside the lock: a second process starting at the same moment finds the
    // first one's demo data instead of loading its own.
    if (options.seedDemo && isEmpty()) await seedDemo();
    if (options.admin) await ensureAdmin(options.admin);
    // A restart inside a comment's undo window cancels its timer: the text goes here instead.
    forgetExpiredDeletions();
  });
  // Generated now, once, rather than by the first request of each process.
  sessionSecret();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await startup(settingsOrExit());
  console.log(`${databasePath()} is migrated and ready.`);
}
