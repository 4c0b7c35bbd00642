import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
// A type only: nothing of the server module reaches the browser.
import type { AskSummary } from "~/models/ask.server";
import { askPath } from "~/slug";
import { formatDate, plural } from "./format";
import { StatusBadge } from "./status-badge";

// `children` goes under the title: the search page puts the matching snippet there.
export function AskRow({ ask, children }: { ask: AskSummary; children?: ReactNode }) {
  return (
    <li className="ask-row">
      <p className="vote-tally">
        <strong>{ask.voteCount}</strong> {ask.voteCount === 1 ? "vote" : "votes"}
      </p>
      <div>
        <h2>
          <Link to={askPath(ask)}>{ask.title}</Link>
        </h2>
        {children}
        <p className="meta-line">
          <StatusBadge status={ask.status} />
          {ask.hasResolution ? (
            <span>
              <span aria-hidden="true">✓ </span>Resolved with link
            </span>
          ) : null}
          <span>{ask.category}</span>
          <span>·</span>
          <span>{plural(ask.commentCount, "comment")}</span>
          <span>·</span>
          <span>
            {ask.organization ?? ask.author} · <time dateTime={ask.createdAt}>{formatDate(ask.createdAt)}</time>
          </span>
        </p>
      </div>
    </li>
  );
}

// A list of asks, one row each: the home page, my asks and the triage queues.
export function AskList({ asks }: { asks: AskSummary[] }) {
  return (
    <ul className="ask-list">
      {asks.map((ask) => (
        <AskRow key={ask.id} ask={ask} />
      ))}
    </ul>
  );
}
