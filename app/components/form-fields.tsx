import type { InputHTMLAttributes, TextareaHTMLAttributes } from "react";
import { Field } from "./field";

export const markdownHint = "Markdown works: **bold**, _italic_, lists and links.";

type Labelled = { id: string; label: string; error?: string; hint?: string };
type Wired = "id" | "aria-describedby" | "aria-invalid";
type InputFieldProps = Labelled & Omit<InputHTMLAttributes<HTMLInputElement>, Wired>;
type TextAreaFieldProps = Labelled & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Wired>;

// A labelled one-line input: its hint and error are announced with it, and an
// error marks it invalid. Every other attribute goes on the input as given.
export function InputField({ id, label, error, hint, ...input }: InputFieldProps) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(describedBy, invalid) => (
        <input id={id} {...input} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
      )}
    </Field>
  );
}

// The same for a text of several lines.
export function TextAreaField({ id, label, error, hint, ...textarea }: TextAreaFieldProps) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(describedBy, invalid) => (
        <textarea id={id} {...textarea} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
      )}
    </Field>
  );
}

type ChoiceFieldProps = {
  id: string;
  name: string;
  label: string;
  placeholder: string;
  choices: { id: number; name: string }[];
  defaultValue: string;
  error?: string;
};

// A required choice from a list (a status, a team), with the error under it.
export function ChoiceField({ id, name, label, placeholder, choices, defaultValue, error }: ChoiceFieldProps) {
  return (
    <Field id={id} label={label} error={error}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={name}
          required
          defaultValue={defaultValue}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          <option value="">{placeholder}</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
