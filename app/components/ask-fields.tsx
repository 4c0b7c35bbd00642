import type { ReactNode } from "react";
import { askBodyMax, askTitleMax, askTitleMin } from "~/validation/ask-rules";
import { ChoiceField, InputField, markdownHint, TextAreaField } from "./form-fields";

type Values = { title?: string; body?: string; categoryId?: string };

// An ask's title, description and category, and the preview of its description: the same
// fields, hints and limits when an ask is filed and when it is edited.
export function AskFields({
  values,
  errors,
  categories,
  previewHtml,
  onTitle,
  afterTitle,
}: {
  values: Values;
  errors: Partial<Record<"title" | "body" | "categoryId", string>>;
  categories: { id: number; name: string }[];
  // Sanitized on the server by renderMarkdown; undefined when no preview was asked for.
  previewHtml: string | undefined;
  onTitle?: (title: string) => void;
  afterTitle?: ReactNode;
}) {
  return (
    <>
      <InputField
        id="title"
        label="Title"
        error={errors.title}
        hint={`${askTitleMin}–${askTitleMax} characters, a short summary.`}
        name="title"
        type="text"
        required
        minLength={askTitleMin}
        maxLength={askTitleMax}
        defaultValue={values.title}
        onChange={onTitle ? (event) => onTitle(event.currentTarget.value) : undefined}
      />
      {afterTitle}
      <TextAreaField
        id="body"
        label="Description"
        error={errors.body}
        hint={markdownHint}
        name="body"
        required
        maxLength={askBodyMax}
        defaultValue={values.body}
      />
      <ChoiceField
        id="categoryId"
        name="categoryId"
        label="Category"
        placeholder="Choose a category"
        choices={categories}
        defaultValue={values.categoryId ?? ""}
        error={errors.categoryId}
      />
      {previewHtml !== undefined ? (
        <section className="preview" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <div
            className="markdown"
            dangerouslySetInnerHTML={{ __html: previewHtml || "<p>Nothing to preview yet.</p>" }}
          />
        </section>
      ) : null}
    </>
  );
}
