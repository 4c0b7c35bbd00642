import { z } from "~/validation/zod";
import { idField } from "./schema-fields";
import {
  isWebUrl,
  type LinkField,
  linkField,
  linkRows,
  linkTitleMax,
  linkUrlMax,
  statusNoteMax,
} from "./status-update-rules";

export type Choice = { id: number; name: string };

export type ResolutionLink = { url: string; title: string };

// What the status update form starts from: a fresh update, or the one being edited.
export type StatusUpdateDraft = {
  statusId: number | null;
  teamId: number | null;
  note: string;
  aboutDate: string;
  links: ResolutionLink[];
};

// The UTC date of an ISO timestamp, or of now: the date a status update was recorded.
export function utcDate(at: Date | string = new Date()): string {
  return (typeof at === "string" ? new Date(at) : at).toISOString().slice(0, 10);
}

// A date is in the future only once no place on Earth has reached it yet
// (UTC+14): a program team in Sydney can enter its own "today" in the morning.
export function latestAboutDate(now = new Date()): string {
  return utcDate(new Date(now.getTime() + 14 * 3_600_000));
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// Form fields are strings when present; a missing field reads as empty, so every
// message is reported at once instead of stopping at the first absent field.
const text = (schema: z.ZodType<string, string>) => z.preprocess((v) => (typeof v === "string" ? v : ""), schema);

const choice = (message: string) =>
  text(
    z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,11}$/, message),
  );

const linkFields = Object.fromEntries(
  linkRows.flatMap((row) => [
    [
      linkField(row, "url"),
      text(
        z
          .string()
          .trim()
          .max(linkUrlMax, `The URL must be at most ${linkUrlMax.toLocaleString("en")} characters.`)
          .refine((v) => v === "" || isWebUrl(v), "Enter a full web address starting with https:// or http://."),
      ),
    ],
    [
      linkField(row, "title"),
      text(z.string().trim().max(linkTitleMax, `The link title must be at most ${linkTitleMax} characters.`)),
    ],
  ]),
  // Both fields of every row are listed just above.
) as Record<LinkField, ReturnType<typeof text>>;

export const statusUpdateSchema = z
  .object({
    statusId: choice("Choose the new status."),
    teamId: choice("Choose a team."),
    note: text(
      z
        .string()
        .trim()
        .min(1, "Write a note about this update.")
        .max(statusNoteMax, `The note must be at most ${statusNoteMax.toLocaleString("en")} characters.`),
    ),
    // Left empty, the update is about today.
    aboutDate: text(
      z
        .string()
        .trim()
        .transform((v) => v || utcDate())
        .pipe(
          z
            .string()
            .refine(isCalendarDate, "Enter a real date as YYYY-MM-DD.")
            .refine((v) => !isCalendarDate(v) || v <= latestAboutDate(), "The date cannot be in the future."),
        ),
    ),
    ...linkFields,
  })
  .superRefine((form: Record<string, unknown>, ctx) => {
    for (const row of linkRows) {
      const url = form[linkField(row, "url")];
      const title = form[linkField(row, "title")];
      if (url && !title) {
        ctx.addIssue({ code: "custom", path: [linkField(row, "title")], message: "Give the link a title." });
      }
      if (title && !url) {
        ctx.addIssue({ code: "custom", path: [linkField(row, "url")], message: "Enter the link's URL." });
      }
    }
  })
  .transform((form) => {
    const links: ResolutionLink[] = [];
    for (const row of linkRows) {
      const url = form[linkField(row, "url")];
      if (url) links.push({ url: new URL(url).href, title: form[linkField(row, "title")] });
    }
    return {
      toStatusId: Number(form.statusId),
      teamId: Number(form.teamId),
      note: form.note,
      aboutDate: form.aboutDate,
      links,
    };
  });

// Editing names the update; another member's is not found.
export const statusUpdateEditSchema = z.object({ updateId: idField }).and(statusUpdateSchema);

export const statusUpdateRowSchema = z.object({ updateId: idField });
