import { isUtf8 } from "node:buffer";
import type { Dirent } from "node:fs";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join, posix } from "node:path";
import { pipeline, Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import type { ImportItem, ImportSource } from "~/validation/import-format";
import { ImportSourceError } from "./import-source-error.server";

// History kept in a spreadsheet: a folder or a .zip of CSV files (docs/import-format.md),
// read as a stream one row at a time and handed to the importer as the records the JSON
// format holds, so both are checked and written by the same code.

type CsvKind = "asks" | "statusUpdates" | "comments";
type CsvFile = { name: string; required: readonly string[]; optional: readonly string[] };

const csvFiles: Record<CsvKind, CsvFile> = {
  asks: {
    name: "asks.csv",
    required: ["ref", "title", "body", "author_name", "category", "created_at"],
    optional: ["author_email", "organization", "status", "votes"],
  },
  statusUpdates: {
    name: "status-updates.csv",
    required: ["ask_ref", "date", "status", "note"],
    optional: ["team", "link_url", "link_title"],
  },
  comments: {
    name: "comments.csv",
    required: ["ask_ref", "author_name", "created_at", "body"],
    optional: ["author_email", "organization"],
  },
};
// The order items come in: an ask is known before its updates and comments name it.
const readingOrder: CsvKind[] = ["asks", "statusUpdates", "comments"];

// The column order the issue and the docs give, for messages.
const columnOrder: Record<CsvKind, string> = {
  asks: "ref, title, body, author_name, author_email, organization, category, created_at, status, votes",
  statusUpdates: "ask_ref, date, team, status, note, link_url, link_title",
  comments: "ask_ref, author_name, author_email, organization, created_at, body",
};

export async function csvSource(path: string, name = basename(path)): Promise<ImportSource> {
  const container = await openContainer(path, name);
  let bytesRead = 0;
  return {
    name,
    size: container.size,
    bytesRead: () => Math.round(bytesRead),
    items: async function* (): AsyncGenerator<ImportItem> {
      bytesRead = 0;
      const reading = await container.read();
      try {
        const people = new Set<string>();
        for (const kind of readingOrder) {
          const file = await reading.open(kind);
          if (!file) continue;
          const counted = (bytes: number) => {
            bytesRead += bytes * file.scale;
          };
          const rows = csvRows(kind, file.stream, counted);
          if (kind === "statusUpdates") yield* statusUpdateItems(rows);
          else yield* rowItems(kind, rows, people);
        }
      } finally {
        reading.close();
      }
      bytesRead = container.size;
    },
  };
}

// ---------------------------------------------------------------- rows to records

type Row = { line: number; cells: Record<string, string> };

const place = (kind: CsvKind, line: number) => `${csvFiles[kind].name}:${line}`;

async function* rowItems(
  kind: "asks" | "comments",
  rows: AsyncIterable<Row>,
  people: Set<string>,
): AsyncGenerator<ImportItem> {
  for await (const row of rows) {
    const at = place(kind, row.line);
    const cell = (column: string) => row.cells[column]?.trim() ?? "";
    const author = personOf(cell);
    if (author.value && !people.has(author.ref)) {
      people.add(author.ref);
      yield { kind: "person", place: at, value: author.value };
    }
    if (kind === "asks") {
      yield {
        kind: "ask",
        place: at,
        value: {
          ref: cell("ref"),
          title: cell("title"),
          body: cell("body"),
          author: author.ref,
          category: cell("category"),
          createdAt: cell("created_at"),
          ...optional("status", cell("status")),
          ...optional("extraVotes", wholeNumber(cell("votes"))),
        },
      };
    } else {
      yield {
        kind: "comment",
        place: at,
        value: { ask: cell("ask_ref"), author: author.ref, createdAt: cell("created_at"), body: cell("body") },
      };
    }
  }
}

// A spreadsheet has one row per link, so an update with several links spans rows: the rows
// after the first repeat its ask, date, team and status and leave the note empty.
async function* statusUpdateItems(rows: AsyncIterable<Row>): AsyncGenerator<ImportItem> {
  let held: { key: string; item: ImportItem; links: { url: string; title: string }[] } | undefined;
  for await (const row of rows) {
    const cell = (column: string) => row.cells[column]?.trim() ?? "";
    const key = JSON.stringify([cell("ask_ref"), cell("date"), cell("team"), cell("status")]);
    const url = cell("link_url");
    const title = cell("link_title");
    // A title without an address is passed on, so the importer says the address is missing.
    const link = url || title ? { url, title } : undefined;
    if (held && link && cell("note") === "" && key === held.key) {
      held.links.push(link);
      continue;
    }
    if (held) yield held.item;
    const links = link ? [link] : [];
    held = {
      key,
      links,
      item: {
        kind: "statusUpdate",
        place: place("statusUpdates", row.line),
        value: {
          ask: cell("ask_ref"),
          date: cell("date"),
          ...optional("team", cell("team")),
          status: cell("status"),
          note: cell("note"),
          ...(link ? { links } : {}),
        },
      },
    };
  }
  if (held) yield held.item;
}

// People have no ref of their own in a spreadsheet: the email address names them, or, for
// people without one, their name with their organization.
function personOf(cell: (column: string) => string): { ref: string; value?: Record<string, string> } {
  const name = cell("author_name");
  if (!name) return { ref: "" };
  const email = cell("author_email");
  const organization = cell("organization");
  const ref = email ? `email:${email.toLowerCase()}` : `name:${name}|${organization}`;
  return { ref, value: { ref, name, ...optional("organization", organization), ...optional("email", email) } };
}

function optional<K extends string, V>(key: K, value: V | ""): Partial<Record<K, V>> {
  return value === "" ? {} : ({ [key]: value } as Record<K, V>);
}

// Anything else goes through as written, so the importer's check quotes it back.
function wholeNumber(text: string): number | string {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

// ---------------------------------------------------------------- CSV parsing

async function* csvRows(kind: CsvKind, input: Readable, counted: (bytes: number) => void): AsyncGenerator<Row> {
  const file = csvFiles[kind];
  let header = false;
  const parser = parse({
    columns: (names: string[]) => {
      header = true;
      return checkHeader(kind, names);
    },
    bom: true,
    info: true,
    // The raw text of a record tells how many lines it spans, and so the line it starts on.
    raw: true,
    record_delimiter: "\n",
    skip_empty_lines: true,
    // Spreadsheets save rows that were only formatted as a row of commas.
    skip_records_with_empty_values: true,
    relax_quotes: true,
  });
  // Errors from either end surface in the loop below, where they are turned into messages.
  pipeline(Readable.from(checkedBytes(file.name, input, counted)), parser, () => {});
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      raw: string;
      info: { lines: number };
    }>) {
      yield { line: startLine(info.lines, raw), cells: record };
    }
  } catch (error) {
    throw sourceError(file.name, error);
  }
  if (!header) {
    throw new ImportSourceError(
      `${file.name}: the file is empty; its first line names the columns (${columnOrder[kind]})`,
    );
  }
}

