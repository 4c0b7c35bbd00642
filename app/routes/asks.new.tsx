import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import { type SimilarAskData, SimilarAsks } from "~/components/similar-asks";
import { useDebounced } from "~/components/use-debounced";
import { createAsk, UnknownCategoryError } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { renderMarkdown } from "~/services/markdown.server";
import { requirePermission } from "~/services/permission.server";
import { countUserAction, retryAfterHeaders } from "~/services/rate-limit.server";
import { similarAsks } from "~/services/search-query.server";
import { askPath } from "~/slug";
import { askBodyMax, askSchema, askTitleMax, askTitleMin } from "~/validation/ask";
import { type FieldErrors, formValues, parseForm } from "~/validation/form";
import type { loader as similarLoader } from "./api.asks.similar";

export const meta: MetaFunction = () => [{ title: "File an ask · Asklog" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ask:create");
  return { categories: listCategories().map((c) => ({ id: c.id, name: c.name })) };
}

type ActionReply = {
  errors?: FieldErrors;
  formError?: string;
  values: Record<string, string>;
  previewHtml?: string;
  similar?: SimilarAskData[];
};

// "Close" means most of the typed title's words are in the existing title.
const closeOverlap = 0.6;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ask:create");
  const form = await request.formData();
  if (form.get("intent") === "preview") {
    const values = formValues(form);
    return { values, previewHtml: renderMarkdown(values.body ?? "") } satisfies ActionReply;
  }
  const parsed = parseForm(askSchema, form);
  if (!parsed.ok) return data<ActionReply>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  // Without JavaScript the hints cannot appear while typing, so the first
  // submit that has close matches shows them and asks to confirm.
  if (form.get("confirmed") !== "1") {
    const close = similarAsks(parsed.data.title).filter((a) => a.overlap >= closeOverlap);
    if (close.length) return { values: formValues(form), similar: close } satisfies ActionReply;
  }
  const limit = countUserAction("ask", user.id);
  if (!limit.ok) return data<ActionReply>({ formError: limit.message, values: formValues(form) }, limit.init);
  try {
    return redirect(askPath(createAsk(parsed.data, user.id)));
  } catch (error) {
    if (!(error instanceof UnknownCategoryError)) throw error;
    return data<ActionReply>(
      { errors: { categoryId: "Choose one of the listed categories." }, values: formValues(form) },
      { status: 400 },
    );
  }
}

export default function NewAsk() {
  const { categories } = useLoaderData<typeof loader>();
  const reply = useActionData<ActionReply>();
  const navigation = useNavigation();
  const errors = reply?.errors ?? {};
  const values = reply?.values ?? {};
  const submitting = navigation.state === "submitting";
  const hints = useFetcher<typeof similarLoader>();
  // While the title is typed, ask for similar asks a quarter second after the last key.
  const onTitle = useDebounced((title: string) => {
    if (title.trim().length >= 4) hints.load(`/api/asks/similar?title=${encodeURIComponent(title)}`);
  });
  return (
    <>
      <h1>File an ask</h1>
      <p className="muted">Say what you need and why it matters to your customers. Others can vote and comment.</p>
      {reply?.formError || reply?.errors ? (
        <p className="form-error" role="alert">
          {reply.formError ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <Field
          id="title"
          label="Title"
          error={errors.title}
          hint={`${askTitleMin}–${askTitleMax} characters, a short summary.`}
        >
          {(describedBy, invalid) => (
            <input
              id="title"
              name="title"
              type="text"
              required
              minLength={askTitleMin}
              maxLength={askTitleMax}
              defaultValue={values.title}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => onTitle(event.currentTarget.value)}
            />
          )}
        </Field>
        <div aria-live="polite">
          {reply?.similar ? null : (
            <SimilarAsks asks={hints.data?.similar ?? []} heading="Similar asks already filed" />
          )}
        </div>
        <Field
          id="body"
          label="Description"
          error={errors.body}
          hint="Markdown works: **bold**, _italic_, lists and links."
        >
          {(describedBy, invalid) => (
            <textarea
              id="body"
              name="body"
              required
              maxLength={askBodyMax}
              defaultValue={values.body}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field id="categoryId" label="Category" error={errors.categoryId}>
          {(describedBy, invalid) => (
            <select
              id="categoryId"
              name="categoryId"
              required
              defaultValue={values.categoryId ?? ""}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            >
              <option value="">Choose a category</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {reply?.previewHtml !== undefined ? (
          <section className="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">Preview</h2>
            {/* Sanitized on the server by renderMarkdown. */}
            <div
              className="markdown"
              dangerouslySetInnerHTML={{ __html: reply.previewHtml || "<p>Nothing to preview yet.</p>" }}
            />
          </section>
        ) : null}
        {reply?.similar ? (
          <>
            <SimilarAsks asks={reply.similar} heading="Did you mean one of these?" />
            <input type="hidden" name="confirmed" value="1" />
          </>
        ) : null}
        <div className="actions">
          <button type="submit" name="intent" value="file" disabled={submitting}>
            {reply?.similar ? "File anyway" : "File ask"}
          </button>
          <button type="submit" name="intent" value="preview" className="secondary" disabled={submitting}>
            Preview
          </button>
        </div>
      </Form>
    </>
  );
}
