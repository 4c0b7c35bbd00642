import { nameMax } from "~/validation/admin-rules";
import { InputField } from "./form-fields";

type NameFieldProps = { id: string; error?: string; value?: string; hint?: string };

// The name of a team, category or status, as the admin forms ask for it.
export function NameField({ id, error, value, hint }: NameFieldProps) {
  return (
    <InputField
      id={id}
      name="name"
      label="Name"
      error={error}
      hint={hint}
      type="text"
      required
      maxLength={nameMax}
      defaultValue={value}
    />
  );
}
