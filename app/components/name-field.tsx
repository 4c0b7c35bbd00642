import { nameMax } from "~/validation/admin";
import { Field } from "./field";

type NameFieldProps = { id: string; error?: string; value?: string; hint?: string };

// The name of a team, category or status, as the admin forms ask for it.
export function NameField({ id, error, value, hint }: NameFieldProps) {
  return (
    <Field id={id} label="Name" error={error} hint={hint}>
      {(describedBy, invalid) => (
        <input
          id={id}
          name="name"
          type="text"
          required
          maxLength={nameMax}
          defaultValue={value}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );
}
