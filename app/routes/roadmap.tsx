import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm } from "~/components/filter-form";
import { plural } from "~/components/format";
import { choices, type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { StatusBadge } from "~/components/status-badge";
import { Day } from "~/components/time";
import { type RoadmapColumn, roadmapColumnLabels } from "~/domain";
import { listCategories } from "~/models/category.server";
import { getRoadmap, type RoadmapColumnView } from "~/models/roadmap.server";
import { updatesFeedPath } from "~/services/atom.server";
import { askPath } from "~/slug";

export const meta: MetaFunction = () => [
  { title: "Roadmap · Asklog" },
  { name: "description", content: "What the program teams have planned, are working on and have recently completed." },
];

// Cards per column; the rest are one click away in the asks list.
const columnCap = 50;
// How long a completed ask stays in "Recently completed", in days.
const completedWindows = [30, 90, 180, 365] as const;
const defaultWindow = 90;

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const categories = listCategories();
  const categoryId = categories.find((c) => String(c.id) === params.get("category"))?.id;
  const days = completedWindows.find((d) => String(d) === params.get("days")) ?? defaultWindow;
  return {
    columns: getRoadmap({ categoryId, completedWithinDays: days, limit: columnCap }),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
    filter: { category: categoryId ? String(categoryId) : "", days },
    feedPath: updatesFeedPath,
  };
}

export default function Roadmap() {
  const { columns, categories, filter, feedPath } = useLoaderData<typeof loader>();

  const windowOptions = completedWindows.map((d) => ({ value: d, label: `${d} days` }));
  const filters: FilterDefinition[] = [
    {
      name: "category",
      label: "Category",
      anyLabel: "All categories",
      value: filter.category,
      options: choices(categories, "id", "name"),
    },
    { name: "days", label: "Completed within", value: filter.days, options: windowOptions },
  ];
  return (
    <>
      <h1>Roadmap</h1>
      <p className="muted">
        What the program teams have planned, are working on, and completed in the last {filter.days} days. Follow every
        status update in the{" "}
        <a href={feedPath} type="application/atom+xml">
          status updates feed
        </a>
        .
      </p>
      <FilterForm label="Filter the roadmap">
        <SelectFilters idPrefix="roadmap-" filters={filters} />
        <button type="submit">Apply</button>
      </FilterForm>
      <div className="roadmap">
        {columns.map((c) => (
          <RoadmapSection key={c.column} view={c} category={filter.category} days={filter.days} />
        ))}
      </div>
    </>
  );
}

function RoadmapSection({ view, category, days }: { view: RoadmapColumnView; category: string; days: number }) {
  const headingId = `roadmap-${view.column}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{roadmapColumnLabels[view.column]}</h2>
      <p className="muted">
        {view.total > view.cards.length
          ? `The top ${view.cards.length} of ${view.total} asks`
          : plural(view.total, "ask")}
      </p>
      {view.cards.length ? (
        <ul className="ask-list">
          {view.cards.map((card) => (
            <li key={card.id} className="roadmap-card">
              <h3>
                <Link to={askPath(card)}>{card.title}</Link>
              </h3>
              <p className="meta-line">
                <StatusBadge status={card.status} />
                <span>{plural(card.voteCount, "vote")}</span>
                {view.column === "completed" ? (
                  <span>
                    · updated <Day value={card.changedOn} />
                  </span>
                ) : null}
              </p>
              <p className="meta-line">{card.team ? `${card.category} ·\u00a0${card.team}` : card.category}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {view.column === "completed"
            ? `Nothing completed in the last ${days} days${category ? " in this category" : ""}.`
            : `Nothing ${roadmapColumnLabels[view.column].toLowerCase()}${category ? " in this category" : ""} yet.`}
        </p>
      )}
      {/* "Recently completed" always leaves some out: the older completions are one click away. */}
      {view.total > view.cards.length || view.column === "completed" ? (
        <ul className="ask-list">
          {view.statuses.map((s) => (
            <li key={s.slug}>
              <Link to={moreLink(view.column, s.slug, category)}>See all asks in {s.name}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

// The asks list, filtered to the status; completed asks by latest change, the rest by votes as here.
function moreLink(column: RoadmapColumn, status: string, category: string): string {
  const params = new URLSearchParams({ status, sort: column === "completed" ? "updated" : "top" });
  if (category) params.set("category", category);
  return `/?${params}`;
}
