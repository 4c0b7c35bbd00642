// npm run import -- FILE_OR_FOLDER [--dry-run]: brings history into the database at
// DATABASE_PATH (default data/asklog.db) from a file in the interchange format
// (docs/import-format.md), or a folder or .zip of CSV files. The database is created and
// migrated first if it does not exist yet (without demo data). Exits with 1 on any error,
// and then nothing was written.
import { parseArgs } from "node:util";
import { type ImportProgress, type ImportReport, importKinds, runImport } from "~/models/import.server";
import { ImportSourceError, openImportSource } from "~/services/import-source.server";
import { closeDb, databasePath } from "../db/client";
import { settingsOrExit } from "../server/env";
import { startup } from "../server/startup";

const { values, positionals } = parseArgs({
  options: { "dry-run": { type: "boolean", default: false } },
  allowPositionals: true,
});
const path = positionals[0];
if (!path || positionals.length > 1) {
  console.error("Usage: npm run import -- FILE_OR_FOLDER [--dry-run]");
  process.exit(2);
}

await startup({ ...settingsOrExit(), seedDemo: false });
const progress = progressPrinter();
let report: ImportReport;
try {
  const source = await openImportSource(path);
  report = await runImport({ source, actorId: null, dryRun: values["dry-run"], onProgress: progress.show });
} catch (error) {
  if (!(error instanceof ImportSourceError)) throw error;
  console.error(error.message);
  process.exit(1);
} finally {
  progress.done();
  closeDb();
}

if (!report.ok) {
  console.error(
    `${report.source}: ${report.errorCount.toLocaleString("en")} error${report.errorCount === 1 ? "" : "s"}; nothing was imported.`,
  );
  for (const e of report.errors) console.error(`  ${e.place}: ${e.message}`);
  if (report.errorCount > report.errors.length) {
    console.error(`  … and ${(report.errorCount - report.errors.length).toLocaleString("en")} more`);
  }
  process.exit(1);
}
console.log(
  `${report.dryRun ? "Checked (dry run, nothing written)" : "Imported"} ${report.source} into ${databasePath()} in ${report.seconds} s`,
);
console.log(`  ${"".padEnd(14)}${"created".padStart(10)}${"updated".padStart(10)}${"unchanged".padStart(11)}`);
for (const kind of importKinds) {
  const c = report.counts[kind];
  console.log(
    `  ${kind.padEnd(14)}${c.created.toLocaleString("en").padStart(10)}${c.updated.toLocaleString("en").padStart(10)}${c.unchanged.toLocaleString("en").padStart(11)}`,
  );
}

// A bar with counts and the time left on a terminal; a plain line every few seconds otherwise
// (a log file, CI), so the output stays readable either way.
function progressPrinter() {
  const tty = process.stderr.isTTY;
  const phaseStart = new Map<string, number>();
  let lastLine = 0;
  let shown = false;
  return {
    show(p: ImportProgress) {
      const now = performance.now();
      if (!phaseStart.has(p.phase)) phaseStart.set(p.phase, now);
      const fraction = p.size ? Math.min(1, p.bytesRead / p.size) : null;
      const elapsed = (now - (phaseStart.get(p.phase) ?? now)) / 1000;
      const eta = fraction && fraction > 0.01 ? Math.round((elapsed / fraction) * (1 - fraction)) : null;
      const label = p.phase === "checking" ? "Checking" : "Writing ";
      const counts = `${p.records.toLocaleString("en")} records${eta !== null ? `, about ${eta} s left` : ""}`;
      if (tty) {
        const width = 30;
        const filled = Math.round((fraction ?? 0) * width);
        const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
        process.stderr.write(
          `\r${label} ${bar} ${fraction === null ? "" : `${Math.round(fraction * 100)}% `}${counts}\x1b[K`,
        );
        shown = true;
      } else if (now - lastLine > 5000) {
        lastLine = now;
        console.error(`${label.trim()}: ${fraction === null ? "" : `${Math.round(fraction * 100)}%, `}${counts}`);
      }
    },
    done() {
      if (shown) process.stderr.write("\n");
    },
  };
}