function checkHeader(kind: CsvKind, names: string[]): string[] {
  const columns = names.map((n) => n.trim().toLowerCase());
  const missing = csvFiles[kind].required.filter((c) => !columns.includes(c));
  if (missing.length === 0) return columns;
  const file = csvFiles[kind].name;
  const quoted = missing.map((c) => `"${c}"`);
  const list =
    quoted.length === 1 ? `${quoted[0]} column` : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)} columns`;
  // A spreadsheet saved with another separator reads as one long column name.
  const separator =
    names.length === 1 && /[;\t]/.test(names[0] ?? "") ? "; save the file with commas between cells" : "";
  throw new ImportSourceError(`${file}: the header has no ${list} (expected ${columnOrder[kind]})${separator}`);
}

// info.lines is the line a record ends on; its raw text (after any skipped empty lines, and
// before its line break) holds one line break per further line it spans.
function startLine(endLine: number, raw: string): number {
  const text = raw.replace(/^\n+/, "").replace(/\n$/, "");
  let breaks = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) breaks++;
  return endLine - breaks;
}

function sourceError(file: string, error: unknown): Error {
  if (error instanceof ImportSourceError) return error;
  if (!(error instanceof CsvError)) return error instanceof Error ? error : new Error(String(error));
  const context = error as CsvError & { lines?: number; raw?: string };
  const line = context.lines === undefined ? "" : `:${startLine(context.lines, context.raw ?? "")}`;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new ImportSourceError(
        `${file}${line}: a cell opens a quote (") that is never closed; the rest of the file was read as that one cell`,
      );
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return new ImportSourceError(
        `${file}${line}: this row has a different number of cells than the header; quote cells that hold commas`,
      );
    default:
      return new ImportSourceError(`${file}${line}: not readable as CSV (${error.message})`);
  }
}

