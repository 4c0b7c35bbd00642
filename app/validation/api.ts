import { tokenScopes } from "~/domain";
import { z } from "~/validation/zod";
import { askSchema } from "./ask";
import { commentSchema } from "./comment";
import { searchQueryMax } from "./fields";
import { statusUpdateSchema } from "./status-update";
import { linkRowsMax } from "./status-update-rules";

// The JSON API's requests and answers, as zod schemas: the routes validate with them and
// /api/v1/openapi.json is generated from them, so the document cannot drift from the code.
// Request bodies reuse the forms' fields, so a refused field reads the same in both.

// ---- Path and query parameters (always strings on the wire) ----

export const askNumberParams = z.strictObject({
  number: z
    .string()
    .regex(/^[1-9]\d{0,11}$/, "An ask number is a whole number.")
    .transform(Number)
    .meta({ description: "The ask's public number, as in /asks/<number>-<slug>.", example: "1" }),
});

export const apiSorts = ["newest", "top", "updated", "organizations"] as const;
export const apiPageMax = 100;

export const askListQuery = z.strictObject({
  sort: z.enum(apiSorts, { error: `Sort by one of: ${apiSorts.join(", ")}.` }).default("newest"),
  status: z.string().max(100).optional().meta({ description: "A status slug, as /api/v1/statuses lists them." }),
  category: z
    .string()
    .regex(/^[1-9]\d{0,11}$/, "A category is named by its id.")
    .transform(Number)
    .optional()
    .meta({ description: "A category id, as /api/v1/categories lists them." }),
  q: z
    .string()
    .max(searchQueryMax, `A search is at most ${searchQueryMax} characters.`)
    .optional()
    .meta({ description: "Search words, as on the search page (org:, author:, team: work too)." }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .meta({ description: "nextCursor of the previous page; only valid with the same sort, filters and search." }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `A limit is a whole number from 1 to ${apiPageMax}.`)
    .transform(Number)
    .pipe(
      z.number().min(1, `A limit is from 1 to ${apiPageMax}.`).max(apiPageMax, `A limit is from 1 to ${apiPageMax}.`),
    )
    .optional()
    .meta({ description: `Asks per page, 1 to ${apiPageMax} (20 when left out).` }),
});

export const noQuery = z.strictObject({});

// ---- Request bodies ----

export const askCreateBody = z.strictObject({
  ...askSchema.shape,
  categoryId: z
    .number({ error: "Choose a category." })
    .int("Choose a category.")
    .positive("Choose a category.")
    .meta({ description: "A category id from /api/v1/categories." }),
});

export const commentCreateBody = z.strictObject(commentSchema.shape);

const choice = (message: string) => z.number({ error: message }).int(message).positive(message);

// The form's fields have their own names (aboutDate, links.0.url); the API's body is plain JSON
// that is turned into them and checked by the form's own schema, so the rule is written once.
export const statusUpdateCreateBody = z
  .strictObject({
    statusId: choice("Choose the new status.").meta({ description: "A status id from /api/v1/statuses." }),
    teamId: choice("Choose a team.").meta({ description: "A team id from /api/v1/teams." }),
    note: z.string({ error: "Write a note about this update." }).meta({ description: "Markdown." }),
    date: z.string({ error: "Enter a real date as YYYY-MM-DD." }).optional().meta({
      description:
        "YYYY-MM-DD the update is about; may be back-dated, not before the ask was filed. Today when left out.",
    }),
    links: z
      .array(
        z.strictObject({
          url: z.string({ error: "Enter the link's URL." }),
          title: z.string({ error: "Give the link a title." }),
        }),
        { error: "Links are a list of { url, title }." },
      )
      .max(linkRowsMax, `An update carries at most ${linkRowsMax} links.`)
      .optional()
      .meta({ description: "Resolution links (or related reading while the ask is open)." }),
  })
  .transform(
    ({ statusId, teamId, note, date, links = [] }) =>
      ({
        statusId: String(statusId),
        teamId: String(teamId),
        note,
        aboutDate: date ?? "",
        ...Object.fromEntries(
          links.flatMap((link, row) => [
            [`links.${row}.url`, link.url],
            [`links.${row}.title`, link.title],
          ]),
        ),
      }) as z.input<typeof statusUpdateSchema>,
  )
  .pipe(statusUpdateSchema);

// Where a form field's message goes in the API's `errors`.
export const statusUpdateFieldNames: Record<string, string> = { aboutDate: "date" };

// ---- Answers ----

const isoTime = z.string().meta({ description: "ISO 8601 time, UTC.", format: "date-time" });
const link = z.strictObject({ url: z.string(), title: z.string() });
const person = z.strictObject({ name: z.string(), organization: z.string().nullable() });

export const statusOut = z.strictObject({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  color: z.string(),
  isClosed: z.boolean(),
  acceptsVotes: z.boolean(),
});
export const categoryOut = z.strictObject({ id: z.number().int(), name: z.string() });
export const teamOut = z.strictObject({ id: z.number().int(), name: z.string() });

export const askSummaryOut = z.strictObject({
  number: z.number().int(),
  title: z.string(),
  excerpt: z.string().meta({ description: "The first 300 characters of the description, markdown." }),
  status: z.strictObject({ slug: z.string(), name: z.string() }),
  category: z.string(),
  author: person,
  voteCount: z.number().int(),
  commentCount: z.number().int(),
  hasResolution: z.boolean(),
  voted: z.boolean().nullable().meta({ description: "Whether the token's owner voted; null without a token." }),
  createdAt: isoTime,
  updatedAt: isoTime,
  url: z.string().meta({ description: "The ask's page." }),
  apiUrl: z.string(),
});

const relatedAsk = z.strictObject({ number: z.number().int(), title: z.string(), url: z.string(), apiUrl: z.string() });

export const statusUpdateOut = z.strictObject({
  id: z.number().int(),
  date: z.string().meta({ description: "YYYY-MM-DD the update is about." }),
  recordedAt: isoTime,
  editedAt: isoTime.nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.strictObject({ slug: z.string(), name: z.string() }),
  team: z.string().nullable(),
  author: z.string(),
  note: z.string().meta({ description: "Markdown." }),
  links: z.array(link),
});

export const commentOut = z.strictObject({
  id: z.number().int(),
  author: person,
  team: z.string().nullable(),
  body: z.string().meta({ description: "Markdown; empty when deleted, or hidden from this reader." }),
  official: z.boolean(),
  deleted: z.boolean(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
});

export const askDetailOut = z.strictObject({
  ...askSummaryOut.shape,
  body: z.string().meta({ description: "Markdown." }),
  categoryId: z.number().int(),
  team: z.string().nullable(),
  status: z.strictObject({ slug: z.string(), name: z.string(), isClosed: z.boolean(), acceptsVotes: z.boolean() }),
  hidden: z.boolean(),
  commentsLocked: z.boolean(),
  duplicateOf: relatedAsk.nullable(),
  mergedFrom: z.array(relatedAsk),
  resolutionLinks: z.array(link),
  statusUpdates: z.array(statusUpdateOut).meta({ description: "Status details, oldest first." }),
  comments: z.array(commentOut),
});

export const askListOut = z.strictObject({
  asks: z.array(askSummaryOut),
  total: z.number().int().meta({ description: "Asks in the whole list, all pages." }),
  nextCursor: z.string().nullable().meta({ description: "Pass as ?cursor= for the next page; null on the last." }),
});

export const voteOut = z.strictObject({ number: z.number().int(), voted: z.boolean(), voteCount: z.number().int() });

export const meOut = z.strictObject({
  id: z.number().int(),
  displayName: z.string(),
  email: z.string(),
  role: z.enum(["member", "team", "admin"]),
  organization: z.string().nullable(),
  team: z.string().nullable(),
  scopes: z.array(z.enum(tokenScopes)),
});

export const problemOut = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "A message per field, keyed by its name (links.0.url for a link's URL)." }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details." });
