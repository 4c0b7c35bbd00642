import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { actionsColumn, NameListPage } from "~/components/admin-list";
import type { Column } from "~/components/data-table";
import { plural } from "~/components/format";
import { nameIntents } from "~/list-intents";
import {
  createTeam,
  deleteTeam,
  listTeamsWithCounts,
  renameTeam,
  type TeamUses,
  type TeamWithCounts,
} from "~/models/team.server";
import { handleIntents } from "~/services/form-action.server";
import { loadList } from "~/services/list-answers.server";
import { teamSchemas } from "~/validation/admin";

export const meta: MetaFunction = () => [{ title: "Teams · Admin · Asklog" }];

const list = { noun: "Team", page: "/admin/teams", permission: "admin:teams", title: "Teams" } as const;

export const loader = ({ request }: LoaderFunctionArgs) => loadList(request, list, listTeamsWithCounts);

const writes = { create: createTeam, rename: renameTeam, remove: deleteTeam };
const intents = () => nameIntents(list, teamSchemas, writes, inUseMessage);

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents());
}

function inUseMessage(counts: TeamUses): string {
  const uses = [
    counts.memberCount ? plural(counts.memberCount, "member") : null,
    counts.askCount ? plural(counts.askCount, "ask") : null,
    counts.statusUpdateCount ? plural(counts.statusUpdateCount, "status update") : null,
  ].filter(Boolean);
  const named = uses.length > 1 ? `${uses.slice(0, -1).join(", ")} and ${uses.at(-1)}` : uses[0];
  const verb = uses.length === 1 && named?.startsWith("1 ") ? "refers" : "refer";
  // Status history keeps the team that answered, so such a team can only be renamed.
  const advice = counts.statusUpdateCount
    ? "A team named in status history stays; rename it instead."
    : "Move them to another team first.";
  return `This team cannot be deleted: ${named} still ${verb} to it. ${advice}`;
}

const columns: Column<TeamWithCounts>[] = [
  { header: "Team", cell: (t) => t.name, rowHeader: true },
  { header: "Members", cell: (t) => t.memberCount, numeric: true },
  { header: "Asks", cell: (t) => t.askCount, numeric: true },
  { header: "Status updates", cell: (t) => t.statusUpdateCount, numeric: true },
  actionsColumn("team"),
];

export default function AdminTeams() {
  const data = useLoaderData<typeof loader>();
  return <NameListPage list={list} columns={columns} {...data} reply={useActionData<typeof action>()} />;
}
