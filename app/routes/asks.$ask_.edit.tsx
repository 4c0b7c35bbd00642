import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  type ShouldRevalidateFunction,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { AskFields } from "~/components/ask-fields";
import { SimilarAsks } from "~/components/similar-asks";
import { useDebounced } from "~/components/use-debounced";
import { type AskDetail, getAsk } from "~/models/ask.server";
import { type AskEditResult, askVersion, editAsk } from "~/models/ask-edit.server";
import { listCategories } from "~/models/category.server";
import type { User } from "~/models/user.server";
import { askEditRefusal } from "~/services/ask-edit.server";
import { handleIntents } from "~/services/form-action.server";
import { renderMarkdown } from "~/services/markdown.server";
import { redirectWithNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { requireUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";
import { askEditSchema } from "~/validation/ask";
import { formValues } from "~/validation/form";
import { intentsFor, refuse } from "~/validation/intent";
import type { loader as similarLoader } from "./api.asks.similar";

// /asks/<id>-<slug>/edit: the title, description and category of an ask, for its author while
// no team has answered it and for program teams at any time (models/ask-edit.server.ts).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit · ${data.ask.title} · Asklog` : "Edit ask · Asklog" },
];

const notEditable = "This ask can no longer be edited: a program team has answered it.";
const forbidden = "Only the ask's author or a program team may edit it.";
const changed =
  "This ask was changed since you opened it. Your text is still in the fields; the saved version is shown beside them. Merge the two and save again.";

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
    ask: {
      id: ask.id,
      slug: ask.slug,
      title: ask.title,
      body: ask.body,
      categoryId: ask.categoryId,
      category: ask.category,
      // The version this form is opened on; a save over a newer one is refused (editAsk).
      version: askVersion(ask.id),
    },
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
    case "changed":
      return refuse({ version: changed }, 409);
  }
}

// The model decides whether this person may edit this ask; the permission only says they may
// edit at all: an author as one who may file asks, a team member as one who may edit any.
const intents = () => ({
  edit: intent({
    permission: "ask:create",
    schema: askEditSchema,
    run: ({ ask, user, input }) => answer(editAsk({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
  "edit-any": intent({
    permission: "ask:edit-any",
    schema: askEditSchema,
    run: ({ ask, user, input }) => answer(editAsk({ ...input, askId: ask.id, actorId: user.id }), ask),
  }),
});

// A preview shows the description and saves nothing, so it comes before the intent table.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ask = findAsk(params.ask, user);
  const values = formValues(await request.clone().formData());
  if (values.intent === "preview") {
    ensureMayEdit(ask, user);
    return { intent: "preview" as const, values, previewHtml: renderMarkdown(values.body ?? "") };
  }
  return handleIntents(request, intents(), { context: () => ({ ask }) });
}

// A refused save leaves the page's data as it was, but after a concurrent edit the page must show
// the newer saved version (and carry its number) for the person to merge with.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  Boolean(actionResult?.errors?.version) || defaultShouldRevalidate;

export default function EditAsk() {
  const { ask, categories, intent: saveIntent } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const refused = reply && "errors" in reply ? reply : undefined;
  const previewHtml = reply && "previewHtml" in reply ? reply.previewHtml : undefined;
  const errors: Partial<Record<string, string>> = refused?.errors ?? {};
  const values = reply?.values ?? {};
  // After a conflict the page's data is the newer version, so saving again (once merged) goes
  // over that one; after any other reply the form keeps the version it was opened on.
  const conflict = errors.version !== undefined;
  const version = conflict ? String(ask.version) : (values.version ?? String(ask.version));
  const submitting = useNavigation().state === "submitting";
  const hints = useFetcher<typeof similarLoader>();
  // As on the filing page, similar asks while the title is typed; never the ask being edited.
  const onTitle = useDebounced((title: string) => {
    if (title.trim().length >= 4) {
      hints.load(`/api/asks/similar?title=${encodeURIComponent(title)}&exclude=${ask.id}`);
    }
  });
  return (
    <>
      <h1>Edit ask</h1>
      <p>
        <Link to={askPath(ask)}>{ask.title}</Link>
      </p>
      {refused ? (
        <p className="form-error" role="alert">
          {errors.version ?? errors.form ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <div className={conflict ? "edit-conflict" : undefined}>
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={version} />
          <AskFields
            values={{
              title: values.title ?? ask.title,
              body: values.body ?? ask.body,
              categoryId: values.categoryId ?? String(ask.categoryId),
            }}
            errors={errors}
            categories={categories}
            previewHtml={previewHtml}
            onTitle={onTitle}
            afterTitle={
              <div aria-live="polite">
                <SimilarAsks asks={hints.data?.similar ?? []} heading="Similar asks already filed" />
              </div>
            }
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
        {conflict ? <SavedVersion ask={ask} /> : null}
      </div>
    </>
  );
}

// The text saved by the other edit, read-only beside the person's own, to merge by hand.
function SavedVersion({ ask }: { ask: { title: string; body: string; category: string } }) {
  return (
    <section className="card saved-version" aria-labelledby="saved-version-title">
      <h2 id="saved-version-title">The saved version</h2>
      <dl>
        <dt>Title</dt>
        <dd>{ask.title}</dd>
        <dt>Category</dt>
        <dd>{ask.category}</dd>
        <dt>Description</dt>
        <dd className="saved-body">{ask.body}</dd>
      </dl>
    </section>
  );
}
