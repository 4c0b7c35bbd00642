import { contrastWithWhite, minContrast } from "~/color";
import { roadmapColumns, roles } from "~/domain";
import { z } from "~/validation/zod";
import { nameMax, organizationMax } from "./admin-rules";
import { parseId } from "./fields";
import { idField } from "./schema-fields";

function nameField(what: string) {
  return z
    .string({ error: `Enter a ${what} name.` })
    .trim()
    .min(1, `Enter a ${what} name.`)
    .max(nameMax, `Name must be at most ${nameMax} characters.`);
}

// An unchecked checkbox is simply absent from the form.
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on");

// A form about one row: its id travels in a hidden field.
export const rowSchema = z.object({ id: idField });

// The forms of something that only has a name: add one, rename one.
function nameSchemas(what: string) {
  const create = z.object({ name: nameField(what) });
  return { create, rename: create.extend(rowSchema.shape) };
}
export type NameSchemas = ReturnType<typeof nameSchemas>;

export const teamSchemas = nameSchemas("team");
export const categorySchemas = nameSchemas("category");

export const moveSchema = rowSchema.extend({
  direction: z.enum(["up", "down"], { error: "Choose up or down." }),
});

// An import run checked by a dry run, to import for real.
export const importRunSchema = z.object({ runId: idField });

// A form about one user.
export const userRowSchema = z.object({ userId: idField });

export const userAccessSchema = userRowSchema
  .extend({
    role: z.enum(roles, { error: "Choose a role." }),
    // "" is no team; anything else that is not a team id finds no team ("unknown-team").
    teamId: z
      .string()
      .optional()
      .transform((v) => (v ? (parseId(v) ?? 0) : null)),
    organization: z
      .string()
      .optional()
      .transform((v) => v?.trim() || null)
      .refine(
        (v) => v === null || v.length <= organizationMax,
        `Organization must be at most ${organizationMax} characters.`,
      ),
  })
  .refine((v) => v.role !== "team" || v.teamId !== null, {
    path: ["teamId"],
    message: "Choose the team this team member works in.",
  })
  // Partners are never on a program team; demoting someone takes them off theirs.
  .transform((v) => (v.role === "member" ? { ...v, teamId: null } : v));

// Rounded down so a color just under the line never reads as "4.50:1".
function roundDown(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

const color = z
  .string({ error: "Enter a color like #0969da." })
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, "Enter a color as # and six hex digits, like #0969da.")
  .refine((hex) => contrastWithWhite(hex) >= minContrast, {
    error: (issue) =>
      `White badge text on ${issue.input} has a contrast of only ${roundDown(contrastWithWhite(String(issue.input)))}:1; choose a darker color (at least ${minContrast}:1).`,
  });

// A form without the field leaves the column as it is (undefined), unlike a
// checkbox, whose absence means "off": a select always sends its value.
// "" in the form means not on the roadmap.
const roadmapColumn = z
  .enum(["", ...roadmapColumns], { error: "Choose one of the listed roadmap columns." })
  .optional()
  .transform((v) => (v === "" ? null : v));

export const statusSchema = z.object({
  name: nameField("status"),
  color,
  isClosed: checkbox,
  acceptsVotes: checkbox,
  roadmapColumn,
});

export const statusUpdateSchema = statusSchema.extend(rowSchema.shape);
