import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { askListFilters } from "~/components/ask-filters";
import { AskList } from "~/components/ask-row";
import { FilterForm } from "~/components/filter-form";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { SelectFilters } from "~/components/select-filter";
import { listAsks } from "~/models/ask.server";
import { findOrganizationPage } from "~/models/profile.server";
import { canSeeOrganizationVotes } from "~/models/site-setting.server";
import { readHomeList } from "~/services/ask-lists.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { can } from "~/services/permission.server";
import { getUser } from "~/services/session.server";
import { organizationPath } from "~/slug";
import { pageSize, parsePage } from "~/validation/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.organization.name} · Asklog` : "Organization not found · Asklog" },
];

// How the organization's members came to the asks each tab lists.
const organizationTabs = ["filed", "voted", "commented"] as const;
type OrganizationTab = (typeof organizationTabs)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getUser(request);
  const url = new URL(request.url);
  const found = findOrganizationPage(params.org ?? "");
  if (!found) throw data("Organization not found", { status: 404 });
  // A merged organization's old address (in bookmarks, in mail) leads to the one it joined.
  if ("mergedInto" in found) throw redirect(`${organizationPath({ slug: found.mergedInto })}${url.search}`, 301);
  const { organization } = found;

  // Which asks an organization voted on is the breakdown some partners keep from competitors.
  const tabs = organizationTabs.filter((t) => t !== "voted" || canSeeOrganizationVotes(viewer));
  const show: OrganizationTab = tabs.find((t) => t === url.searchParams.get("show")) ?? "filed";
  // The home list's sort and filters, read from the address as the home page reads them.
  const { filter, statuses, categories } = readHomeList(url.searchParams, viewer);
  const includeHidden = can(viewer, "ask:moderate");
  // Each tab counts all the organization's asks of its kind, whatever the filters; a page of one
  // row costs little, and the count is kept until the database changes.
  const counts = Object.fromEntries(
    tabs.map((via) => [
      via,
      listAsks({ sort: "newest", organization: { id: organization.id, via }, page: 1, pageSize: 1, includeHidden })
        .total,
    ]),
  ) as Partial<Record<OrganizationTab, number>>;
  const page = parsePage(url.searchParams.get("page"));
  const { asks, total } = listAsks({
    sort: filter.sort,
    status: filter.status,
    categoryId: filter.categoryId,
    organization: { id: organization.id, via: show },
    page,
    includeHidden,
  });
  redirectPastEnd(request, page, total, pageSize);
  return {
    organization,
    tabs,
    show,
    counts,
    asks,
    total,
    page,
    viewer: listViewer(
      viewer,
      asks.map((a) => a.id),
    ),
    filter: {
      sort: filter.sort,
      status: filter.status ?? "",
      category: filter.categoryId ? String(filter.categoryId) : "",
    },
    statuses: statuses.map((s) => ({ slug: s.slug, name: s.name })),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
  };
}

const tabNames: Record<OrganizationTab, string> = { filed: "Filed", voted: "Voted on", commented: "Commented on" };

export default function OrganizationPage() {
  const { organization, tabs, show, counts, asks, total, page, viewer, filter, statuses, categories } =
    useLoaderData<typeof loader>();
  const labels = Object.fromEntries(organizationTabs.map((t) => [t, `${tabNames[t]} (${counts[t] ?? 0})`])) as Record<
    OrganizationTab,
    string
  >;
  return (
    <>
      <h1>{organization.name}</h1>
      <dl className="account-details">
        <dt>Members</dt>
        <dd>{organization.memberCount}</dd>
        {organization.domains.length ? (
          <>
            <dt>{organization.domains.length === 1 ? "Mail domain" : "Mail domains"}</dt>
            <dd>{organization.domains.join(", ")}</dd>
          </>
        ) : null}
      </dl>
      <QueryTabs
        label={`Asks ${organization.name}'s members took part in`}
        param="show"
        tabs={tabs}
        labels={labels}
        current={show}
      />
      <FilterForm label="Sort and filter these asks">
        <input type="hidden" name="show" value={show} />
        <SelectFilters idPrefix="" filters={askListFilters({ filter, statuses, categories })} />
        <button type="submit">Apply</button>
      </FilterForm>
      <p className="muted" aria-live="polite">
        {plural(total, "ask")}
      </p>
      {asks.length ? (
        <AskList asks={asks} viewer={viewer} />
      ) : (
        <p className="muted">
          {filter.status || filter.category
            ? "No asks match these filters."
            : `No asks ${tabNames[show].toLowerCase()} by ${organization.name}'s members yet.`}
        </p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
