import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { isResolved } from "~/domain";
// A type only: nothing of the server module reaches the browser.
import type { AskSummary } from "~/models/ask.server";
import { askPath } from "~/slug";
import { plainExcerpt, plural } from "./format";
import { authorOf, PersonName } from "./person-name";
import { StatusBadge } from "./status-badge";
import { Time } from "./time";
import { ListVoteButton } from "./vote-button";

// The summary query cuts descriptions at this many characters (substr in SQL).
const excerptLength = 300;

// What a list knows about the person reading it, for the rows' vote buttons.
export type ListViewer = { signedIn: boolean; canVote: boolean; votedIds: readonly number[] };

// `children` goes under the title: the search page puts the matching snippet there, instead of the excerpt.
// Without a viewer (results fetched while typing) the row shows its count only.
export function AskRow({ ask, viewer, children }: { ask: AskSummary; viewer?: ListViewer; children?: ReactNode }) {
  const excerpt = children ? null : plainExcerpt(ask.excerpt, ask.excerpt.length < excerptLength);
  return (
    <li className="ask-row" id={`ask-${ask.id}`}>
      {viewer ? (
        <ListVoteButton
          ask={ask}
          voted={viewer.votedIds.includes(ask.id)}
          open={ask.status.acceptsVotes}
          canVote={viewer.canVote && ask.status.acceptsVotes}
          signedIn={viewer.signedIn}
        />
      ) : (
        <p className="vote-tally">
          <strong>{ask.voteCount}</strong> {ask.voteCount === 1 ? "vote" : "votes"}
        </p>
      )}
      <div>
        <h2>
          <Link to={askPath(ask)}>{ask.title}</Link>
        </h2>
        {children}
        {excerpt ? <p className="excerpt">{excerpt}</p> : null}
        <p className="meta-line">
          <StatusBadge status={ask.status} />
          {ask.hasResolution && isResolved(ask.status) ? (
            <span>
              <span aria-hidden="true">✓ </span>Resolved with link
            </span>
          ) : null}
          <span>{ask.category}</span>
          <span aria-hidden="true">·</span>
          <span>{plural(ask.commentCount, "comment")}</span>
          <span aria-hidden="true">·</span>
          <span>
            <PersonName person={authorOf(ask)} organization="comma" /> ·{"\u00a0"}
            <Time value={ask.createdAt} relative />
          </span>
        </p>
      </div>
    </li>
  );
}

// A list of asks, one row each: the home page, my asks and the triage queues.
export function AskList({ asks, viewer }: { asks: AskSummary[]; viewer?: ListViewer }) {
  return (
    <ul className="ask-list">
      {asks.map((ask) => (
        <AskRow key={ask.id} ask={ask} viewer={viewer} />
      ))}
    </ul>
  );
}
