// A type only: nothing of the server module reaches the browser.
import type { SearchResult } from "~/models/search-index.server";
import { AskRow, type ListViewer } from "./ask-row";

function whereMatched(match: SearchResult["match"]): string {
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
export function SearchHit({ result, viewer }: { result: SearchResult; viewer?: ListViewer }) {
  return (
    <AskRow ask={result} viewer={viewer}>
      <p className="snippet">
        <span className="match-source">{whereMatched(result.match)}:</span>{" "}
        {result.match.parts.map((p, i) =>
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts never reorder
          p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
        )}
      </p>
    </AskRow>
  );
}
