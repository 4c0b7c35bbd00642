import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { StatusUpdateForm, statusUpdatePath } from "~/components/status-update-form";
import { getAsk } from "~/models/ask.server";
import {
  editStatusUpdate,
  getStatusUpdateDraft,
  recordStatusUpdate,
  removeStatusUpdate,
  StatusUpdateFieldError,
  statusUpdateFormData,
} from "~/models/status-update.server";
import { requirePermission } from "~/services/permission.server";
import { askPath, parseAskParam } from "~/slug";
import { type FieldErrors, formValues, parseForm } from "~/validation/form";
import { statusUpdateSchema } from "~/validation/status-update";

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

function findAsk(param: string | undefined) {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask) throw data("Ask not found", { status: 404 });
  return ask;
}

function updateIdFrom(raw: FormDataEntryValue | string | null): number | undefined {
  const id = Number(raw);
  return typeof raw === "string" && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

const notFound = () => data("Status update not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ask:triage");
  const ask = findAsk(params.ask);
  const form = statusUpdateFormData(ask, user.teamId);
  const raw = new URL(request.url).searchParams.get("update");
  if (raw === null) return { ask: { id: ask.id, slug: ask.slug, title: ask.title }, ...form, updateId: undefined };
  const updateId = updateIdFrom(raw);
  const draft = updateId ? getStatusUpdateDraft(updateId, ask.id, user.id) : undefined;
  if (!updateId || !draft) throw notFound();
  return { ask: { id: ask.id, slug: ask.slug, title: ask.title }, ...form, defaults: draft, updateId };
}

type ActionReply = { errors: FieldErrors; values: Record<string, string>; updateId?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ask:triage");
  const ask = findAsk(params.ask);
  const form = await request.formData();
  const intent = form.get("intent") ?? "create";
  const done = redirect(`${askPath(ask)}#status-details`);

  if (intent === "remove") {
    const updateId = updateIdFrom(form.get("updateId"));
    if (!updateId || !removeStatusUpdate({ updateId, askId: ask.id, actorId: user.id })) throw notFound();
    return done;
  }
  if (intent !== "create" && intent !== "edit") throw data("Unknown action", { status: 400 });

  // Another member's update is not found, before anything about the form is said.
  const updateId = intent === "edit" ? updateIdFrom(form.get("updateId")) : undefined;
  if (intent === "edit" && !(updateId && getStatusUpdateDraft(updateId, ask.id, user.id))) throw notFound();

  const parsed = parseForm(statusUpdateSchema, form);
  if (!parsed.ok) return data<ActionReply>({ errors: parsed.errors, values: parsed.values, updateId }, { status: 400 });
  const input = { ...parsed.data, askId: ask.id, actorId: user.id };
  try {
    if (updateId) {
      if (!editStatusUpdate({ ...input, updateId })) throw notFound();
    } else {
      recordStatusUpdate(input);
    }
  } catch (error) {
    if (!(error instanceof StatusUpdateFieldError)) throw error;
    return data<ActionReply>(
      { errors: { [error.field]: error.message }, values: formValues(form), updateId },
      { status: 400 },
    );
  }
  return done;
}

export default function StatusUpdatePage() {
  const { ask, updateId: editing, ...form } = useLoaderData<typeof loader>();
  const reply = useActionData<ActionReply>();
  // After a refused edit the address has no ?update=, so the reply says which update it was.
  const updateId = reply ? reply.updateId : editing;
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
