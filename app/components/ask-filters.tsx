import { type AskSort, askSorts } from "~/validation/query";
import { choices, type FilterDefinition } from "./select-filter";

const sortLabels: Record<AskSort, string> = {
  trending: "Trending",
  top: "Top voted",
  newest: "Newest",
  updated: "Recently updated",
  organizations: "Most organizations",
};

// What a list page's loader hands over about its current sort and filters and the choices.
export type AskListFilterState = {
  filter: { sort: AskSort; status: string; category: string };
  statuses: { slug: string; name: string }[];
  categories: { id: number; name: string }[];
};

// The sort, status and category selects of the home list, for every page that lists asks the
// same way (the home page, an organization's page), so they read and behave alike.
export function askListFilters({ filter, statuses, categories }: AskListFilterState): FilterDefinition[] {
  return [
    {
      name: "sort",
      label: "Sort by",
      value: filter.sort,
      options: askSorts.map((s) => ({ value: s, label: sortLabels[s] })),
    },
    {
      name: "status",
      label: "Status",
      anyLabel: "All statuses",
      value: filter.status,
      options: choices(statuses, "slug", "name"),
    },
    {
      name: "category",
      label: "Category",
      anyLabel: "All categories",
      value: filter.category,
      options: choices(categories, "id", "name"),
    },
  ];
}
