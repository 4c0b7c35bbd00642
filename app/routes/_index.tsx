import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { askListFilters } from "~/components/ask-filters";
import { AskList } from "~/components/ask-row";
import { CsvExportLink } from "~/components/csv-export-link";
import { EmptyState } from "~/components/empty-state";
import { FilterForm } from "~/components/filter-form";
import { plural } from "~/components/format";
import { OrganizationChip, OrganizationField } from "~/components/organization-field";
import { Pagination } from "~/components/pagination";
import { SelectFilters } from "~/components/select-filter";
import { readHomeList } from "~/services/ask-lists.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { getUser } from "~/services/session.server";
import { pageSize, parsePage } from "~/validation/fields";

export const meta: MetaFunction = () => [
  { title: "Asks · Asklog" },
  { name: "description", content: "Partner asks, votes and the dated history of every answer." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const user = await getUser(request);
  const { filter, statuses, categories, organization, searchMessage, pager } = readHomeList(params, user);
  const page = parsePage(params.get("page"));
  const { asks, total } = pager(page);
  redirectPastEnd(request, page, total, pageSize);
  return {
    asks,
    viewer: listViewer(
      user,
      asks.map((a) => a.id),
    ),
    total,
    page,
    searchMessage,
    filter: {
      sort: filter.sort,
      status: filter.status ?? "",
      category: filter.categoryId ? String(filter.categoryId) : "",
      org: filter.org ?? "",
      q: filter.q,
    },
    statuses: statuses.map((s) => ({ slug: s.slug, name: s.name })),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
    organization,
  };
}

export default function Index() {
  const { asks, viewer, total, page, searchMessage, filter, statuses, categories, organization } =
    useLoaderData<typeof loader>();

  const filters = askListFilters({ filter, statuses, categories });
  const filtered = Boolean(filter.q || filter.status || filter.category || filter.org);
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
        <OrganizationField value={filter.org} state={organization} />
        <button type="submit">Apply</button>
      </FilterForm>
      <OrganizationChip state={organization} />
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
        {asks.length ? (
          <>
            {" · "}
            <CsvExportLink to="/asks.csv" what="these asks" />
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
