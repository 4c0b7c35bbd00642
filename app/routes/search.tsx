import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment, type ReactNode, useState } from "react";
import { CsvExportLink } from "~/components/csv-export-link";
import { EmptyState } from "~/components/empty-state";
import { Field } from "~/components/field";
import { useApplyOnChange } from "~/components/filter-form";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { SearchChips, unknownNames } from "~/components/search-chips";
import { SearchHit } from "~/components/search-hit";
import { choices, type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { Day } from "~/components/time";
import { useDebounced } from "~/components/use-debounced";
import { listCategories } from "~/models/category.server";
import { listStatuses } from "~/models/status.server";
import { listTeams } from "~/models/team.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { can } from "~/services/permission.server";
import { searchAsks, searchMessages } from "~/services/search-query.server";
import { getUser } from "~/services/session.server";
import { pageSize, parsePage, searchQueryMax } from "~/validation/fields";
import { readSearchParams } from "~/validation/search";
import type { loader as suggestLoader } from "./api.search";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.filter.q ? `“${data.filter.q}” · Search · Asklog` : "Search · Asklog" },
  ...(data?.filter.q
    ? [
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `Asks matching “${data.filter.q}”`,
          href: `/search.atom?q=${encodeURIComponent(data.filter.q)}`,
        },
      ]
    : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const statuses = listStatuses().map((s) => ({ slug: s.slug, name: s.name }));
  const categories = listCategories().map((c) => ({ id: c.id, name: c.name }));
  const teams = listTeams().map((t) => ({ id: t.id, name: t.name }));
  const { filter, errors } = readSearchParams(params, { statuses, categories, teams });
  const page = parsePage(params.get("page"));
  const user = await getUser(request);
  const includeHidden = can(user, "ask:moderate");
  const outcome = filter.q || params.has("q") ? searchAsks({ ...filter, page, includeHidden }) : null;
  if (outcome?.ok) redirectPastEnd(request, page, outcome.total, pageSize);
  return {
    viewer: listViewer(user, outcome?.ok ? outcome.results.map((r) => r.id) : []),
    filter,
    errors,
    page,
    statuses,
    categories,
    teams,
    outcome: outcome && (outcome.ok ? outcome : { ok: false as const, message: searchMessages[outcome.reason] }),
  };
}

const dateFilters = [
  { name: "from", label: "Filed from" },
  { name: "to", label: "Filed until" },
] as const;

