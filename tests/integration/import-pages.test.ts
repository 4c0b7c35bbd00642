import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listAsks } from "~/models/ask.server";
import {
  claimQueuedImport,
  executeImportRun,
  getImportRun,
  importUploadDir,
  listImportRuns,
  queueImport,
} from "~/models/import-run.server";
import type { User } from "~/models/user.server";
import * as layout from "~/routes/admin";
import * as importPage from "~/routes/admin.import";
import * as runPage from "~/routes/admin.import_.$id";
import * as ask from "~/routes/asks.$ask";
import { args, loaded, locationOf, replyData, route, run, signedIn, statusOf } from "./helpers";

// A limit small enough to cross with a test file; read by settings() when the page first asks.
process.env.IMPORT_MAX_BYTES = "4096";

let admin: { user: User; cookie: string };
let partner: { cookie: string };
let teamMember: { cookie: string };
beforeAll(async () => {
  admin = await signedIn("admin");
  partner = await signedIn("member");
  teamMember = await signedIn("team", "EPX");
});

const goodFile = JSON.stringify({
  format: "asklog",
  version: 1,
  people: [{ ref: "p1", name: "Raj Mehta", organization: "Dell" }],
  asks: [
    {
      ref: "cpor-page",
      title: "A customer-facing page that explains CPOR",
      body: "Partners want a page they can point customers to.",
      author: "p1",
      category: "Partner of Record",
      createdAt: "2021-04-20",
      sourceUrl: "https://old-tracker.example/items/123",
      extraVotes: 4,
    },
  ],
});

// What a browser sends for the upload form: multipart, with the size stated (the edge insists on it).
function uploadRequest(
  cookie: string,
  {
    name = "history.json",
    content = goodFile,
    dryRun = true,
    length,
  }: Partial<{ name: string; content: string; dryRun: boolean; length: number }> = {},
): Request {
  const form = new FormData();
  form.append("file", new File([content], name, { type: "application/json" }));
  if (dryRun) form.append("dryRun", "on");
  const probe = new Response(form);
  const type = probe.headers.get("Content-Type") ?? "";
  return new Request("http://localhost/admin/import", {
    method: "POST",
    headers: {
      Cookie: cookie,
      "Content-Type": type,
      ...(length === undefined ? {} : { "Content-Length": String(length) }),
    },
    body: probe.body,
    duplex: "half",
  } as RequestInit);
}

const upload = (request: Request) => run(importPage.action, args(request));
const runAt = (id: number) => route(runPage, `/admin/import/${id}`, { id: String(id) });

type UploadReply = { intent: string; errors: { file?: string } };

describe("who may import and export", () => {
  it("refuses the import page and its upload to partners and team members", async () => {
    for (const { cookie } of [partner, teamMember]) {
      expect(statusOf(await route(importPage, "/admin/import").load(cookie))).toBe(403);
      expect(statusOf(await upload(uploadRequest(cookie)))).toBe(403);
    }
    expect(listImportRuns().length).toBe(0);
  });

  it("offers Import and Export in the admin navigation to admins", async () => {
    const { sections } = await loaded(route(layout, "/admin").load(admin.cookie));
    expect(sections.map((s) => s.label)).toEqual(expect.arrayContaining(["Import", "Export"]));
  });
});

describe("uploading a file", () => {
  it("names the size limit under the form", async () => {
    const page = await loaded(route(importPage, "/admin/import").load(admin.cookie));
    expect(page.maxBytes).toBe(4096);
  });

  it("refuses a file over the limit from its stated size, before reading it, and queues nothing", async () => {
    const before = listImportRuns().length;
    const files = readdirSync(importUploadDir()).length;
    const reply = await upload(uploadRequest(admin.cookie, { length: 2 * 1024 ** 3 }));
    expect(statusOf(reply)).toBe(413);
    expect(replyData<UploadReply>(reply).errors.file).toBe("The file is 2.0 GB; the limit is 4.0 KB.");
    expect(listImportRuns().length).toBe(before);
    expect(readdirSync(importUploadDir()).length).toBe(files);
  });

  it("stops a file that grows past the limit while it streams in, and keeps none of it", async () => {
    const before = listImportRuns().length;
    const files = readdirSync(importUploadDir()).length;
    // The stated size is small; the body is not.
    const reply = await upload(uploadRequest(admin.cookie, { content: "x".repeat(10_000), length: 1000 }));
    expect(statusOf(reply)).toBe(413);
    expect(replyData<UploadReply>(reply).errors.file).toMatch(/the limit is 4\.0 KB\.$/);
    expect(listImportRuns().length).toBe(before);
    expect(readdirSync(importUploadDir()).length).toBe(files);
  });

  it("keeps the usual size limit for its small forms", async () => {
    const request = new Request("http://localhost/admin/import", {
      method: "POST",
      headers: {
        Cookie: admin.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(2 * 1024 * 1024),
      },
      body: "intent=import-checked&runId=1",
    });
    expect(statusOf(await upload(request))).toBe(413);
  });

  it("refuses a file that is neither JSON nor a zip", async () => {
    const reply = await upload(uploadRequest(admin.cookie, { name: "history.xlsx" }));
    expect(statusOf(reply)).toBe(400);
    expect(replyData<UploadReply>(reply).errors.file).toBe("history.xlsx is not a .json or .zip file.");
  });

  it("queues the upload and goes to its run, which refreshes itself while it waits", async () => {
    const reply = await upload(uploadRequest(admin.cookie));
    const location = locationOf(reply) ?? "";
    expect(location).toMatch(/^\/admin\/import\/\d+$/);
    const id = Number(location.split("/").pop());
    const page = await loaded(runAt(id).load(admin.cookie));
    expect(page.run).toMatchObject({
      fileName: "history.json",
      dryRun: true,
      state: "queued",
      actorName: admin.user.displayName,
    });
    expect(page.refreshSeconds).toBe(2);
    // The list under the form shows it.
    const list = await loaded(route(importPage, "/admin/import").load(admin.cookie));
    expect(list.runs[0]).toMatchObject({ id, fileName: "history.json", state: "queued" });
    await finishQueued();
  });
});

