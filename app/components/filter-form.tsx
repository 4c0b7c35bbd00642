import { Form, useSubmit } from "@remix-run/react";
import type { FormEvent, ReactNode } from "react";

// With JavaScript a changed choice (a select or a checkbox) in a GET filter form applies at once; without
// it, the form's own button does. Typed text and dates wait for Enter or the button: a request per keystroke
// would move the page under the reader's fingers.
export function useApplyOnChange() {
  const submit = useSubmit();
  return (event: FormEvent<HTMLFormElement>) => {
    const target = event.target;
    if (target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === "checkbox")) {
      submit(event.currentTarget, { preventScrollReset: true });
    }
  };
}

// A list's GET filter form, applied on change (see above).
export function FilterForm({ label, children }: { label: string; children: ReactNode }) {
  const onChange = useApplyOnChange();
  return (
    <Form method="get" className="filters" aria-label={label} onChange={onChange}>
      {children}
    </Form>
  );
}
