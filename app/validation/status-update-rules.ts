// What the status update form and statusUpdateSchema (status-update.ts) share. Plain values, so
// the form and the resolution links can use them without the browser loading zod.
export const statusNoteMax = 5_000;
export const linkUrlMax = 2_000;
export const linkTitleMax = 200;
// An update may carry up to five links; the form shows one row and adds the others on demand.
// Literal row numbers, so that every link field name ("links.2.url") is known to the compiler.
export const linkRows = [0, 1, 2, 3, 4] as const;
export const linkRowsMax = linkRows.length;
export type LinkRow = (typeof linkRows)[number];

export type LinkField = `links.${LinkRow}.${"url" | "title"}`;

export function linkField(row: LinkRow, part: "url" | "title"): LinkField {
  return `links.${row}.${part}`;
}

// Only web links: javascript:, data:, relative paths and the like are refused.
export function isWebUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}
