import { Link } from "@remix-run/react";
import { askPath } from "~/slug";
import { formatDate, plural } from "./format";
import { StatusBadge } from "./status-badge";

type SnippetPart = { text: string; hit: boolean };

export type SearchHitData = {
  id: number;
  slug: string;
  title: string;
  voteCount: number;
  commentCount: number;
  createdAt: string;
  organization: string | null;
  author: string;
  status: { name: string; color: string };
  hasResolution: boolean;
  match: {
    source: "title" | "description" | "note" | "comment" | "link";
    parts: SnippetPart[];
    noteDate?: string;
    noteTeam?: string | null;
    commentAuthor?: string;
  };
};

function whereMatched(match: SearchHitData["match"]): string {
  switch (match.source) {
    case "title":
      return "Title";
    case "description":
      return "Description";
    case "note":
      return `Status note dated ${match.noteDate ?? ""}${match.noteTeam ? ` · ${match.noteTeam}` : ""}`;
    case "comment":
      return `Comment by ${match.commentAuthor ?? "a member"}`;
    case "link":
      return "Resolution link";
  }
}

// The snippet arrives as plain text parts; React escapes them, and only the
// parts that matched are wrapped in <mark>.
export function SearchHit({ result: r }: { result: SearchHitData }) {
  return (
    <li className="ask-row">
      <p className="vote-tally">
        <strong>{r.voteCount}</strong> {r.voteCount === 1 ? "vote" : "votes"}
      </p>
      <div>
        <h2>
          <Link to={askPath(r)}>{r.title}</Link>
        </h2>
        <p className="snippet">
          <span className="match-source">{whereMatched(r.match)}:</span>{" "}
          {r.match.parts.map((p, i) =>
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts never reorder
            p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
          )}
        </p>
        <p className="meta-line">
          <StatusBadge status={r.status} />
          {r.hasResolution ? <span>✓ Resolved with link</span> : null}
          <span>{plural(r.commentCount, "comment")}</span>
          <span>·</span>
          <span>
            {r.organization ?? r.author} · <time dateTime={r.createdAt}>{formatDate(r.createdAt)}</time>
          </span>
        </p>
      </div>
    </li>
  );
}
