import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkedFileKeptMs,
  claimQueuedImport,
  executeImportRun,
  forgetOldCheckedFiles,
  getImportRun,
  importAfterDryRun,
  importUploadDir,
  queueImport,
  requeueStalledImports,
  staleAfterMs,
} from "~/models/import-run.server";
import { makeUser } from "./helpers";

let uploads = 0;
function upload(doc: unknown): string {
  const path = join(importUploadDir(), `upload-${++uploads}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const history = (title: string) => ({
  format: "asklog",
  version: 1,
  people: [{ ref: "r1", name: "Raj Mehta", organization: "Dell" }],
  asks: [
    {
      ref: `run-${title}`,
      title,
      body: "Imported through the queue.",
      author: "r1",
      category: "General",
      createdAt: "2021-04-20",
    },
  ],
});

async function runNext(): Promise<number> {
  const claimed = claimQueuedImport();
  if (!claimed) throw new Error("nothing queued");
  await executeImportRun(claimed.id);
  return claimed.id;
}

describe("import runs from the admin page", () => {
  it("runs a queued upload once, records who ran it, and removes the upload", async () => {
    const admin = await makeUser({ role: "admin" });
    const filePath = upload(history("An ask imported from the queue"));
    const id = queueImport({ actorId: admin.id, fileName: "history.json", filePath, dryRun: false });
    expect(getImportRun(id)?.state).toBe("queued");
    await runNext();
    const run = getImportRun(id);
    expect(run?.state).toBe("done");
    expect(run?.actorName).toBe(admin.displayName);
    expect(run?.report?.counts.asks.created).toBe(1);
    expect(existsSync(filePath)).toBe(false);
    expect(claimQueuedImport()).toBeUndefined();
  });

  it("keeps a failed run's errors and writes nothing", async () => {
    const admin = await makeUser({ role: "admin" });
    const doc = history("A broken ask in a file with a bad date");
    doc.asks[0] = { ...doc.asks[0], createdAt: "2021-13-45" } as (typeof doc.asks)[0];
    const id = queueImport({ actorId: admin.id, fileName: "broken.json", filePath: upload(doc), dryRun: false });
    await runNext();
    const run = getImportRun(id);
    expect(run?.state).toBe("failed");
    expect(run?.report?.errors).toEqual([
      {
        place: "asks[0].createdAt",
        message: '"2021-13-45" is not a date (expected YYYY-MM-DD or an ISO date-time such as 2021-05-01T10:00:00Z)',
      },
    ]);
    expect(run?.report?.counts.asks.created).toBe(0);
  });

  it("imports a checked file for real only after a clean dry run", async () => {
    const admin = await makeUser({ role: "admin" });
    const filePath = upload(history("An ask checked before it was imported"));
    const dry = queueImport({ actorId: admin.id, fileName: "checked.json", filePath, dryRun: true });
    await runNext();
    expect(getImportRun(dry)?.report?.counts.asks.created).toBe(1);
    expect(existsSync(filePath)).toBe(true);
    const real = importAfterDryRun({ runId: dry, actorId: admin.id });
    if (real === undefined) throw new Error("expected a new run");
    await runNext();
    expect(getImportRun(real)?.state).toBe("done");
    expect(getImportRun(real)?.report?.counts.asks.created).toBe(1);
    // The real run used the stored file up; a second "import it now" has nothing to import.
    expect(importAfterDryRun({ runId: real, actorId: admin.id })).toBeUndefined();
  });

  it("keeps a clean dry run's file for a week, then removes it and says so", async () => {
    const admin = await makeUser({ role: "admin" });
    const filePath = upload(history("An ask checked and never imported"));
    const dry = queueImport({ actorId: admin.id, fileName: "forgotten.json", filePath, dryRun: true });
    await runNext();
    const finished = Date.parse(getImportRun(dry)?.finishedAt ?? "");
    expect(forgetOldCheckedFiles(finished + checkedFileKeptMs - 60_000)).toBe(0);
    expect(getImportRun(dry)?.fileKept).toBe(true);
    expect(forgetOldCheckedFiles(finished + checkedFileKeptMs + 60_000)).toBe(1);
    expect(existsSync(filePath)).toBe(false);
    expect(getImportRun(dry)?.fileKept).toBe(false);
    expect(importAfterDryRun({ runId: dry, actorId: admin.id })).toBeUndefined();
  });

  it("puts a run whose process died back in the queue once its heartbeat is stale", async () => {
    const admin = await makeUser({ role: "admin" });
    const filePath = upload(history("An ask whose import was interrupted"));
    const id = queueImport({ actorId: admin.id, fileName: "interrupted.json", filePath, dryRun: false });
    expect(claimQueuedImport()?.id).toBe(id);
    // A heartbeat from a process that is gone.
    const beat = `${filePath}.progress.json`;
    writeFileSync(beat, JSON.stringify({ phase: "writing", records: 10, bytesRead: 100, size: 200 }));
    expect(getImportRun(id)?.progress?.phase).toBe("writing");
    expect(requeueStalledImports()).toBe(0);
    const old = (Date.now() - staleAfterMs - 1000) / 1000;
    utimesSync(beat, old, old);
    expect(requeueStalledImports()).toBe(1);
    expect(getImportRun(id)?.state).toBe("queued");
    await runNext();
    expect(getImportRun(id)?.state).toBe("done");
  });
});
