import { z } from "zod";
import { idField } from "./fields";
import type { Permission } from "~/services/permission.server";

// The admin area's sections, in nav order. Kept here rather than in a route so
// the layout, the overview page and the loaders read one list.
export const adminSections: { path: string; label: string; permission: Permission; description: string }[] = [
  {
    path: "/admin/users",
    label: "Users",
    permission: "admin:users",
    description: "Roles, teams, organizations; disable accounts or block them from posting.",
  },
  {
    path: "/admin/teams",
    label: "Teams",
    permission: "admin:teams",
    description: "The program teams that triage asks.",
  },
  {
    path: "/admin/categories",
    label: "Categories",
    permission: "admin:categories",
    description: "What partners file their asks under, in the order they see them.",
  },
  {
    path: "/admin/statuses",
    label: "Statuses",
    permission: "admin:statuses",
    description: "The workflow an ask moves through: names, colors, open or closed, votes, roadmap column.",
  },
  {
    path: "/admin/audit",
    label: "Audit log",
    permission: "admin:audit",
    description: "Every team and admin action: who, what, when, before and after.",
  },
];

export const roles = ["member", "team", "admin"] as const;
export const roleLabels: Record<(typeof roles)[number], string> = {
  member: "Partner",
  team: "Team member",
  admin: "Admin",
};

export const nameMax = 60;

function nameField(what: string) {
  return z
    .string({ error: `Enter a ${what} name.` })
    .trim()
    .min(1, `Enter a ${what} name.`)
    .max(nameMax, `Name must be at most ${nameMax} characters.`);
}

// The id of the row a form is about; anything that is not a sane id finds nothing.
export function formId(value: FormDataEntryValue | null): number | undefined {
  const id = Number(value);
  return typeof value === "string" && /^\d{1,12}$/.test(value) && id > 0 ? id : undefined;
}

// An unchecked checkbox is simply absent from the form.
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on");

export const userAccessSchema = z
  .object({
    role: z.enum(roles, { error: "Choose a role." }),
    teamId: z
      .string()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .refine((v) => v === null || (Number.isSafeInteger(v) && v > 0), "Choose one of the listed teams."),
    organization: z
      .string()
      .optional()
      .transform((v) => v?.trim() || null)
      .refine((v) => v === null || v.length <= 80, "Organization must be at most 80 characters."),
  })
  .refine((v) => v.role !== "team" || v.teamId !== null, {
    path: ["teamId"],
    message: "Choose the team this team member works in.",
  })
  // Partners are never on a program team; demoting someone takes them off theirs.
  .transform((v) => (v.role === "member" ? { ...v, teamId: null } : v));

// A form about one row: its id travels in a hidden field.
export const rowSchema = z.object({ id: idField });

export const teamSchema = z.object({ name: nameField("team") });
export const teamRenameSchema = teamSchema.extend(rowSchema.shape);
export const categorySchema = z.object({ name: nameField("category") });
export const moveSchema = z.object({ direction: z.enum(["up", "down"], { error: "Choose up or down." }) });

export const minContrast = 4.5;

// WCAG 2 relative luminance of a #rrggbb color.
export function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Badges print white text on the status color, so the color is what must be dark enough.
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

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

// Where the public roadmap shows asks in a status; "" in the form means not on the roadmap.
export const roadmapColumns = ["planned", "in-progress", "completed"] as const;
export const roadmapColumnLabels: Record<(typeof roadmapColumns)[number], string> = {
  planned: "Planned",
  "in-progress": "In progress",
  completed: "Recently completed",
};

// A form without the field leaves the column as it is (undefined), unlike a
// checkbox, whose absence means "off": a select always sends its value.
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

export const subjectTypes = ["ask", "comment", "status_update", "user", "team", "category", "status"] as const;
