import { Link } from "@remix-run/react";
import type { OrganizationVotes as Breakdown } from "~/models/vote.server";
import { organizationPath } from "~/slug";
import { type Column, DataTable } from "./data-table";
import { plural } from "./format";
import { Time } from "./time";

type OrganizationVotesProps = {
  voteCount: number;
  organizationCount: number;
  // Which organizations voted, for viewers allowed to see it; null for everyone else.
  breakdown: Breakdown[] | null;
};

const columns: Column<Breakdown>[] = [
  {
    header: "Organization",
    rowHeader: true,
    cell: ({ organization }) =>
      organization === null ? (
        "No organization"
      ) : organization.slug ? (
        <Link to={organizationPath({ slug: organization.slug })}>{organization.name}</Link>
      ) : (
        organization.name
      ),
  },
  { header: "Votes", numeric: true, cell: (row) => row.votes },
  { header: "First vote", cell: (row) => <Time value={row.firstVotedAt} /> },
  { header: "Last vote", cell: (row) => <Time value={row.lastVotedAt} /> },
];

// "6 votes from 5 organizations" under an ask's vote count, and for those allowed to see it,
// which organizations those were and when they voted.
export function OrganizationVotes({ voteCount, organizationCount, breakdown }: OrganizationVotesProps) {
  if (voteCount === 0) return null;
  return (
    <div className="organization-votes">
      <p className="muted">
        {plural(voteCount, "vote")}
        {organizationCount > 0 ? ` from ${plural(organizationCount, "organization")}` : null}
      </p>
      {breakdown?.length ? (
        <details className="disclosure">
          <summary>Votes by organization</summary>
          <DataTable
            caption="Votes by organization"
            captionHidden
            columns={columns}
            rows={breakdown}
            rowKey={(row) => row.organization?.id ?? 0}
          />
        </details>
      ) : null}
    </div>
  );
}
