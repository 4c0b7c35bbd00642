import { Link, useLocation } from "@remix-run/react";

export type SearchChip = {
  key: string;
  value: string; // as typed
  label: string | null; // the name it stands for; null when it names nothing
  without: string; // the search text without it
};

// The qualifiers a search ran with (org:, author:, team:), each a link to the same search
// without it: plain links, so removing one needs no JavaScript. The other filters stay; the
// page goes back to the first.
export function SearchChips({ chips }: { chips: SearchChip[] }) {
  const params = new URLSearchParams(useLocation().search);
  params.delete("page");
  if (!chips.length) return null;
  return (
    <ul className="search-chips" aria-label="Search filters">
      {chips.map((chip) => {
        const next = new URLSearchParams(params);
        if (chip.without) next.set("q", chip.without);
        else next.delete("q");
        const query = next.toString();
        const name = `${chip.key}: ${chip.label ?? chip.value}`;
        return (
          <li key={`${chip.key}:${chip.value}`}>
            <Link
              className="search-chip"
              to={query ? `/search?${query}` : "/search"}
              aria-label={`Remove filter ${name}`}
            >
              {name}
              <span aria-hidden="true"> ×</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

const nobody: Record<string, string> = {
  org: "No organization is called",
  author: "Nobody is called",
  team: "No team is called",
};

// "No organization is called “nosuch”." for each qualifier that names nothing: why a search finds nothing.
export function unknownNames(chips: SearchChip[]): string[] {
  return chips.filter((c) => c.label === null).map((c) => `${nobody[c.key] ?? "Nothing is called"} “${c.value}”.`);
}
