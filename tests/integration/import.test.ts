import { mkdtempSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getAsk, votedAskIds } from "~/models/ask.server";
import { listComments } from "~/models/comment.server";
import { exportChunks } from "~/models/export.server";
import { type ImportReport, runImport } from "~/models/import.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { retractVote } from "~/models/vote.server";
import { openImportSource } from "~/services/import-source.server";
import { searchAsks } from "~/services/search-query.server";
import type { ImportDocument, ImportItem, ImportSource } from "~/validation/import-format";
import { closeDb, db } from "../../db/client";
import { applyMigrations } from "../../db/migrate";
import { seedDemo } from "../../db/seed";

const dir = mkdtempSync(join(tmpdir(), "asklog-import-"));
let files = 0;

function fileWith(content: string | Buffer): string {
  const path = join(dir, `import-${++files}.json`);
  writeFileSync(path, content);
  return path;
}

async function importDocument(doc: unknown, options: { dryRun?: boolean } = {}): Promise<ImportReport> {
  const source = await openImportSource(fileWith(JSON.stringify(doc)), "history.json");
  return runImport({ source, actorId: null, ...options });
}

function rowCount(table: string): number {
  return (db().$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function snapshot() {
  return [
    "asks",
    "users",
    "comments",
    "status_updates",
    "resolution_links",
    "votes",
    "teams",
    "statuses",
    "audit_entries",
  ].map((t) => [t, rowCount(t)]);
}

// The CPOR ask as another tracker holds it: three dated entries by three teams, six comments
// from partners of four organizations, a resolution link and legacy votes nobody owns.
function cporHistory(): ImportDocument {
  return {
    format: "asklog",
    version: 1,
    teams: [{ name: "Assignment Team" }, { name: "EPX" }, { name: "Program team" }],
    categories: [{ name: "Partner of Record" }],
    people: [
      { ref: "p1", name: "Raj Mehta", organization: "Dell", email: "raj@dell.example", role: "partner" },
      { ref: "p2", name: "Dana Whitfield", organization: "Contoso", role: "partner" },
      { ref: "p3", name: "Hannah Okafor", organization: "Fabrikam", role: "partner" },
      { ref: "p4", name: "Priya Raman", role: "team", team: "Assignment Team" },
      { ref: "p5", name: "Tariq Haddad", role: "team", team: "EPX" },
      { ref: "p6", name: "Marcus Olsen", role: "team", team: "Program team" },
      { ref: "p7", name: "Kofi Mensah", organization: "Northwind Traders", role: "partner" },
    ],
    asks: [
      {
        ref: "cpor-page",
        title: "A customer-facing page that explains CPOR and POE",
        body: "Partners find it hard to explain Claiming Partner of Record (CPOR) to their customers.",
        author: "p1",
        category: "Partner of Record",
        createdAt: "2021-04-20",
        sourceUrl: "https://old-tracker.example/items/123",
        status: "completed",
        votes: ["p2", "p3", { person: "p7", at: "2021-05-02T08:00:00Z" }],
        extraVotes: 4,
        statusUpdates: [
          {
            date: "2021-04-27",
            team: "Assignment Team",
            status: "under-review",
            note: "Assigning to Partner Support Team to triage.",
            author: "p4",
          },
          {
            date: "2021-05-11",
            team: "EPX",
            status: "planned",
            note: "Added to the asks shared with the OSU team for next year's planning.",
            author: "p5",
          },
          {
            date: "2021-07-23",
            team: "Program team",
            status: "completed",
            note: "A standalone customer-facing page now describes CPOR.",
            author: "p6",
            links: [{ url: "https://aka.ms/about-cpor", title: "About Claiming Partner of Record" }],
          },
        ],
        comments: [
          { author: "p1", createdAt: "2021-04-21T09:00:00Z", body: "We (Dell) requested this months ago." },
          { author: "p2", createdAt: "2021-04-22T10:00:00Z", body: "It would remove friction with customers." },
          { author: "p3", createdAt: "2021-04-23T11:00:00Z", body: "Agreed, a page we can point to." },
          { author: "p5", createdAt: "2021-05-12T12:00:00Z", body: "That is the intent.", official: true },
          { author: "p7", createdAt: "2021-06-01T13:00:00Z", body: "Looking forward to it." },
          { author: "p6", createdAt: "2021-07-24T14:00:00Z", body: "The docs page is published." },
        ],
      },
    ],
  };
}

function cporId(): number {
  const row = db().$client.prepare("SELECT id FROM asks WHERE source_ref = 'cpor-page'").get() as { id: number };
  return row.id;
}

describe("importing history", () => {
  it("brings in an ask with its dated history, comments, links and votes, findable at once", async () => {
    const report = await importDocument(cporHistory());
    expect(report.ok).toBe(true);
    expect(report.counts.asks).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.counts.people.created).toBe(7);
    expect(report.counts.statusUpdates.created).toBe(3);
    expect(report.counts.comments.created).toBe(6);
    expect(report.counts.votes.created).toBe(3);

    const ask = getAsk(cporId());
    expect(ask?.title).toBe("A customer-facing page that explains CPOR and POE");
    expect(ask?.createdAt).toBe("2021-04-20T12:00:00.000Z");
    expect(ask?.voteCount).toBe(7);
    expect(ask?.commentCount).toBe(6);
    expect(ask?.resolutionLinks.map((l) => l.url)).toEqual(["https://aka.ms/about-cpor"]);

    const updates = listStatusUpdates(cporId());
    expect(updates.map((u) => [u.aboutDate, u.team])).toEqual([
      ["2021-04-27", "Assignment Team"],
      ["2021-05-11", "EPX"],
      ["2021-07-23", "Program team"],
    ]);
    const comments = listComments(cporId());
    expect(comments).toHaveLength(6);
    expect(comments[0]?.author).toBe("Raj Mehta");

    const hits = searchAsks({ q: "OSU", page: 1, includeHidden: false });
    expect(hits.ok && hits.results.map((r) => r.id)).toEqual([cporId()]);
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = snapshot();
    const report = await importDocument(cporHistory());
    expect(report.ok).toBe(true);
    for (const kind of ["people", "asks", "statusUpdates", "comments", "votes"] as const) {
      expect(report.counts[kind].created, kind).toBe(0);
      expect(report.counts[kind].updated, kind).toBe(0);
    }
    expect(report.counts.asks.unchanged).toBe(1);
    // One more audit entry for the run itself, nothing else.
    expect(snapshot()).toEqual(before.map(([t, n]) => [t, t === "audit_entries" ? (n as number) + 1 : n]));
  });

  it("keeps what people changed here since, when the same file is imported again", async () => {
    const dana = db().$client.prepare("SELECT id FROM users WHERE source_ref = 'p2'").get() as { id: number };
    expect(retractVote({ askId: cporId(), userId: dana.id }).ok).toBe(true);
    const report = await importDocument(cporHistory());
    expect(report.counts.votes).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(getAsk(cporId())?.voteCount).toBe(6);
    expect(votedAskIds(dana.id, [cporId()])).toEqual([]);
  });

  it("updates what an edited file changed and adds what it added, without duplicates", async () => {
    const doc = cporHistory();
    const ask = doc.asks?.[0];
    if (!ask?.statusUpdates || !ask.comments) throw new Error("fixture");
    ask.statusUpdates[1] = {
      ...ask.statusUpdates[1],
      note: "Shared with the OSU team and the EPX leads.",
    } as (typeof ask.statusUpdates)[1];
    ask.comments.push({ author: "p2", createdAt: "2021-08-01T10:00:00Z", body: "Thanks, this helps." });
    const report = await importDocument(doc);
    expect(report.counts.statusUpdates).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(report.counts.comments).toEqual({ created: 1, updated: 0, unchanged: 6 });
    expect(report.counts.asks.updated).toBe(1);
    expect(listStatusUpdates(cporId()).map((u) => u.note)).toContain("Shared with the OSU team and the EPX leads.");
    expect(getAsk(cporId())?.commentCount).toBe(7);
    expect(searchAsks({ q: "leads", page: 1, includeHidden: false }).ok).toBe(true);
  });

  it("reports every error with its place and writes nothing", async () => {
    const before = snapshot();
    const doc = cporHistory() as unknown as { asks: Record<string, unknown>[]; people: unknown[] };
    const ask = doc.asks[0] as { statusUpdates: Record<string, unknown>[]; title: string; author: string };
    const valid = cporHistory().asks?.[0] as Record<string, unknown>;
    ask.statusUpdates = ask.statusUpdates.map((u, i) => (i === 1 ? { ...u, date: "2021-13-01" } : u));
    doc.asks.push({ ...valid, ref: "second", author: "nobody", status: "no-such-status" });
    doc.asks.push({ ...valid, ref: "early", statusUpdates: [{ ...ask.statusUpdates[0], date: "2021-01-01" }] });
    // Shape errors in a record hide the checks that need the whole record, so these go in a third.
    doc.asks.push({
      ...valid,
      ref: "third",
      title: "<b>Bold</b> title for an ask",
      statusUpdates: [{ ...ask.statusUpdates[2], links: [{ url: "javascript:alert(1)", title: "x" }] }],
    });
    doc.people.push({ ref: "p1", name: "Raj Again" });
    const report = await importDocument(doc);
    expect(report.ok).toBe(false);
    const lines = report.errors.map((e) => `${e.place}: ${e.message}`);
    expect(lines).toContain('asks[0].statusUpdates[1].date: "2021-13-01" is not a date (expected YYYY-MM-DD)');
    expect(lines).toContain("asks[2].statusUpdates[0].date: 2021-01-01 is before the ask was filed (2021-04-20)");
    expect(
      lines.some((l) =>
        l.startsWith('asks[3].statusUpdates[0].links[0].url: "javascript:alert(1)" is not a web address'),
      ),
    ).toBe(true);
    expect(lines).toContain("asks[3].title: the title contains markup; titles are plain text");
    expect(lines).toContain('asks[1].author: no person has the ref "nobody"; list them under people');
    expect(lines.some((l) => l.startsWith('asks[1].status: the status "no-such-status"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('people[7].ref: the ref "p1" is used twice'))).toBe(true);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a truncated file, a file that is not UTF-8 and one in another format", async () => {
    const before = snapshot();
    const text = JSON.stringify(cporHistory());
    const truncated = await runImport({
      source: await openImportSource(fileWith(text.slice(0, text.length / 2)), "cut.json"),
      actorId: null,
    });
    expect(truncated.errors.map((e) => e.message)).toEqual(["the JSON ends too soon; is the file complete?"]);
    const latin1 = await runImport({
      source: await openImportSource(fileWith(Buffer.from(text.replace("Mehta", "Müller"), "latin1")), "latin1.json"),
      actorId: null,
    });
    expect(latin1.errors[0]?.message).toMatch(/^not UTF-8 text/);
    const other = await importDocument({ format: "fider", version: 2, posts: [] });
    expect(other.errors.map((e) => `${e.place}: ${e.message}`)).toEqual([
      '.format: expected "format": "asklog"',
      '.version: expected "version": 1; this Asklog reads version 1',
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("writes nothing when the run fails halfway through writing", async () => {
    const before = snapshot();
    const doc = cporHistory();
    doc.asks = Array.from({ length: 20 }, (_, i) => ({
      ...(doc.asks?.[0] as NonNullable<ImportDocument["asks"]>[0]),
      ref: `bulk-${i}`,
    }));
    const items: ImportItem[] = [
      ...(doc.people ?? []).map((value, i) => ({ kind: "person" as const, place: `people[${i}]`, value })),
      ...doc.asks.map((value, i) => ({ kind: "ask" as const, place: `asks[${i}]`, value })),
    ];
    let reads = 0;
    const source: ImportSource = {
      name: "flaky.json",
      size: null,
      bytesRead: () => 0,
      items: async function* () {
        reads++;
        for (const [i, item] of items.entries()) {
          // The disk fails on the second read, half way through the asks.
          if (reads === 2 && i === items.length - 10) throw new Error("read error");
          yield item;
        }
      },
    };
    await expect(runImport({ source, actorId: null })).rejects.toThrow("read error");
    expect(snapshot()).toEqual(before);
  });

  it("counts in a dry run what a real run would do, and writes nothing", async () => {
    const before = snapshot();
    const doc = cporHistory();
    const ask = doc.asks?.[0];
    if (!ask) throw new Error("fixture");
    doc.asks?.push({ ...ask, ref: "another", title: "Another ask brought in by a dry run" });
    const report = await importDocument(doc, { dryRun: true });
    expect(report.ok).toBe(true);
    expect(report.counts.asks).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(snapshot()).toEqual(before);
  });

  it("numbers new asks in the order they were filed", async () => {
    const doc = cporHistory();
    const ask = doc.asks?.[0];
    if (!ask) throw new Error("fixture");
    doc.asks = [
      { ...ask, ref: "late", createdAt: "2022-03-01", statusUpdates: [], comments: [], votes: [] },
      { ...ask, ref: "early", createdAt: "2020-01-05", statusUpdates: [], comments: [], votes: [] },
    ];
    expect((await importDocument(doc)).ok).toBe(true);
    const ids = db()
      .$client.prepare("SELECT source_ref AS ref, id FROM asks WHERE source_ref IN ('late', 'early') ORDER BY id")
      .all();
    expect(ids.map((r) => (r as { ref: string }).ref)).toEqual(["early", "late"]);
  });

  // What an ask's page shows, as one row per ask: its fields, its dated history with teams,
  // statuses and links, its visible comments with authors and organizations, who follows it.
  const pageSql = `SELECT a.id, a.title, a.body, a.vote_count, a.comment_count, a.created_at, a.updated_at, a.hidden_at,
      s.slug AS status, t.name AS team, c.name AS category, u.display_name AS author,
      (SELECT group_concat(x.about_date || '|' || x.recorded_at || '|' || fs.slug || '>' || ts.slug || '|' || coalesce(xt.name, '')
        || '|' || x.note, char(10)) FROM status_updates x JOIN statuses ts ON ts.id = x.to_status_id
        LEFT JOIN statuses fs ON fs.id = x.from_status_id LEFT JOIN teams xt ON xt.id = x.team_id WHERE x.ask_id = a.id) AS history,
      (SELECT group_concat(l.url || ' ' || l.title, char(10)) FROM resolution_links l WHERE l.ask_id = a.id) AS links,
      (SELECT group_concat(cm.created_at || '|' || cu.display_name || '|' || coalesce(o.name, '') || '|' || cm.is_official
        || '|' || cm.body, char(10)) FROM comments cm JOIN users cu ON cu.id = cm.author_id
        LEFT JOIN organizations o ON o.id = cu.organization_id WHERE cm.ask_id = a.id AND cm.deleted_at IS NULL) AS comments,
      (SELECT count(*) FROM subscriptions f WHERE f.ask_id = a.id) AS followers,
      (SELECT d.title FROM asks d WHERE d.id = a.duplicate_of_id) AS merged_into
    FROM asks a JOIN statuses s ON s.id = a.status_id JOIN categories c ON c.id = a.category_id
    JOIN users u ON u.id = a.author_id LEFT JOIN teams t ON t.id = a.team_id ORDER BY a.created_at, a.title`;

  it("gives an export that imports into an empty Asklog as the same asks, counts, dates and search results", async () => {
    // The demo data too: merged, hidden and closed asks, official responses, many people.
    await seedDemo();
    const exported = join(dir, "export.json");
    await writeFile(exported, Readable.from(exportChunks("admin")));
    const original = db().$client.prepare(pageSql).all() as Record<string, unknown>[];
    const queries = ["OSU", "friction", "about-cpor", "Dell", "rebate", "Change of Channel Partner"];
    const searches = queries.map((q) => searchAsks({ q, page: 1, includeHidden: true }));
    const originalDb = process.env.DATABASE_PATH;
    closeDb();
    process.env.DATABASE_PATH = join(dir, "round-trip.db");
    try {
      applyMigrations();
      const report = await runImport({ source: await openImportSource(exported), actorId: null });
      expect(report.errors).toEqual([]);
      const copy = db().$client.prepare(pageSql).all() as Record<string, unknown>[];
      expect(copy.map(({ id: _, ...rest }) => rest)).toEqual(original.map(({ id: _, ...rest }) => rest));
      const titleOf = (id: number) => copy.find((a) => a.id === id)?.title;
      const originalTitle = (id: number) => original.find((a) => a.id === id)?.title;
      queries.forEach((q, i) => {
        const again = searchAsks({ q, page: 1, includeHidden: true });
        const before = searches[i];
        expect(again.ok && again.results.map((r) => titleOf(r.id)), q).toEqual(
          before?.ok && before.results.map((r) => originalTitle(r.id)),
        );
      });
    } finally {
      closeDb();
      process.env.DATABASE_PATH = originalDb;
    }
  });
});
