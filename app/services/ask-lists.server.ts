import { type AskSummary, listAsks, type OrganizationFilter } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { organizationNamed } from "~/models/organization.server";
import { canSeeOrganizationVotes } from "~/models/site-setting.server";
import { listStatuses } from "~/models/status.server";
import {
  listNewAsks,
  listOpenAsksByTeam,
  listTeamAsks,
  type TriageOptions,
  type TriagePage,
} from "~/models/triage.server";
import type { User } from "~/models/user.server";
import { pageSize, parseId, parseSearchText } from "~/validation/fields";
import { askSorts, type OrganizationLink, triageSorts, triageViews } from "~/validation/query";
import { can } from "./permission.server";
import { parseSearchQuery, searchMessages } from "./search-query.server";

// What a list page reads from its address, read once for the page and its CSV export,
// so an export holds exactly the asks of the list it was taken from, in its order.

export type ListPage<Row extends AskSummary = AskSummary> = { asks: Row[]; total: number };
// A page of the list, `size` rows long (the page's own size unless said).
export type ListPager<Row extends AskSummary = AskSummary> = (page: number, size?: number) => ListPage<Row>;

// ?org=: an organization's name as typed (folded: "dell " is Dell) or its page address (links
// to a list pass the slug). It keeps the asks its members filed, and those they voted on for
// viewers who may see votes by organization; for anyone else the filter would reveal the votes.
// A name that finds no organization lists no asks, rather than every ask under its name.
function readOrganizationFilter(params: URLSearchParams, viewer: User | undefined) {
  const via: OrganizationLink = canSeeOrganizationVotes(viewer) ? "wants" : "filed";
  const typed = parseSearchText(params.get("org")).trim();
  const chosen = typed ? organizationNamed(typed) : undefined;
  const organization: OrganizationFilter | undefined = chosen ? { id: chosen.id, via } : undefined;
  return {
    via,
    // What the field shows: the organization's own name once found, else what was typed.
    org: chosen?.name ?? typed,
    chosen: chosen ? { name: chosen.name, slug: chosen.slug } : null,
    unknown: Boolean(typed && !chosen),
    organization,
  };
}

// The home list: ?sort=, ?status=, ?category=, ?org= and ?q= (the asks /search finds for the same words).
export function readHomeList(params: URLSearchParams, viewer: User | undefined) {
  const sort = askSorts.find((s) => s === params.get("sort")) ?? "trending";
  const statuses = listStatuses();
  const categories = listCategories();
  const status = statuses.find((s) => s.slug === params.get("status"))?.slug;
  const categoryId = categories.find((c) => String(c.id) === params.get("category"))?.id;
  const { via, org, chosen, unknown, organization } = readOrganizationFilter(params, viewer);
  const q = parseSearchText(params.get("q")).trim();
  const query = q ? parseSearchQuery(q) : undefined;
  const includeHidden = can(viewer, "ask:moderate");
  const pager: ListPager = (page, size = pageSize) =>
    query?.ok === false || unknown
      ? { asks: [], total: 0 }
      : listAsks({ sort, status, categoryId, organization, match: query?.match, page, pageSize: size, includeHidden });
  return {
    filter: { sort, status, categoryId, org, q },
    statuses,
    categories,
    organization: { chosen, unknown, via },
    searchMessage: query?.ok === false ? searchMessages[query.reason] : null,
    pager,
  };
}

// ?team=<id>, or "none" for the asks no team has.
function teamFilter(raw: string | null): number | "none" | undefined {
  return raw === "none" ? "none" : parseId(raw);
}

// A triage queue: ?view=, on "by-team" ?team=, and on every view ?org= and ?sort=.
export function readTriageQueue(params: URLSearchParams, viewer: User) {
  const view = triageViews.find((v) => v === params.get("view")) ?? "new";
  const team = view === "by-team" ? teamFilter(params.get("team")) : undefined;
  const sort = triageSorts.find((s) => s === params.get("sort")) ?? "queue";
  const { via, org, chosen, unknown, organization } = readOrganizationFilter(params, viewer);
  const options: TriageOptions = { organization, sort };
  const pager: ListPager<TriagePage["asks"][number]> = (page, size = pageSize) =>
    unknown
      ? { asks: [], total: 0 }
      : view === "new"
        ? listNewAsks(page, size, options)
        : view === "mine"
          ? viewer.teamId
            ? listTeamAsks(viewer.teamId, page, size, options)
            : { asks: [], total: 0 }
          : listOpenAsksByTeam(team, page, size, options);
  return { view, team, sort, org, organization: { chosen, unknown, via }, pager };
}
