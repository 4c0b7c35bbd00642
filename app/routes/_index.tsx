import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "~/components/ask-row";
import { EmptyState } from "~/components/empty-state";
import { FilterForm } from "~/components/filter-form";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { choices, type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { listAsks } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { listStatuses } from "~/models/status.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { can } from "~/services/permission.server";
import { parseSearchQuery, searchMessages } from "~/services/search-query.server";
import { getUser } from "~/services/session.server";
import { pageSize, parsePage, parseSearchText } from "~/validation/fields";
import { type AskSort, askSorts } from "~/validation/query";

export const meta: MetaFunction = () => [
  { title: "Asks · Asklog" },
  { name: "description", content: "Partner asks, votes and the dated history of every answer." },
];

const sortLabels: Record<AskSort, string> = {
  trending: "Trending",
  top: "Top voted",
  newest: "Newest",
  updated: "Recently updated",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const sort = askSorts.find((s) => s === params.get("sort")) ?? "trending";
  const statuses = listStatuses();
  const categories = listCategories();
  const status = statuses.find((s) => s.slug === params.get("status"))?.slug;
  const categoryId = categories.find((c) => String(c.id) === params.get("category"))?.id;
  const q = parseSearchText(params.get("q")).trim();
  // ?q= narrows the list to the asks /search finds for the same words (one engine,
  // one idea of a match); the list keeps its own order.
  const query = q ? parseSearchQuery(q) : undefined;
  const page = parsePage(params.get("page"));
  const user = await getUser(request);
  const includeHidden = can(user, "ask:moderate");
  const { asks, total }: ReturnType<typeof listAsks> =
    query?.ok === false
      ? { asks: [], total: 0 }
      : listAsks({ sort, status, categoryId, match: query?.match, page, includeHidden });
  redirectPastEnd(request, page, total, pageSize);
  return {
    asks,
    viewer: listViewer(
      user,
      asks.map((a) => a.id),
    ),
    total,
    page,
    searchMessage: query?.ok === false ? searchMessages[query.reason] : null,
    filter: { sort, status: status ?? "", category: categoryId ? String(categoryId) : "", q },
    statuses: statuses.map((s) => ({ slug: s.slug, name: s.name })),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
  };
}

export default function Index() {
  const { asks, viewer, total, page, searchMessage, filter, statuses, categories } = useLoaderData<typeof loader>();

  const statusOptions = choices(statuses, "slug", "name");
  const sortOptions = askSorts.map((s) => ({ value: s, label: sortLabels[s] }));
  const filters: FilterDefinition[] = [
    { name: "sort", label: "Sort by", value: filter.sort, options: sortOptions },
    { name: "status", label: "Status", anyLabel: "All statuses", value: filter.status, options: statusOptions },
    {
      name: "category",
      label: "Category",
      anyLabel: "All categories",
      value: filter.category,
      options: choices(categories, "id", "name"),
    },
  ];
  const filtered = Boolean(filter.q || filter.status || filter.category);
  return (
    <>
      <div className="actions spread">
        <h1>{filter.q ? `Asks matching “${filter.q}”` : "Asks"}</h1>
        <Link className="button" to="/asks/new">
          File an ask
        </Link>
      </div>
      <FilterForm label="Sort and filter asks">
        {filter.q ? <input type="hidden" name="q" value={filter.q} /> : null}
        <SelectFilters idPrefix="" filters={filters} />
        <button type="submit">Apply</button>
      </FilterForm>
      <p className="muted" aria-live="polite">
        {searchMessage ?? plural(total, "ask")}
        {filter.q && !searchMessage ? (
          <>
            {" · "}
            <Link to={`/search?q=${encodeURIComponent(filter.q)}`}>
              Best matches first, with where each one matched
            </Link>
          </>
        ) : null}
      </p>
      {asks.length ? (
        <AskList asks={asks} viewer={viewer} />
      ) : filtered ? (
        <EmptyState
          title="No asks match"
          actions={
            <>
              <Link className="button secondary" to="/">
                Show all asks
              </Link>
              <Link className="button" to="/asks/new">
                File an ask
              </Link>
            </>
          }
        >
          <p>Try another filter, or file the ask yourself.</p>
        </EmptyState>
      ) : (
        <EmptyState
          title="No asks yet"
          actions={
            <Link className="button" to="/asks/new">
              File the first ask
            </Link>
          }
        >
          <p>Asks that partners file show up here, with their votes and status.</p>
        </EmptyState>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
