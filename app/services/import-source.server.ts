import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { JSONParser } from "@streamparser/json";
import type { ImportItem, ImportItemKind, ImportSource } from "~/validation/import-format";

import { csvSource } from "./import-csv.server";

import { ImportSourceError } from "./import-source-error.server";

export { ImportSourceError };

// The file or folder given to `npm run import` or uploaded on /admin/import, opened as a
// stream of records: a .json file in the interchange format, or CSV files in a folder or .zip.
export async function openImportSource(path: string, name = basename(path)): Promise<ImportSource> {
  const info = await stat(path).catch(() => {
    throw new ImportSourceError(`${name}: no such file or folder`);
  });
  if (info.isDirectory() || extname(path).toLowerCase() === ".zip") return csvSource(path, name);
  return jsonFileSource(path, name, info.size);
}

// The document's top-level arrays and the kind of record each holds.
const sections: Record<string, ImportItemKind> = {
  teams: "team",
  categories: "category",
  statuses: "status",
  people: "person",
  asks: "ask",
};

// Streams the document one record at a time: a file of 100,000 asks is never held whole,
// so memory does not grow with the file.
function jsonFileSource(path: string, name: string, size: number): ImportSource {
  let bytesRead = 0;
  return {
    name,
    size,
    bytesRead: () => bytesRead,
    items: async function* (): AsyncGenerator<ImportItem> {
      bytesRead = 0;
      const parser = new JSONParser({
        paths: ["$.format", "$.version", ...Object.keys(sections).map((key) => `$.${key}.*`)],
        keepStack: false,
      });
      const ready: ImportItem[] = [];
      const header: Record<string, unknown> = {};
      parser.onValue = ({ value, key, stack }) => {
        const section = stack.length === 2 ? stack[1]?.key : undefined;
        const kind = typeof section === "string" ? sections[section] : undefined;
        if (kind && typeof key === "number") ready.push({ kind, place: `${section}[${key}]`, value });
        else if (stack.length === 1 && typeof key === "string") header[key] = value;
      };
      // A file in another encoding is refused, not read with replacement characters. The parser
      // takes bytes; each chunk is checked up to its last whole character, and the rest waits
      // for the next chunk.
      let carry: Buffer = Buffer.alloc(0);
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
        const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        const whole = bytes.subarray(0, wholeCharacters(bytes));
        if (!isUtf8(whole)) throw notUtf8(name, bytesRead - carry.length);
        carry = bytes.subarray(whole.length);
        try {
          parser.write(whole);
        } catch (error) {
          throw syntaxError(name, error);
        }
        bytesRead += chunk.length;
        yield* ready;
        ready.length = 0;
      }
      if (carry.length > 0) throw notUtf8(name, bytesRead - carry.length);
      try {
        // The parser ends by itself at the end of a complete document.
        if (!parser.isEnded) parser.end();
      } catch (error) {
        throw syntaxError(name, error);
      }
      yield* ready;
      yield { kind: "header", place: "(top level)", value: header };
    },
  };
}

function notUtf8(name: string, offset: number): ImportSourceError {
  return new ImportSourceError(`${name}: not UTF-8 text (a bad byte after offset ${offset}); save the file as UTF-8`);
}

// How many bytes from the start end on a character boundary: a UTF-8 character cut by the end
// of a chunk is left for the next one.
function wholeCharacters(bytes: Buffer): number {
  let start = bytes.length - 1;
  while (start >= 0 && start > bytes.length - 4 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start] as number;
  const size =
    lead < 0x80 ? 1 : (lead & 0xe0) === 0xc0 ? 2 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf8) === 0xf0 ? 4 : 1;
  return bytes.length - start < size ? start : bytes.length;
}

function syntaxError(name: string, error: unknown): ImportSourceError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/ended in (mid-parsing|the middle)/i.test(detail)) {
    return new ImportSourceError(`${name}: the JSON ends too soon; is the file complete?`);
  }
  return new ImportSourceError(`${name}: not valid JSON (${detail.replace(/ at chunk position "\d+"/, "")})`);
}
