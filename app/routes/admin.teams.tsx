import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { plural } from "~/components/format";
import { NameField } from "~/components/name-field";
import { RenamePanel } from "~/components/rename-panel";
import { createTeam, deleteTeam, listTeamsWithCounts, renameTeam, type TeamUses } from "~/models/team.server";
import { handleIntents, intentsFor, refuse } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { rowSchema, teamSchemas } from "~/validation/admin";
import { parseId } from "~/validation/fields";

export const meta: MetaFunction = () => [{ title: "Teams · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:teams");
  const teams = listTeamsWithCounts();
  const editId = parseId(new URL(request.url).searchParams.get("edit"));
  return { teams, editing: teams.find((t) => t.id === editId) ?? null };
}

const page = "/admin/teams";
const nameTaken = "Another team already has this name.";
const notFound = () => data("Team not found", { status: 404 });
const intent = intentsFor();

const intents = {
  create: intent({
    permission: "admin:teams",
    schema: teamSchemas.create,
    run: ({ input, user }) => {
      const result = createTeam({ name: input.name, actorId: user.id });
      if (!result.ok) return refuse({ name: nameTaken });
      return redirectWithNotice(page, `Team ${input.name} added.`);
    },
  }),
  rename: intent({
    permission: "admin:teams",
    schema: teamSchemas.rename,
    run: ({ input, user }) => {
      const result = renameTeam({ ...input, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, `Team renamed to ${input.name}.`);
      if (result.reason === "not-found") throw notFound();
      return refuse({ name: nameTaken });
    },
  }),
  delete: intent({
    permission: "admin:teams",
    schema: rowSchema,
    run: ({ input, user }) => {
      const result = deleteTeam({ id: input.id, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, "Team deleted.");
      if (result.reason === "not-found") throw notFound();
      return refuse({ form: inUseMessage(result) }, 409);
    },
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents);
}

function inUseMessage(counts: TeamUses): string {
  const uses = [
    counts.memberCount ? plural(counts.memberCount, "member") : null,
    counts.askCount ? plural(counts.askCount, "ask") : null,
    counts.statusUpdateCount ? plural(counts.statusUpdateCount, "status update") : null,
  ].filter(Boolean);
  const list = uses.length > 1 ? `${uses.slice(0, -1).join(", ")} and ${uses.at(-1)}` : uses[0];
  const verb = uses.length === 1 && list?.startsWith("1 ") ? "refers" : "refer";
  // Status history keeps the team that answered, so such a team can only be renamed.
  const advice = counts.statusUpdateCount
    ? "A team named in status history stays; rename it instead."
    : "Move them to another team first.";
  return `This team cannot be deleted: ${list} still ${verb} to it. ${advice}`;
}

export default function AdminTeams() {
  const { teams, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>Teams</h1>
      {editing ? <RenamePanel key={editing.id} noun="team" item={editing} reply={reply} closeTo={page} /> : null}
      {teams.length ? (
        <table>
          <caption className="visually-hidden">Teams</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Members</th>
              <th scope="col">Asks</th>
              <th scope="col">Status updates</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {teams.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>{t.memberCount}</td>
                <td>{t.askCount}</td>
                <td>{t.statusUpdateCount}</td>
                <td>
                  <Link to={`?edit=${t.id}#edit-team`}>
                    Edit<span className="visually-hidden"> {t.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No teams yet.</p>
      )}

      <h2>Add a team</h2>
      <Form method="post" action={page} noValidate>
        <NameField id="new-team-name" error={created?.errors.name} value={created?.values.name} />
        <button type="submit" name="intent" value="create">
          Add team
        </button>
      </Form>
    </>
  );
}
