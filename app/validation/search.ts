import { z } from "~/validation/zod";
import { parseId, parseSearchText } from "./fields";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2021-04-27.")
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: "That is not a calendar date.",
    },
  );

type Choices = {
  statuses: { slug: string }[];
  categories: { id: number }[];
  teams: { id: number }[];
};

export type SearchParams = {
  q: string;
  status?: string;
  categoryId?: number;
  teamId?: number;
  from?: string;
  to?: string;
};

// Reads /search?q=…&status=…&category=…&team=…&from=…&to=… leniently: an unknown
// status or category is ignored, a malformed date is reported next to its field.
export function readSearchParams(
  params: URLSearchParams,
  choices: Choices,
): { filter: SearchParams; errors: { from?: string; to?: string } } {
  const errors: { from?: string; to?: string } = {};
  const date = (name: "from" | "to") => {
    const raw = params.get(name)?.trim();
    if (!raw) return undefined;
    const parsed = isoDate.safeParse(raw);
    if (!parsed.success) {
      errors[name] = parsed.error.issues[0]?.message ?? "Use a date like 2021-04-27.";
      return undefined;
    }
    return parsed.data;
  };
  const categoryId = parseId(params.get("category"));
  const teamId = parseId(params.get("team"));
  const filter: SearchParams = {
    q: parseSearchText(params.get("q")),
    status: choices.statuses.find((s) => s.slug === params.get("status"))?.slug,
    categoryId: choices.categories.some((c) => c.id === categoryId) ? categoryId : undefined,
    teamId: choices.teams.some((t) => t.id === teamId) ? teamId : undefined,
    from: date("from"),
    to: date("to"),
  };
  if (filter.from && filter.to && filter.from > filter.to) errors.to = "The end date is before the start date.";
  return { filter, errors };
}
