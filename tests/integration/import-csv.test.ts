import { createWriteStream, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { finished } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import { getAsk } from "~/models/ask.server";
import { listComments } from "~/models/comment.server";
import { runImport } from "~/models/import.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { csvSource } from "~/services/import-csv.server";
import { openImportSource } from "~/services/import-source.server";
import { ImportSourceError } from "~/services/import-source-error.server";
import type { ImportItem, ImportSource } from "~/validation/import-format";
import { db } from "../../db/client";

const dir = mkdtempSync(join(tmpdir(), "asklog-import-csv-"));
let made = 0;

type Files = Record<string, string | Buffer>;

function folderWith(files: Files): string {
  const folder = join(dir, `folder-${++made}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  mkdirSync(folder, { recursive: true });
  return folder;
}

async function zipWith(files: Files): Promise<string> {
  const path = join(dir, `history-${++made}.zip`);
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith("/")) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  }
  zip.end();
  await finished(zip.outputStream.pipe(createWriteStream(path)));
  return path;
}

async function itemsOf(source: ImportSource): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of source.items()) items.push(item);
  return items;
}

async function failureOf(source: ImportSource): Promise<string> {
  const error = await itemsOf(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportSourceError);
  return (error as Error).message;
}

const asksHeader = "ref,title,body,author_name,author_email,organization,category,created_at,status,votes";
const askRow = (ref: string, status = "", votes = "") =>
  `${ref},Title of ${ref},Body of ${ref},Raj Mehta,raj@dell.example,Dell,Partner of Record,2021-04-20,${status},${votes}`;

describe("reading history from CSV files", () => {
  it("reads a spreadsheet saved on Windows: BOM, CRLF, mixed-case headers and quoted line breaks", async () => {
    const asks = [
      " Ref ,TITLE,Body,Author_Name,Author_Email,Organization,Category,Created_At,Status,Votes",
      'cpor-page,"A page that explains CPOR, for customers","Partners find it hard.',
      "",
      '""CPOR"" needs a page.",Raj Mehta,Raj@Dell.example,Dell,Partner of Record,2021-04-20,completed,4',
      "second,Second ask,Short body,Dana Whitfield,,Contoso,Partner of Record,2021-05-02T10:00:00Z,,",
    ].join("\r\n");
    const source = await csvSource(
      folderWith({ "asks.csv": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${asks}\r\n`)]) }),
    );
    expect(await itemsOf(source)).toEqual([
      {
        kind: "person",
        place: "asks.csv:2",
        value: { ref: "email:raj@dell.example", name: "Raj Mehta", organization: "Dell", email: "Raj@Dell.example" },
      },
      {
        kind: "ask",
        place: "asks.csv:2",
        value: {
          ref: "cpor-page",
          title: "A page that explains CPOR, for customers",
          body: 'Partners find it hard.\n\n"CPOR" needs a page.',
          author: "email:raj@dell.example",
          category: "Partner of Record",
          createdAt: "2021-04-20",
          status: "completed",
          extraVotes: 4,
        },
      },
      {
        kind: "person",
        place: "asks.csv:5",
        value: { ref: "name:Dana Whitfield|Contoso", name: "Dana Whitfield", organization: "Contoso" },
      },
      {
        kind: "ask",
        place: "asks.csv:5",
        value: {
          ref: "second",
          title: "Second ask",
          body: "Short body",
          author: "name:Dana Whitfield|Contoso",
          category: "Partner of Record",
          createdAt: "2021-05-02T10:00:00Z",
        },
      },
    ]);
  });

  it("gives each record the line it starts on, past empty lines and blank rows", async () => {
    const asks = [
      asksHeader,
      "",
      askRow("a"),
      '"b",Title b,"two',
      'lines",,,,Cat,2021-01-01,,',
      ",,,,,,,,,",
      askRow("c"),
    ];
    const items = await itemsOf(await csvSource(folderWith({ "asks.csv": asks.join("\n") })));
    expect(items.filter((i) => i.kind === "ask").map((i) => i.place)).toEqual([
      "asks.csv:3",
      "asks.csv:4",
      "asks.csv:7",
    ]);
  });

  it("passes on what it cannot read as it is, so the importer's check names it", async () => {
    const asks = [asksHeader, askRow("a", "", '"1,200"'), ",,,,,,,,open,"].join("\n");
    const items = await itemsOf(await csvSource(folderWith({ "asks.csv": asks })));
    const asksRead = items.filter((i) => i.kind === "ask").map((i) => i.value);
    expect(asksRead[0]).toMatchObject({ extraVotes: "1,200" });
    // No author name: no person, and an empty author the importer reports.
    expect(items.filter((i) => i.kind === "person")).toHaveLength(1);
    expect(asksRead[1]).toEqual({
      ref: "",
      title: "",
      body: "",
      author: "",
      category: "",
      createdAt: "",
      status: "open",
    });
  });

  it("merges link rows into their update, and names each person once across files", async () => {
    const folder = folderWith({
      "asks.csv": [asksHeader, askRow("a"), askRow("b")].join("\n"),
      "Status-Updates.CSV": [
        "ask_ref,date,team,status,note,link_url,link_title",
        "a,2021-07-23,Program team,completed,A page now describes CPOR.,https://aka.ms/about-cpor,About CPOR",
        "a,2021-07-23,Program team,completed,,https://aka.ms/poe,About POE",
        "a,2021-07-23,Program team,completed,,https://aka.ms/faq,FAQ",
        "b,2021-05-11,,planned,Planned for next year.,,",
        "b,2021-05-12,EPX,planned,,https://example.com/x,",
      ].join("\n"),
      "comments.csv": [
        "ask_ref,author_name,author_email,organization,created_at,body",
        "a,Raj Mehta,RAJ@dell.example,Dell,2021-04-21T09:00:00Z,We asked for this.",
        "a,Hannah Okafor,,Fabrikam,2021-04-22T09:00:00Z,Agreed.",
        "b,Hannah Okafor,,Fabrikam,2021-04-23T09:00:00Z,Me too.",
      ].join("\n"),
    });
    const items = await itemsOf(await csvSource(folder));
    expect(items.map((i) => `${i.kind} ${i.place}`)).toEqual([
      "person asks.csv:2",
      "ask asks.csv:2",
      "ask asks.csv:3",
      "statusUpdate status-updates.csv:2",
      "statusUpdate status-updates.csv:5",
      "statusUpdate status-updates.csv:6",
      "comment comments.csv:2",
      "person comments.csv:3",
      "comment comments.csv:3",
      "comment comments.csv:4",
    ]);
    const updates = items.filter((i) => i.kind === "statusUpdate").map((i) => i.value);
    expect(updates[0]).toEqual({
      ask: "a",
      date: "2021-07-23",
      team: "Program team",
      status: "completed",
      note: "A page now describes CPOR.",
      links: [
        { url: "https://aka.ms/about-cpor", title: "About CPOR" },
        { url: "https://aka.ms/poe", title: "About POE" },
        { url: "https://aka.ms/faq", title: "FAQ" },
      ],
    });
    expect(updates[1]).toEqual({ ask: "b", date: "2021-05-11", status: "planned", note: "Planned for next year." });
    // A row with an empty note for another day is an update of its own, reported as such.
    expect(updates[2]).toMatchObject({
      date: "2021-05-12",
      note: "",
      links: [{ url: "https://example.com/x", title: "" }],
    });
    expect(items.filter((i) => i.kind === "comment").map((i) => (i.value as { author: string }).author)).toEqual([
      "email:raj@dell.example",
      "name:Hannah Okafor|Fabrikam",
      "name:Hannah Okafor|Fabrikam",
    ]);
  });

  it("reads a zip whose files are in one top folder, twice, and counts its bytes", async () => {
    const path = await zipWith({
      "__MACOSX/export/._asks.csv": "not a CSV file",
      "export/": "",
      "export/ASKS.csv": [asksHeader, askRow("a")].join("\n"),
      "export/comments.csv": [
        "ask_ref,author_name,author_email,organization,created_at,body",
        `a,Raj Mehta,raj@dell.example,Dell,2021-04-21T09:00:00Z,"${"A long comment. ".repeat(500)}"`,
      ].join("\n"),
    });
    const source = await csvSource(path);
    expect(source.name).toBe(path.split("/").at(-1));
    expect(source.size).toBe(statSync(path).size);
    const seen: number[] = [];
    const first: ImportItem[] = [];
    for await (const item of source.items()) {
      first.push(item);
      seen.push(source.bytesRead());
    }
    expect(first.map((i) => `${i.kind} ${i.place}`)).toEqual([
      "person asks.csv:2",
      "ask asks.csv:2",
      "comment comments.csv:2",
    ]);
    expect(seen.every((n, i) => n <= source.size! && n >= (seen[i - 1] ?? 0))).toBe(true);
    expect(source.bytesRead()).toBe(source.size);
    expect(await itemsOf(source)).toEqual(first);
  });

  it("refuses a folder or zip without asks.csv, naming the files it expects", async () => {
    const expected =
      "no asks.csv in it (expected asks.csv and, if you have them, status-updates.csv and comments.csv, at the top or in one folder)";
    await expect(csvSource(folderWith({ "comments.csv": "ask_ref" }))).rejects.toThrow(
      new ImportSourceError(`folder-${made}: ${expected}`),
    );
    const zip = await zipWith({ "a/b/asks.csv": asksHeader });
    await expect(csvSource(zip)).rejects.toThrow(`${zip.split("/").at(-1)}: ${expected}`);
    const notZip = join(dir, "broken.zip");
    writeFileSync(notZip, "PK but not really");
    await expect(csvSource(notZip)).rejects.toThrow(/^broken\.zip: not a readable zip file/);
  });

  it("names a missing column, the file and the columns it expects", async () => {
    const source = await csvSource(
      folderWith({
        "asks.csv": [asksHeader, askRow("a")].join("\n"),
        "comments.csv": "Author_Name,author_email,organization,created_at,body\nRaj,,,2021-01-01,Hi",
      }),
    );
    expect(await failureOf(source)).toBe(
      'comments.csv: the header has no "ask_ref" column (expected ask_ref, author_name, author_email, organization, created_at, body)',
    );
    const semicolons = await csvSource(folderWith({ "asks.csv": asksHeader.replaceAll(",", ";") }));
    expect(await failureOf(semicolons)).toMatch(
      /^asks\.csv: the header has no "ref", "title", .* or "created_at" columns \(expected ref, .*\); save the file with commas between cells$/,
    );
    expect(await failureOf(await csvSource(folderWith({ "asks.csv": "" })))).toMatch(/^asks\.csv: the file is empty/);
  });

  it("names the file and line of a quote that is never closed, and of a row with too many cells", async () => {
    const unclosed = [asksHeader, askRow("a"), `b,"Title that never ends,Body`, askRow("c"), askRow("d")].join("\r\n");
    expect(await failureOf(await csvSource(folderWith({ "asks.csv": unclosed })))).toBe(
      'asks.csv:3: a cell opens a quote (") that is never closed; the rest of the file was read as that one cell',
    );
    const wide = [asksHeader, askRow("a"), `${askRow("b")},extra`].join("\n");
    expect(await failureOf(await csvSource(folderWith({ "asks.csv": wide })))).toMatch(/^asks\.csv:3: this row has/);
  });

  it("refuses a file that is not UTF-8 and says where the first bad byte is", async () => {
    const text = [asksHeader, askRow("a").replace("Raj Mehta", "Raj Müller")].join("\n");
    const offset = text.indexOf("ü");
    const source = await csvSource(folderWith({ "asks.csv": Buffer.from(text, "latin1") }));
    expect(await failureOf(source)).toBe(
      `asks.csv: not UTF-8 text (first bad byte at offset ${offset}); save the file as UTF-8`,
    );
    // Characters split between two reads of a long file are whole characters.
    const long = [asksHeader, askRow("a").replace("Body of a", `"${"€ü".repeat(200_000)}"`)].join("\n");
    const read = await itemsOf(await csvSource(folderWith({ "asks.csv": long })));
    expect((read[1]?.value as { body?: string } | undefined)?.body).toHaveLength(400_000);
    // A multi-byte character cut off by the end of the file is as bad.
    const cut = Buffer.concat([Buffer.from(text), Buffer.from("\n€").subarray(0, 3)]);
    expect(await failureOf(await csvSource(folderWith({ "asks.csv": cut })))).toBe(
      `asks.csv: not UTF-8 text (first bad byte at offset ${Buffer.byteLength(text) + 1}); save the file as UTF-8`,
    );
  });
});

