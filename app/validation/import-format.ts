import { z } from "~/validation/zod";
import { displayName, email, organization } from "./account";
import { askBodyMax, askTitleMax } from "./ask-rules";
import { commentBodyMax } from "./comment-rules";
import { isWebUrl, linkTitleMax, linkUrlMax, statusNoteMax } from "./status-update-rules";

// The interchange format for bringing history in and taking it out (docs/import-format.md).
// One schema per kind of record: the importer checks each record as it streams past, and
// the JSON Schema served at /import-format.schema.json is generated from the same schemas.
// Nothing here transforms a value, so the generated schema describes exactly what is accepted.

export const formatName = "asklog";
export const formatVersion = 1;

// The roles a file can give people; "partner" is the format's word for a member.
export const importRoles = ["partner", "team", "admin"] as const;
export type ImportRole = (typeof importRoles)[number];

const shown = (input: unknown) => (typeof input === "string" ? JSON.stringify(input.slice(0, 80)) : String(input));

const ref = z
  .string({ error: "expected a ref (text)" })
  .trim()
  .min(1, "expected a ref (text), not an empty one")
  .max(200, "a ref is at most 200 characters")
  .describe("The record's id in the source; the same ref always means the same record.");

// A date alone means that day in UTC; a date-time must say its offset.
const moment = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: (issue) =>
      `${shown(issue.input)} is not a date (expected YYYY-MM-DD or an ISO date-time such as 2021-05-01T10:00:00Z)`,
  })
  .describe("An ISO date (that day in UTC) or date-time.");

const day = z.iso
  .date({ error: (issue) => `${shown(issue.input)} is not a date (expected YYYY-MM-DD)` })
  .describe("An ISO date (YYYY-MM-DD).");

const name = (what: string) =>
  z
    .string({ error: `expected the ${what}'s name (text)` })
    .trim()
    .min(1, `the ${what}'s name is empty`)
    .max(80, `the ${what}'s name is at most 80 characters`);

// Titles are plain text everywhere they are shown; markup in one is a sign of a broken export.
const plainTitle = z
  .string({ error: "expected a title (text)" })
  .trim()
  .min(1, "the title is empty")
  .max(askTitleMax, `the title is at most ${askTitleMax} characters`)
  .refine((v) => !/<\/?[a-z!][^>]*>/i.test(v), "the title contains markup; titles are plain text");

const webUrl = z
  .string({ error: "expected a web address (text)" })
  .trim()
  .max(linkUrlMax, `a web address is at most ${linkUrlMax} characters`)
  .refine(isWebUrl, {
    error: (issue) => `${shown(issue.input)} is not a web address (expected https://… or http://…)`,
  });

export const teamRecord = z.strictObject({ name: name("team") });
export const categoryRecord = z.strictObject({ name: name("category") });

export const statusRecord = z.strictObject({
  slug: z
    .string({ error: "expected a slug (text)" })
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a slug is lower-case words joined by hyphens, like under-review"),
  name: name("status"),
  closed: z.boolean().optional().describe("Closed statuses end an ask's life; defaults to false."),
  acceptsVotes: z.boolean().optional().describe("Defaults to true."),
});

export const personRecord = z.strictObject({
  ref,
  name: displayName,
  organization: organization.optional(),
  email: email.optional().describe("Optional; without one the person is a placeholder nobody can claim by address."),
  role: z.enum(importRoles, { error: "expected partner, team or admin" }).optional().describe("Defaults to partner."),
  team: name("team").optional().describe("The team a team member belongs to."),
});

export const linkRecord = z.strictObject({
  url: webUrl,
  title: z
    .string({ error: "expected the link's title (text)" })
    .trim()
    .min(1, "the link's title is empty")
    .max(linkTitleMax, `a link's title is at most ${linkTitleMax} characters`),
});

const statusUpdateFields = {
  ref: ref.optional().describe("Defaults to date, team and status: give refs when a day can hold two alike."),
  date: day,
  team: name("team").optional(),
  status: z.string({ error: "expected a status slug" }).min(1, "expected a status slug"),
  note: z
    .string({ error: "expected a note (markdown)" })
    .trim()
    .min(1, "the note is empty")
    .max(statusNoteMax, `a note is at most ${statusNoteMax.toLocaleString("en")} characters`),
  author: ref.optional().describe('A person\'s ref; defaults to an "Imported history" placeholder.'),
  recordedAt: moment.optional().describe("When the update was written down; defaults to its date."),
  links: z.array(linkRecord).max(20, "at most 20 links per update").optional(),
};