// What the worker does with the queue, run here in the test's own process.
async function finishQueued(): Promise<void> {
  for (let claimed = claimQueuedImport(); claimed; claimed = claimQueuedImport()) await executeImportRun(claimed.id);
}

function queued(content: string, dryRun: boolean, name = "history.json"): number {
  const path = join(importUploadDir(), `${Date.now()}-${Math.random()}.json`);
  writeFileSync(path, content);
  return queueImport({ actorId: admin.user.id, fileName: name, filePath: path, dryRun });
}

describe("a run's page", () => {
  it("shows a checked dry run's counts without refreshing, and imports the same file for real from there", async () => {
    const id = queued(goodFile, true);
    await finishQueued();
    const page = await loaded(runAt(id).load(admin.cookie));
    expect(page.run.state).toBe("done");
    expect(page.run.report?.counts.asks).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(page.refreshSeconds).toBeNull();

    const again = await route(importPage, "/admin/import").post(
      { intent: "import-checked", runId: String(id) },
      admin.cookie,
    );
    const realId = Number((locationOf(again) ?? "").split("/").pop());
    expect(realId).not.toBe(id);
    expect(getImportRun(realId)).toMatchObject({ dryRun: false, state: "queued", fileName: "history.json" });
    await finishQueued();
    expect(getImportRun(realId)?.report?.counts.asks).toEqual({ created: 1, updated: 0, unchanged: 0 });

    // The ask's page says where it came from and that four of its votes have no voter.
    const imported = listAsks({ sort: "newest", page: 1, includeHidden: true }).asks.find(
      (a) => a.title === "A customer-facing page that explains CPOR",
    );
    if (!imported) throw new Error("the import wrote no ask");
    const param = `${imported.id}-${imported.slug}`;
    const askPage = await loaded(route(ask, `/asks/${param}`, { ask: param }).load());
    expect(askPage.ask).toMatchObject({
      sourceUrl: "https://old-tracker.example/items/123",
      extraVotes: 4,
      voteCount: 4,
    });
    expect(askPage.viewer.canExport).toBe(true);
  });

  it("lists a failed run's errors with their places, and how many more there were", async () => {
    const asks = Array.from({ length: 120 }, (_, i) => ({
      ref: `a${i}`,
      title: "An ask",
      body: "Text.",
      author: "nobody",
      category: "Partner of Record",
      createdAt: "2021-13-01",
    }));
    const id = queued(JSON.stringify({ format: "asklog", version: 1, asks }), false, "broken.json");
    await finishQueued();
    const page = await loaded(runAt(id).load(admin.cookie));
    expect(page.run.state).toBe("failed");
    const report = page.run.report;
    expect(report?.errors[0]).toEqual({
      place: "asks[0].createdAt",
      message: expect.stringContaining('"2021-13-01" is not a date'),
    });
    expect(report?.errors.length).toBe(100);
    expect(report?.errorCount).toBeGreaterThan(100);
    expect(page.maxBytes).toBe(4096);
  });

  it("cannot import a failed run's file again through the dry-run button", async () => {
    const id = queued("{ not json", true, "broken.json");
    await finishQueued();
    const reply = await route(importPage, "/admin/import").post(
      { intent: "import-checked", runId: String(id) },
      admin.cookie,
    );
    expect(statusOf(reply)).toBe(400);
    expect(replyData<{ errors: { form?: string } }>(reply).errors.form).toMatch(/cannot be imported/);
  });

  it("is 404 for a run that does not exist, and 403 for a partner", async () => {
    expect(statusOf(await runAt(999_999).load(admin.cookie))).toBe(404);
    expect(statusOf(await route(runPage, "/admin/import/x", { id: "x" }).load(admin.cookie))).toBe(404);
    const id = queued(goodFile, true);
    expect(statusOf(await runAt(id).load(partner.cookie))).toBe(403);
    await finishQueued();
  });
});
