import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "~/components/ask-row";
import { plainExcerpt } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { Day, Time } from "~/components/time";
import { roleLabels } from "~/domain";
import { listMyAsks } from "~/models/ask.server";
import { getProfile, listPersonComments } from "~/models/profile.server";
import { canSeeOrganizationVotes } from "~/models/site-setting.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { can } from "~/services/permission.server";
import { getUser } from "~/services/session.server";
import { askPath, organizationPath, parsePersonParam, personPath } from "~/slug";
import { pageSize, parsePage } from "~/validation/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.person.displayName} · Asklog` : "Person not found · Asklog" },
];

const profileTabs = ["asks", "comments", "votes"] as const;
type ProfileTab = (typeof profileTabs)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getUser(request);
  const id = parsePersonParam(params.person);
  const person = id ? getProfile(id) : undefined;
  const own = person !== undefined && viewer?.id === person.id;
  // A hidden profile is not there for others; moderators still reach it, and the person theirs.
  if (!person || (person.profileHidden && !own && !can(viewer, "profile:read-hidden"))) {
    throw data("Person not found", { status: 404 });
  }
  const url = new URL(request.url);
  // Old or mistyped names still find the person; the address bar gets the current one.
  const path = personPath(person);
  if (`/people/${params.person}` !== path) throw redirect(`${path}${url.search}`, 301);

  // Votes follow the rule for votes by organization: someone's votes say what their company wants.
  const seesVotes = canSeeOrganizationVotes(viewer);
  const tabs = profileTabs.filter((t) => t !== "votes" || seesVotes);
  const show: ProfileTab = tabs.find((t) => t === url.searchParams.get("show")) ?? "asks";
  const page = parsePage(url.searchParams.get("page"));
  const reader = { seesHiddenComments: can(viewer, "comment:moderate"), seesHiddenAsks: can(viewer, "ask:moderate") };
  // The lists' counts for the tabs; a page of one row each costs little.
  const counts: Record<ProfileTab, number> = {
    asks: listMyAsks(person.id, "filed", 1, 1).total,
    comments: listPersonComments(person.id, reader, 1, 1).total,
    votes: seesVotes ? listMyAsks(person.id, "voted", 1, 1).total : 0,
  };
  const asks = show === "comments" ? undefined : listMyAsks(person.id, show === "votes" ? "voted" : "filed", page);
  const comments = show === "comments" ? listPersonComments(person.id, reader, page) : undefined;
  redirectPastEnd(request, page, counts[show], pageSize);
  return {
    person,
    own,
    tabs,
    show,
    counts,
    page,
    asks: asks?.asks ?? [],
    comments: (comments?.comments ?? []).map(({ excerpt, complete, ...c }) => ({
      ...c,
      text: plainExcerpt(excerpt, complete),
    })),
    viewer: listViewer(viewer, asks?.asks.map((a) => a.id) ?? []),
  };
}

const emptyText: Record<ProfileTab, string> = {
  asks: "No asks filed yet.",
  comments: "No comments yet.",
  votes: "No votes yet.",
};

export default function PersonPage() {
  const { person, own, tabs, show, counts, page, asks, comments, viewer } = useLoaderData<typeof loader>();
  const labels: Record<ProfileTab, string> = {
    asks: `Asks filed (${counts.asks})`,
    comments: `Comments (${counts.comments})`,
    votes: `Votes (${counts.votes})`,
  };
  const team = person.role !== "member";
  return (
    <>
      {person.profileHidden ? (
        <p className="banner" role="status">
          This profile is hidden from others
          {own ? (
            <>
              {" "}
              (<Link to="/account#profile-visibility">change this in your account</Link>)
            </>
          ) : null}
          .
        </p>
      ) : null}
      <h1>{person.displayName}</h1>
      <dl className="account-details">
        {person.organization ? (
          <>
            <dt>Organization</dt>
            <dd>
              {person.organization.slug ? (
                <Link to={organizationPath({ slug: person.organization.slug })}>{person.organization.name}</Link>
              ) : (
                person.organization.name
              )}
            </dd>
          </>
        ) : null}
        {team ? (
          <>
            <dt>Role</dt>
            <dd>
              <span className="badge">
                {roleLabels[person.role]}
                {person.team ? `, ${person.team}` : ""}
              </span>
            </dd>
          </>
        ) : null}
        {person.placeholder ? (
          <>
            <dt>Account</dt>
            <dd>Known from imported history; not signed up yet</dd>
          </>
        ) : (
          <>
            <dt>Member since</dt>
            <dd>
              <Day value={person.createdAt} />
            </dd>
          </>
        )}
      </dl>

      <QueryTabs label={`${person.displayName}'s activity`} param="show" tabs={tabs} labels={labels} current={show} />
      {show === "comments" ? (
        comments.length ? (
          <ol className="comments">
            {comments.map((c) => (
              <li key={c.id} className={c.hiddenAt || c.ask.hiddenAt ? "comment deleted" : "comment"}>
                <p className="meta-line">
                  <span>
                    On <Link to={`${askPath(c.ask)}#comment-${c.id}`}>{c.ask.title}</Link>
                  </span>
                  <Time value={c.createdAt} relative />
                  {c.hiddenAt ? <span>Hidden from partners</span> : null}
                  {c.ask.hiddenAt ? <span>On a hidden ask</span> : null}
                </p>
                <p>{c.text}</p>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">{emptyText.comments}</p>
        )
      ) : asks.length ? (
        <AskList asks={asks} viewer={viewer} />
      ) : (
        <p className="muted">{emptyText[show]}</p>
      )}
      <Pagination page={page} total={counts[show]} pageSize={pageSize} />
    </>
  );
}
