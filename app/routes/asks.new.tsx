import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { AskFields } from "~/components/ask-fields";
import { SimilarAsks } from "~/components/similar-asks";
import { useDebounced } from "~/components/use-debounced";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { handleIntents } from "~/services/form-action.server";
import { renderMarkdown } from "~/services/markdown.server";
import { requirePermission } from "~/services/permission.server";
import { countUserAction, retryAfterHeaders } from "~/services/rate-limit.server";
import { similarAsks } from "~/services/search-query.server";
import { askPath } from "~/slug";
import { askSchema } from "~/validation/ask";
import { formValues } from "~/validation/form";
import { intentsFor, refuse } from "~/validation/intent";
import type { loader as similarLoader } from "./api.asks.similar";

export const meta: MetaFunction = () => [{ title: "File an ask · Asklog" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ask:create");
  return { categories: listCategories().map((c) => ({ id: c.id, name: c.name })) };
}

const intent = intentsFor();

const intents = () => ({
  file: intent({
    permission: "ask:create",
    schema: askSchema,
    run: ({ input, user }) => {
      const limit = countUserAction("ask", user.id);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      const result = createAsk({ ...input, authorId: user.id });
      if (!result.ok) return refuse({ categoryId: "Choose one of the listed categories." });
      return redirect(askPath(result));
    },
  }),
});

// "Close" means most of the typed title's words are in the existing title.
const closeOverlap = 0.6;

// Without JavaScript the hints cannot appear while typing, so the first submit of a
// valid ask that has close matches shows them and asks to confirm.
function closeMatches(values: Record<string, string>) {
  if (values.confirmed === "1") return [];
  const draft = askSchema.safeParse(values);
  return draft.success ? similarAsks(draft.data.title, { votable: true }).filter((a) => a.overlap >= closeOverlap) : [];
}

// A preview and the question "did you mean one of these?" answer with something to
// look at and file nothing, so they come before the intent table, which files.
export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, "ask:create");
  const values = formValues(await request.clone().formData());
  if (values.intent === "preview") {
    return { intent: "preview" as const, values, previewHtml: renderMarkdown(values.body ?? "") };
  }
  const similar = closeMatches(values);
  if (similar.length) return { intent: "file" as const, values, similar };
  return handleIntents(request, intents(), { defaultIntent: "file" });
}

export default function NewAsk() {
  const { categories } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const refused = reply && "errors" in reply ? reply : undefined;
  const similar = reply && "similar" in reply ? reply.similar : undefined;
  const previewHtml = reply && "previewHtml" in reply ? reply.previewHtml : undefined;
  const errors = refused?.errors ?? {};
  const values = reply?.values ?? {};
  // Once the person chose to file anyway, a refused try (too many asks, a missing
  // field) or a preview must not ask them again.
  const confirmed = similar !== undefined || values.confirmed === "1";
  const navigation = useNavigation();
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
      {refused ? (
        <p className="form-error" role="alert">
          {errors.form ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <AskFields
          values={values}
          errors={errors}
          categories={categories}
          previewHtml={previewHtml}
          onTitle={onTitle}
          afterTitle={
            <div aria-live="polite">
              {similar ? null : <SimilarAsks asks={hints.data?.similar ?? []} heading="Similar asks already filed" />}
            </div>
          }
        />
        {similar ? <SimilarAsks asks={similar} heading="Did you mean one of these?" /> : null}
        {confirmed ? <input type="hidden" name="confirmed" value="1" /> : null}
        <div className="actions">
          <button type="submit" name="intent" value="file" disabled={submitting}>
            {similar ? "File anyway" : "File ask"}
          </button>
          <button type="submit" name="intent" value="preview" className="secondary" disabled={submitting}>
            Preview
          </button>
        </div>
      </Form>
    </>
  );
}
