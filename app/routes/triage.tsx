import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "~/components/ask-row";
import { CsvExportLink } from "~/components/csv-export-link";
import { EmptyState } from "~/components/empty-state";
import { FilterForm } from "~/components/filter-form";
import { plural } from "~/components/format";
import { OrganizationChip, OrganizationField } from "~/components/organization-field";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { countOpenAsksByTeam } from "~/models/triage.server";
import { readTriageQueue } from "~/services/ask-lists.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { requirePermission } from "~/services/permission.server";
import { pageSize, parsePage } from "~/validation/fields";
import { type TriageSort, type TriageView, triageSorts, triageViews } from "~/validation/query";

export const meta: MetaFunction = () => [{ title: "Triage · Asklog" }];

type View = TriageView;

const viewLabels: Record<View, string> = {
  new: "New",
  mine: "Assigned to my team",
  "by-team": "All open by team",
};

const sortLabels: Record<TriageSort, string> = {
  queue: "Queue order",
  organizations: "Most organizations",
};

// An empty queue says which one is empty, why, and where the work may be instead.
const emptyStates: Record<View, { title: string; text: string; next: { to: string; label: string } }> = {
  new: {
    title: "Nothing new to triage",
    text: "Every open ask has a team or a status update.",
    next: { to: "?view=by-team", label: "See all open asks by team" },
  },
  mine: {
    title: "Your team has no open asks",
    text: "Asks assigned to your team show here, the longest-waiting first.",
    next: { to: "?view=new", label: "See new asks" },
  },
  "by-team": {
    title: "No open asks",
    text: "Every ask has a closed status.",
    next: { to: "/", label: "See all asks" },
  },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ask:triage");
  const params = new URL(request.url).searchParams;
  const { view, team, sort, org, organization, pager } = readTriageQueue(params, user);
  const page = parsePage(params.get("page"));
  const list = pager(page);
  redirectPastEnd(request, page, list.total, pageSize);
  return {
    view,
    page,
    viewer: listViewer(
      user,
      list.asks.map((a) => a.id),
    ),
    team: team ?? null,
    filter: { sort, org: org ?? "" },
    organization,
    myTeam: user.team,
    teamCounts: view === "by-team" ? countOpenAsksByTeam() : [],
    ...list,
  };
}

export default function Triage() {
  const { view, page, viewer, team, filter, organization, myTeam, teamCounts, asks, total } =
    useLoaderData<typeof loader>();
  const filters: FilterDefinition[] = [
    {
      name: "sort",
      label: "Sort by",
      value: filter.sort,
      options: triageSorts.map((s) => ({ value: s, label: sortLabels[s] })),
    },
  ];
  return (
    <>
      <h1>Triage</h1>
      <p className="muted">
        Asks waiting for a program team: assign a team and answer with a dated status update on the ask's page.
      </p>
      <QueryTabs label="Triage queues" param="view" tabs={triageViews} labels={viewLabels} current={view} />
      <FilterForm label="Sort and filter this queue">
        <input type="hidden" name="view" value={view} />
        {team !== null ? <input type="hidden" name="team" value={team} /> : null}
        <SelectFilters idPrefix="" filters={filters} />
        <OrganizationField value={filter.org} state={organization} />
        <button type="submit">Apply</button>
      </FilterForm>
      <OrganizationChip state={organization} />
      {asks.length ? (
        <p className="muted">
          {plural(total, "ask")} in this queue · <CsvExportLink to="/triage.csv" what="this queue" />
        </p>
      ) : null}

      {view === "by-team" ? (
        <nav aria-labelledby="team-counts-title">
          <h2 id="team-counts-title">Open asks per team</h2>
          <ul>
            <li>
              <Link to="?view=by-team" aria-current={team === null ? "page" : undefined}>
                All teams
              </Link>
            </li>
            {teamCounts.map((c) => (
              <li key={c.teamId ?? "none"}>
                <Link
                  to={`?view=by-team&team=${c.teamId ?? "none"}`}
                  aria-current={(c.teamId ?? "none") === team ? "page" : undefined}
                >
                  {c.team ?? "No team"}
                </Link>{" "}
                ({c.count})
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {view === "mine" ? (
        <p>{myTeam ? `Open asks assigned to ${myTeam}, the longest-waiting first.` : "You are not on a team yet."}</p>
      ) : null}

      {asks.length ? (
        view === "by-team" ? (
          groupByTeam(asks).map((group) => (
            <section key={group.teamId ?? "none"} aria-labelledby={`team-${group.teamId ?? "none"}`}>
              <h2 id={`team-${group.teamId ?? "none"}`}>{group.team ?? "No team"}</h2>
              <AskList asks={group.asks} viewer={viewer} />
            </section>
          ))
        ) : (
          <AskList asks={asks} viewer={viewer} />
        )
      ) : view === "mine" && !myTeam ? null : filter.org ? (
        <EmptyState
          title="No asks of this organization in this queue"
          actions={<Link to={`?view=${view}${team !== null ? `&team=${team}` : ""}`}>Show every organization</Link>}
        >
          <p>
            None of the asks in this queue were {organization.via === "wants" ? "filed or voted on" : "filed"} by the
            organization's members.
          </p>
        </EmptyState>
      ) : view === "by-team" && team !== null ? (
        <EmptyState title="No open asks for this team" actions={<Link to="?view=by-team">See all teams</Link>}>
          <p>Every ask this team was given has a closed status.</p>
        </EmptyState>
      ) : (
        <EmptyState
          title={emptyStates[view].title}
          actions={<Link to={emptyStates[view].next.to}>{emptyStates[view].next.label}</Link>}
        >
          <p>{emptyStates[view].text}</p>
        </EmptyState>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}

// The rows come sorted by team; consecutive rows of one team share a heading.
function groupByTeam<T extends { teamId: number | null; team: string | null }>(rows: T[]) {
  const groups: { teamId: number | null; team: string | null; asks: T[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last.teamId === row.teamId) last.asks.push(row);
    else groups.push({ teamId: row.teamId, team: row.team, asks: [row] });
  }
  return groups;
}