const commentFields = {
  ref: ref.optional().describe("Defaults to createdAt and author."),
  author: ref,
  createdAt: moment,
  body: z
    .string({ error: "expected a body (markdown)" })
    .trim()
    .min(1, "the comment is empty")
    .max(commentBodyMax, `a comment is at most ${commentBodyMax.toLocaleString("en")} characters`),
  official: z.boolean().optional(),
  hiddenAt: moment.optional().describe("Admin exports only: when a moderator hid it."),
  hiddenReason: z.string().max(200).optional(),
};

export const statusUpdateRecord = z.strictObject(statusUpdateFields);
export const commentRecord = z.strictObject(commentFields);

// A vote is a person's ref, or the ref with the moment the vote was cast.
export const voteRecord = z.union([ref, z.strictObject({ person: ref, at: moment })], {
  error: 'expected a person\'s ref, or { "person": ref, "at": date }',
});

export const askRecord = z.strictObject({
  ref,
  title: plainTitle,
  body: z
    .string({ error: "expected a body (markdown)" })
    .trim()
    .min(1, "the body is empty")
    .max(askBodyMax, `a body is at most ${askBodyMax.toLocaleString("en")} characters`),
  author: ref,
  category: name("category"),
  createdAt: moment,
  sourceUrl: webUrl.optional(),
  status: z.string().min(1).optional().describe("The ask's status now; defaults to its last update's, or open."),
  team: name("team").optional().describe("The team the ask is with; defaults to its last update's."),
  duplicateOf: ref.optional().describe("The ref of the ask this one was merged into."),
  hiddenAt: moment.optional().describe("Admin exports only: when a moderator hid it."),
  hiddenReason: z.string().max(200).optional(),
  votes: z.array(voteRecord).optional(),
  extraVotes: z
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(0, "expected a number of votes, 0 or more")
    .optional()
    .describe("Legacy votes whose voters are unknown: counted, owned by nobody."),
  statusUpdates: z.array(statusUpdateRecord).optional(),
  comments: z.array(commentRecord).optional(),
});

// Status updates and comments given apart from their ask (the CSV files do this).
export const looseStatusUpdateRecord = z.strictObject({ ask: ref, ...statusUpdateFields });
export const looseCommentRecord = z.strictObject({ ask: ref, ...commentFields });

export const headerRecord = z.strictObject({
  format: z.literal(formatName, { error: `expected "format": "${formatName}"` }),
  version: z.literal(formatVersion, { error: `expected "version": ${formatVersion}; this Asklog reads version 1` }),
});

export const importDocument = z
  .strictObject({
    ...headerRecord.shape,
    teams: z.array(teamRecord).optional(),
    categories: z.array(categoryRecord).optional(),
    statuses: z.array(statusRecord).optional(),
    people: z.array(personRecord).optional(),
    asks: z.array(askRecord).optional(),
  })
  .describe("Asklog's interchange format, version 1: an export, or history to import.");

export type TeamRecord = z.infer<typeof teamRecord>;
export type CategoryRecord = z.infer<typeof categoryRecord>;
export type StatusRecord = z.infer<typeof statusRecord>;
export type PersonRecord = z.infer<typeof personRecord>;
export type LinkRecord = z.infer<typeof linkRecord>;
export type StatusUpdateRecord = z.infer<typeof statusUpdateRecord>;
export type CommentRecord = z.infer<typeof commentRecord>;
export type VoteRecord = z.infer<typeof voteRecord>;
export type AskRecord = z.infer<typeof askRecord>;
export type ImportDocument = z.infer<typeof importDocument>;

// What a source (a JSON file, a folder of CSV files) hands the importer: one record at a
// time, named by kind, with the place it came from for error messages ("asks[3]",
// "comments.csv:57"). The importer validates `value` against the kind's schema.
export type ImportItem =
  | { kind: "header"; place: string; value: unknown }
  | { kind: "team"; place: string; value: unknown }
  | { kind: "category"; place: string; value: unknown }
  | { kind: "status"; place: string; value: unknown }
  | { kind: "person"; place: string; value: unknown }
  | { kind: "ask"; place: string; value: unknown }
  | { kind: "statusUpdate"; place: string; value: unknown }
  | { kind: "comment"; place: string; value: unknown };

export type ImportItemKind = ImportItem["kind"];

// A source can be read more than once: the importer checks everything before writing anything.
export type ImportSource = {
  name: string;
  items: () => AsyncIterable<ImportItem>;
  // Bytes read so far and in all, for progress; null when unknown.
  size: number | null;
  bytesRead: () => number;
};

// Where an error was found and what was expected: `asks[3].statusUpdates[1].date: "2021-13-01" is not a date`.
export type ImportError = { place: string; message: string };
export const maxReportedErrors = 100;