export default function Search() {
  const { filter, errors, page, statuses, categories, teams, outcome, viewer } = useLoaderData<typeof loader>();

  const statusOptions = choices(statuses, "slug", "name");
  const filters: FilterDefinition[] = [
    { name: "status", label: "Status", anyLabel: "Any status", value: filter.status, options: statusOptions },
    {
      name: "category",
      label: "Category",
      anyLabel: "Any category",
      value: filter.categoryId,
      options: choices(categories, "id", "name"),
    },
    { name: "team", label: "Team", anyLabel: "Any team", value: filter.teamId, options: choices(teams, "id", "name") },
  ];
  // The filters this search ran with, in words: an empty result says what was searched.
  const activeFilters: { name: string; text: ReactNode }[] = [
    { name: "status", value: statuses.find((st) => st.slug === filter.status)?.name, prefix: "with status" },
    { name: "category", value: categories.find((c) => c.id === filter.categoryId)?.name, prefix: "in" },
    { name: "team", value: teams.find((t) => t.id === filter.teamId)?.name, prefix: "assigned to" },
  ].flatMap(({ name, value, prefix }) => (value ? [{ name, text: `${prefix} ${value}` }] : []));
  if (filter.from)
    activeFilters.push({
      name: "from",
      text: (
        <>
          filed from <Day value={filter.from} />
        </>
      ),
    });
  if (filter.to)
    activeFilters.push({
      name: "to",
      text: (
        <>
          filed until <Day value={filter.to} />
        </>
      ),
    });
  const navigation = useNavigation();
  const applyOnChange = useApplyOnChange();
  const suggestions = useFetcher<typeof suggestLoader>();
  const [typed, setTyped] = useState(filter.q);
  // As-you-type results: a debounced request to /api/search while the person types;
  // submitting the form (or having no JavaScript) gives the full results page.
  const suggest = useDebounced((value: string) => {
    if (value.trim()) suggestions.load(`/api/search?q=${encodeURIComponent(value)}&limit=8`);
  });
  const onType = (value: string) => {
    setTyped(value);
    suggest(value);
  };
  const live = typed !== filter.q && typed.trim() && suggestions.data?.ok ? suggestions.data : null;

  return (
    <>
      <h1>Search</h1>
      <Form method="get" role="search" aria-label="Search asks" className="search-form" onChange={applyOnChange}>
        <div className="field">
          <label htmlFor="search-q">Search</label>
          <input
            id="search-q"
            type="search"
            name="q"
            defaultValue={filter.q}
            maxLength={searchQueryMax}
            autoComplete="off"
            aria-describedby="search-q-hint"
            aria-controls="search-results"
            onChange={(event) => onType(event.currentTarget.value)}
          />
          <p className="hint" id="search-q-hint">
            Titles, descriptions, status notes, comments, resolution links and the names of the people who wrote them.
            Use "quotes" for a phrase, -word to leave a word out, and org:dell, author:"raj mehta" or team:epx to narrow
            by name.
          </p>
        </div>
        <div className="filters">
          <SelectFilters idPrefix="search-" filters={filters} />
          {dateFilters.map(({ name, label }) => (
            <Field key={name} id={`search-${name}`} label={label} error={errors[name]}>
              {(describedBy, invalid) => (
                <input
                  id={`search-${name}`}
                  type="date"
                  name={name}
                  defaultValue={filter[name] ?? ""}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                />
              )}
            </Field>
          ))}
          <button type="submit" disabled={navigation.state === "loading"}>
            Search
          </button>
        </div>
      </Form>

      {outcome?.ok ? <SearchChips chips={outcome.qualifiers} /> : null}
      <div id="search-results" aria-live="polite">
        {live ? (
          <section aria-labelledby="live-title">
            <h2 id="live-title">Top matches for “{typed.trim()}”</h2>
            <p className="muted">Press Enter for all {plural(live.total, "result")}.</p>
            <ol className="ask-list">
              {live.results.map((r) => (
                <SearchHit key={r.id} result={r} />
              ))}
            </ol>
          </section>
        ) : outcome === null ? (
          <EmptyState title="Search every ask">
            <p>
              Type words from a title or a description, a phrase from a status note or a comment, or part of a
              resolution link. Put a phrase in quotes to find it as written.
            </p>
          </EmptyState>
        ) : !outcome.ok ? (
          <p className="notice" role="status">
            {outcome.message}
          </p>
        ) : outcome.results.length ? (
          <>
            <p className="muted">
              {outcome.window
                ? `More than ${outcome.window.toLocaleString("en")} asks match`
                : `${plural(outcome.total, "ask")} found`}
              {filter.from || filter.to ? (
                <>
                  {" (filed"}
                  {filter.from ? (
                    <>
                      {" from "}
                      <Day value={filter.from} />
                    </>
                  ) : null}
                  {filter.to ? (
                    <>
                      {" until "}
                      <Day value={filter.to} />
                    </>
                  ) : null}
                  {")"}
                </>
              ) : null}
              . <Link to={`/search.atom?q=${encodeURIComponent(filter.q)}`}>Follow this search as a feed</Link>
              {" · "}
              <CsvExportLink to="/search.csv" what="these results" />
            </p>
            {outcome.window ? (
              <p className="notice" role="status">
                These are the best matches among the {outcome.window.toLocaleString("en")} most recent. Add a word or a
                filter to search all of them.
              </p>
            ) : null}
            <ol className="ask-list">
              {outcome.results.map((r) => (
                <SearchHit key={r.id} result={r} viewer={viewer} />
              ))}
            </ol>
            <Pagination page={page} total={outcome.total} pageSize={pageSize} />
          </>
        ) : (
          <div role="status">
            <EmptyState
              title="No asks match"
              actions={
                activeFilters.length ? (
                  <Link to={`/search?q=${encodeURIComponent(filter.q)}`}>Search “{filter.q}” without filters</Link>
                ) : null
              }
            >
              <p>
                Nothing matched “{filter.q}”
                {activeFilters.length ? (
                  <>
                    {" "}
                    among asks{" "}
                    {activeFilters.map((f, i) => (
                      <Fragment key={f.name}>
                        {i ? ", " : " "}
                        {f.text}
                      </Fragment>
                    ))}
                  </>
                ) : null}
                .
              </p>
              {unknownNames(outcome.qualifiers).map((sentence) => (
                <p key={sentence}>{sentence}</p>
              ))}
              <p>
                {activeFilters.length || outcome.qualifiers.length
                  ? "Try removing a filter, using fewer words, or checking the spelling."
                  : "Try fewer words, or check the spelling."}
              </p>
            </EmptyState>
          </div>
        )}
      </div>
    </>
  );
}