// The file's bytes as csv-parse gets them: checked to be UTF-8 (a file saved in another
// encoding is refused, not read with replacement characters) and with every line break
// made "\n", so quoted line breaks are stored alike and line numbers count the same for
// files saved on Windows, Macs and Linux.
async function* checkedBytes(
  file: string,
  input: AsyncIterable<Buffer>,
  counted: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  const utf8 = new Utf8Check();
  let afterCR = false;
  const bad = (offset: number) =>
    new ImportSourceError(`${file}: not UTF-8 text (first bad byte at offset ${offset}); save the file as UTF-8`);
  for await (const chunk of input) {
    const offset = utf8.push(chunk);
    if (offset !== -1) throw bad(offset);
    counted(chunk.length);
    if (!afterCR && chunk.indexOf(13) === -1) {
      yield chunk;
      continue;
    }
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (const byte of chunk) {
      if (byte === 10 && afterCR) {
        afterCR = false;
        continue;
      }
      afterCR = byte === 13;
      out[n++] = afterCR ? 10 : byte;
    }
    yield out.subarray(0, n);
  }
  const offset = utf8.end();
  if (offset !== -1) throw bad(offset);
}

// The WHATWG decoder's rules for UTF-8, kept across chunks, that also know where a bad
// sequence starts, so the message can point at it.
class Utf8Check {
  private offset = 0;
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private start = 0;

  // The file offset where the first bad sequence starts, or -1.
  push(chunk: Buffer): number {
    if (this.needed === 0 && isUtf8(chunk)) {
      this.offset += chunk.length;
      return -1;
    }
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.needed === 0) {
        if (byte < 0x80) continue;
        this.start = this.offset + i;
        if (byte >= 0xc2 && byte <= 0xdf) this.needed = 1;
        else if (byte >= 0xe0 && byte <= 0xef) {
          this.needed = 2;
          if (byte === 0xe0) this.lower = 0xa0;
          if (byte === 0xed) this.upper = 0x9f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          this.needed = 3;
          if (byte === 0xf0) this.lower = 0x90;
          if (byte === 0xf4) this.upper = 0x8f;
        } else return this.start;
        continue;
      }
      if (byte < this.lower || byte > this.upper) return this.start;
      this.lower = 0x80;
      this.upper = 0xbf;
      if (++this.seen === this.needed) {
        this.needed = 0;
        this.seen = 0;
      }
    }
    this.offset += chunk.length;
    return -1;
  }

  // Where a sequence cut off by the end of the file starts, or -1.
  end(): number {
    return this.needed === 0 ? -1 : this.start;
  }
}

// ---------------------------------------------------------------- folders and zips

// One reading pass over the files: a zip is opened for the pass and closed after it.
type Reading = {
  // scale turns the bytes read into the container's bytes (a zip's are compressed).
  open: (kind: CsvKind) => Promise<{ stream: Readable; scale: number } | undefined>;
  close: () => void;
};
type Container = { size: number; read: () => Promise<Reading> };

async function openContainer(path: string, name: string): Promise<Container> {
  const info = await stat(path).catch(() => {
    throw new ImportSourceError(`${name}: no such file or folder`);
  });
  return info.isDirectory() ? folderContainer(path, name) : zipContainer(path, name, info.size);
}

