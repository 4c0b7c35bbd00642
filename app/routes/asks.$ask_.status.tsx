import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { StatusUpdateForm, statusUpdatePath } from "~/components/status-update-form";
import { type AskDetail, getAsk } from "~/models/ask.server";
import {
  editStatusUpdate,
  getStatusUpdateDraft,
  recordStatusUpdate,
  removeStatusUpdate,
  type StatusUpdateResult,
  statusUpdateFormData,
} from "~/models/status-update.server";
import { handleIntents } from "~/services/form-action.server";
import { requirePermission } from "~/services/permission.server";
import { askPath, parseAskParam } from "~/slug";
import { parseId } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";
import { statusUpdateEditSchema, statusUpdateRowSchema, statusUpdateSchema } from "~/validation/status-update";

// /asks/<id>-<slug>/status: records, edits and removes an ask's status updates.
// The ask page shows the form; this route's own page shows it alone, to edit an
// update (?update=ID) or to correct a submission that was refused.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.updateId ? "Edit status update" : "Record a status update"} · ${data.ask.title} · Asklog`
      : "Status update · Asklog",
  },
];

function findAsk(param: string | undefined): AskDetail {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask) throw data("Ask not found", { status: 404 });
  return ask;
}

const notFound = () => data("Status update not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ask:triage");
  const ask = findAsk(params.ask);
  const form = statusUpdateFormData(ask, user.teamId);
  const summary = { id: ask.id, slug: ask.slug, title: ask.title };
  const raw = new URL(request.url).searchParams.get("update");
  if (raw === null) return { ask: summary, ...form, updateId: undefined };
  const updateId = parseId(raw);
  const draft = updateId ? getStatusUpdateDraft(updateId, ask.id, user.id) : undefined;
  if (!updateId || !draft) throw notFound();
  return { ask: summary, ...form, defaults: draft, updateId };
}

const intent = intentsFor<{ ask: AskDetail }>();

const saved = (ask: AskDetail) => redirect(`${askPath(ask)}#status-details`);

// A choice that stopped being valid between the form and the save is refused next to its field.
function answer(result: StatusUpdateResult, ask: AskDetail) {
  if (result.ok) return saved(ask);
  switch (result.reason) {
    case "not-found":
      throw notFound();
    case "unknown-status":
      return refuse({ statusId: "Choose one of the listed statuses." });
    case "unknown-team":
      return refuse({ teamId: "Choose one of the listed teams." });
    case "date-before-filing":
      return refuse({ aboutDate: `The date cannot be before the ask was filed (${result.filedOn}).` });
    case "date-in-future":
      return refuse({ aboutDate: "The date cannot be in the future." });
  }
}

const intents = () => ({
  create: intent({
    permission: "ask:triage",
    schema: statusUpdateSchema,
    run: ({ ask, user, input }) => answer(recordStatusUpdate({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
  // Only the update's author may edit or remove it; anyone else's is not found.
  edit: intent({
    permission: "ask:triage",
    schema: statusUpdateEditSchema,
    run: ({ ask, user, input }) => answer(editStatusUpdate({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
  remove: intent({
    permission: "ask:triage",
    schema: statusUpdateRowSchema,
    run: ({ ask, user, input }) => {
      const result = removeStatusUpdate({ updateId: input.updateId, askId: ask.id, actorId: user.id });
      if (!result.ok) throw notFound();
      return saved(ask);
    },
  }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { context: () => ({ ask: findAsk(params.ask) }), defaultIntent: "create" });
}

export default function StatusUpdatePage() {
  const { ask, updateId: editing, ...form } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  // After a refused edit the address has no ?update=, so the reply's values say which update it was.
  const updateId = reply ? parseId(reply.values.updateId) : editing;
  return (
    <>
      <h1>{updateId ? "Edit status update" : "Record a status update"}</h1>
      <p>
        On <Link to={askPath(ask)}>{ask.title}</Link>
      </p>
      <StatusUpdateForm
        action={statusUpdatePath(ask)}
        {...form}
        values={reply?.values}
        errors={reply?.errors}
        updateId={updateId}
        cancelTo={`${askPath(ask)}#status-details`}
      />
    </>
  );
}
