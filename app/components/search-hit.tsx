// A type only: nothing of the server module reaches the browser.
import type { MatchedPerson, SearchResult } from "~/models/search-index.server";
import { AskRow, type ListViewer } from "./ask-row";

function byWhom({ name, organization }: MatchedPerson): string {
  return `${name ?? "a member"}${organization ? ` (${organization})` : ""}`;
}

// Why an ask found through a name matched: who wrote in it, and in what role.
export function personMatched(person: MatchedPerson): string {
  switch (person.role) {
    case "author":
      return `Filed by ${byWhom(person)}`;
    case "comment":
      return `Comment by ${byWhom(person)}`;
    case "status":
      return `Status update by ${person.team ? `${person.team} · ` : ""}${byWhom(person)} · ${person.date}`;
    case "team":
      return `Assigned to ${person.team ?? "a team"}`;
  }
}

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
    case "person":
      return match.person ? personMatched(match.person) : "Name";
  }
}

// The snippet arrives as plain text parts; React escapes them, and only the
// parts that matched are wrapped in <mark>.
export function SearchHit({ result, viewer }: { result: SearchResult; viewer?: ListViewer }) {
  const { parts } = result.match;
  return (
    <AskRow ask={result} viewer={viewer}>
      <p className="snippet">
        <span className="match-source">
          {whereMatched(result.match)}
          {parts.length ? ":" : ""}
        </span>{" "}
        {parts.map((p, i) =>
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts never reorder
          p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
        )}
      </p>
    </AskRow>
  );
}