async function folderContainer(path: string, name: string): Promise<Container> {
  const list = async (folder: string): Promise<Dirent[]> =>
    (await readdir(join(path, folder), { withFileTypes: true })).filter((e) => !hidden(e.name));
  const top = await list("");
  const paths = top.filter((e) => e.isFile()).map((e) => e.name);
  // Unpacking a zip by hand often leaves its top folder in between.
  if (!paths.some((p) => basename(p).toLowerCase() === csvFiles.asks.name)) {
    for (const folder of top.filter((e) => e.isDirectory())) {
      paths.push(...(await list(folder.name)).filter((e) => e.isFile()).map((e) => posix.join(folder.name, e.name)));
    }
  }
  const chosen = chooseFiles(paths, name);
  const sizes = await Promise.all(Object.values(chosen).map(async (p) => (await stat(join(path, p))).size));
  return {
    size: sizes.reduce((a, b) => a + b, 0),
    read: async () => ({
      open: async (kind) => {
        const file = chosen[kind];
        return file
          ? { stream: createReadStream(join(path, file), { highWaterMark: 256 * 1024 }), scale: 1 }
          : undefined;
      },
      close: () => {},
    }),
  };
}

async function zipContainer(path: string, name: string, size: number): Promise<Container> {
  const notZip = (error: unknown) =>
    new ImportSourceError(`${name}: not a readable zip file (${error instanceof Error ? error.message : error})`);
  const scan = async () => {
    const zip = await openZip(path).catch((error) => {
      throw notZip(error);
    });
    try {
      const entries = await csvEntries(zip);
      const chosen = chooseFiles([...entries.keys()], name);
      return { zip, entries, chosen };
    } catch (error) {
      zip.close();
      throw error instanceof ImportSourceError ? error : notZip(error);
    }
  };
  // Opened once now, so a zip without asks.csv is refused before anything is read.
  (await scan()).zip.close();
  return {
    size,
    read: async () => {
      const { zip, entries, chosen } = await scan();
      return {
        open: async (kind) => {
          const file = chosen[kind];
          const entry = file ? entries.get(file) : undefined;
          if (!entry) return undefined;
          const stream = await new Promise<Readable>((resolve, reject) =>
            zip.openReadStream(entry, (error, s) => (error ? reject(notZip(error)) : resolve(s))),
          );
          return { stream, scale: entry.uncompressedSize > 0 ? entry.compressedSize / entry.uncompressedSize : 0 };
        },
        close: () => zip.close(),
      };
    },
  };
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

// The zip's CSV files at the top or one folder down, read from its central directory.
function csvEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on("entry", (entry: Entry) => {
      const parts = entry.fileName.split("/");
      if (parts.length <= 2 && !parts.some(hidden) && entry.fileName.toLowerCase().endsWith(".csv")) {
        entries.set(entry.fileName, entry);
      }
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

// Finder's and editors' companions ("._asks.csv", "__MACOSX/") are not the files.
const hidden = (name: string) => name.startsWith(".") || name === "__MACOSX";

// Picks each file by its name in any case: asks.csv nearest the top, the others beside it.
function chooseFiles(paths: string[], name: string): Partial<Record<CsvKind, string>> {
  const depth = (p: string) => p.split("/").length;
  const named = (file: string, among: string[]) =>
    among.filter((p) => posix.basename(p).toLowerCase() === file).sort((a, b) => depth(a) - depth(b));
  const asks = named(csvFiles.asks.name, paths);
  const first = asks[0];
  if (first === undefined) {
    throw new ImportSourceError(
      `${name}: no asks.csv in it (expected asks.csv and, if you have them, status-updates.csv and comments.csv, at the top or in one folder)`,
    );
  }
  const folder = posix.dirname(first);
  const beside = paths.filter((p) => posix.dirname(p) === folder);
  const chosen: Partial<Record<CsvKind, string>> = {};
  for (const kind of readingOrder) {
    const found = named(csvFiles[kind].name, kind === "asks" ? asks : beside);
    const [one, two] = found;
    if (two !== undefined && depth(two) === depth(one as string)) {
      throw new ImportSourceError(`${name}: it holds ${one} and ${two}; keep one`);
    }
    if (one !== undefined) chosen[kind] = one;
  }
  return chosen;
}
