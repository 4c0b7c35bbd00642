import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AskFields } from "~/components/ask-fields";
import { type AskDetail, getAsk } from "~/models/ask.server";
import { type AskEditResult, editAsk } from "~/models/ask-edit.server";
import { listCategories } from "~/models/category.server";
import type { User } from "~/models/user.server";
import { askEditRefusal } from "~/services/ask-edit.server";
import { handleIntents } from "~/services/form-action.server";
import { renderMarkdown } from "~/services/markdown.server";
import { redirectWithNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { requireUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";
import { askSchema } from "~/validation/ask";
import { formValues } from "~/validation/form";
import { intentsFor, refuse } from "~/validation/intent";

// /asks/<id>-<slug>/edit: the title, description and category of an ask, for its author while
// no team has answered it and for program teams at any time (models/ask-edit.server.ts).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit · ${data.ask.title} · Asklog` : "Edit ask · Asklog" },
];

const notEditable = "This ask can no longer be edited: a program team has answered it.";
const forbidden = "Only the ask's author or a program team may edit it.";

// Hidden asks are gone for everyone who may not moderate them, as on the ask page.
function findAsk(param: string | undefined, viewer: User): AskDetail {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask || (ask.hiddenAt && !can(viewer, "ask:moderate"))) throw data("Ask not found", { status: 404 });
  return ask;
}

// The page answers 403 to those the save would refuse, with the same sentence.
function ensureMayEdit(ask: AskDetail, user: User): void {
  const refusal = askEditRefusal(ask, user);
  if (refusal) throw data(refusal === "not-editable" ? notEditable : forbidden, { status: 403 });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ask = findAsk(params.ask, user);
  ensureMayEdit(ask, user);
  return {
    ask: { id: ask.id, slug: ask.slug, title: ask.title, body: ask.body, categoryId: ask.categoryId },
    categories: listCategories().map((c) => ({ id: c.id, name: c.name })),
    // Which permission the save asks for: a team's edit needs its own, an author's that of filing.
    intent: can(user, "ask:edit-any") ? ("edit-any" as const) : ("edit" as const),
  };
}

const intent = intentsFor<{ ask: AskDetail }>();

function answer(result: AskEditResult, ask: AskDetail) {
  if (result.ok) return redirectWithNotice(askPath(result), "Ask updated.");
  switch (result.reason) {
    case "not-found":
      throw data("Ask not found", { status: 404 });
    case "forbidden":
      return refuse({ form: forbidden }, 403);
    case "not-editable":
      return refuse({ form: notEditable }, 409);
    case "unknown-category":
      return refuse({ categoryId: "Choose one of the listed categories." });
    case "unchanged":
      return redirectWithNotice(askPath(ask), "Nothing changed.");
  }
}

// The model decides whether this person may edit this ask; the permission only says they may
// edit at all: an author as one who may file asks, a team member as one who may edit any.
const intents = {
  edit: intent({
    permission: "ask:create",
    schema: askSchema,
    run: ({ ask, user, input }) => answer(editAsk({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
  "edit-any": intent({
    permission: "ask:edit-any",
    schema: askSchema,
    run: ({ ask, user, input }) => answer(editAsk({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
};

// A preview shows the description and saves nothing, so it comes before the intent table.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ask = findAsk(params.ask, user);
  const values = formValues(await request.clone().formData());
  if (values.intent === "preview") {
    ensureMayEdit(ask, user);
    return { intent: "preview" as const, values, previewHtml: renderMarkdown(values.body ?? "") };
  }
  return handleIntents(request, intents, { context: () => ({ ask }) });
}

export default function EditAsk() {
  const { ask, categories, intent: saveIntent } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const refused = reply && "errors" in reply ? reply : undefined;
  const previewHtml = reply && "previewHtml" in reply ? reply.previewHtml : undefined;
  const errors = refused?.errors ?? {};
  const values = reply?.values ?? {};
  const submitting = useNavigation().state === "submitting";
  return (
    <>
      <h1>Edit ask</h1>
      <p>
        <Link to={askPath(ask)}>{ask.title}</Link>
      </p>
      {refused ? (
        <p className="form-error" role="alert">
          {errors.form ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <AskFields
          values={{
            title: values.title ?? ask.title,
            body: values.body ?? ask.body,
            categoryId: values.categoryId ?? String(ask.categoryId),
          }}
          errors={errors}
          categories={categories}
          previewHtml={previewHtml}
        />
        <div className="actions">
          <button type="submit" name="intent" value={saveIntent} disabled={submitting}>
            Save changes
          </button>
          <button type="submit" name="intent" value="preview" className="secondary" disabled={submitting}>
            Preview
          </button>
          <Link to={askPath(ask)}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}
