// npm run export -- --out FILE: the whole site from the database at DATABASE_PATH (default
// data/asklog.db) in the interchange format (docs/import-format.md), with hidden asks and
// people's addresses: an admin's export. Streamed, so memory does not grow with the site.
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { exportChunks } from "~/models/export.server";
import { closeDb, databasePath } from "../db/client";
import { settingsOrExit } from "../server/env";
import { startup } from "../server/startup";

const { values } = parseArgs({ options: { out: { type: "string" } } });
if (!values.out) {
  console.error("Usage: npm run export -- --out FILE");
  process.exit(2);
}
await startup({ ...settingsOrExit(), seedDemo: false });
const started = performance.now();
await pipeline(Readable.from(exportChunks("admin")), createWriteStream(values.out));
closeDb();
console.log(`Exported ${databasePath()} to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