describe("importing history from CSV files", () => {
  const history = () => ({
    "asks.csv": `\ufeff${[
      "Ref,Title,Body,Author_Name,Author_Email,Organization,Category,Created_At,Status,Votes",
      'csv-cpor,A customer page about CPOR from a spreadsheet,"Partners find CPOR hard to explain.',
      "",
      'A page would help.",Raj Mehta,raj@csv-dell.example,Dell,Partner of Record,2021-04-20,completed,4',
    ].join("\r\n")}\r\n`,
    "status-updates.csv": [
      "ask_ref,date,team,status,note,link_url,link_title",
      "csv-cpor,2021-04-27,Assignment Team,under-review,Assigning to the support team.,,",
      "csv-cpor,2021-07-23,Program team,completed,A standalone page now describes CPOR.,https://aka.ms/about-cpor,About CPOR",
      "csv-cpor,2021-07-23,Program team,completed,,https://aka.ms/about-poe,About POE",
    ].join("\r\n"),
    "comments.csv": [
      "ask_ref,author_name,author_email,organization,created_at,body",
      'csv-cpor,Hannah Okafor,,Fabrikam,2021-04-22T11:00:00Z,"Agreed,',
      'a page we can point to."',
      "csv-cpor,Raj Mehta,raj@csv-dell.example,Dell,2021-04-23T09:00:00Z,We asked for this months ago.",
    ].join("\r\n"),
  });
  const askId = () =>
    (db().$client.prepare("SELECT id FROM asks WHERE source_ref = 'csv-cpor'").get() as { id: number }).id;

  it("shows the ask with its dated updates, merged links, comments and legacy votes", async () => {
    const report = await runImport({ source: await openImportSource(folderWith(history())), actorId: null });
    expect(report.errors).toEqual([]);
    expect(report.counts.asks.created).toBe(1);
    expect(report.counts.people.created).toBe(2);
    expect(report.counts.statusUpdates.created).toBe(2);
    expect(report.counts.comments.created).toBe(2);

    const ask = getAsk(askId());
    expect(ask?.title).toBe("A customer page about CPOR from a spreadsheet");
    expect(ask?.body).toBe("Partners find CPOR hard to explain.\n\nA page would help.");
    expect(ask?.createdAt).toBe("2021-04-20T12:00:00.000Z");
    expect(ask?.status.slug).toBe("completed");
    expect(ask?.voteCount).toBe(4);
    expect(ask?.extraVotes).toBe(4);
    expect(listStatusUpdates(askId()).map((u) => [u.aboutDate, u.team, u.toStatus.slug, u.links.length])).toEqual([
      ["2021-04-27", "Assignment Team", "under-review", 0],
      ["2021-07-23", "Program team", "completed", 2],
    ]);
    expect(listComments(askId()).map((c) => [c.author, c.organization, c.body])).toEqual([
      ["Hannah Okafor", "Fabrikam", "Agreed,\na page we can point to."],
      ["Raj Mehta", "Dell", "We asked for this months ago."],
    ]);
  });

  it("reports everything unchanged when the same zip is imported again", async () => {
    const report = await runImport({ source: await openImportSource(await zipWith(history())), actorId: null });
    expect(report.errors).toEqual([]);
    for (const kind of ["people", "asks", "statusUpdates", "comments"] as const) {
      expect(report.counts[kind], kind).toMatchObject({ created: 0, updated: 0 });
    }
    expect(report.counts.asks.unchanged).toBe(1);
    expect(report.counts.statusUpdates.unchanged).toBe(2);
    expect(report.counts.comments.unchanged).toBe(2);
    expect(listComments(askId())).toHaveLength(2);
  });

  it("reports errors at the file and line they come from, and writes nothing", async () => {
    const files = history();
    files["comments.csv"] += "\r\nx9,Raj Mehta,raj@csv-dell.example,Dell,2021-13-01,Orphan comment.";
    const before = listComments(askId()).length;
    const report = await runImport({ source: await openImportSource(folderWith(files)), actorId: null });
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => `${e.place}: ${e.message}`)).toEqual([
      expect.stringMatching(/^comments\.csv:5\.createdAt: "2021-13-01" is not a date/),
    ]);
    files["comments.csv"] = files["comments.csv"].replace("2021-13-01", "2021-12-01");
    const unknownAsk = await runImport({ source: await openImportSource(folderWith(files)), actorId: null });
    expect(unknownAsk.errors.map((e) => `${e.place}: ${e.message}`)).toEqual([
      'comments.csv:5.ask: no ask in this file has the ref "x9"',
    ]);
    expect(listComments(askId())).toHaveLength(before);
  });
});
