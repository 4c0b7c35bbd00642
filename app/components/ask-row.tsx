import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { askPath } from "~/slug";
import { formatDate, plural } from "./format";
import { StatusBadge } from "./status-badge";

export type AskRowData = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  commentCount: number;
  createdAt: string;
  author: string;
  organization: string | null;
  category: string;
  status: { name: string; color: string };
  // A status update gave this ask a resolution link (a docs page, a release note).
  hasResolution?: boolean;
};

// `children` goes under the title: the search page puts the matching snippet there.
export function AskRow({ ask, children }: { ask: AskRowData; children?: ReactNode }) {
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
