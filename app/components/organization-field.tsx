import { Link, useFetcher, useLocation, useSubmit } from "@remix-run/react";
import type { ChangeEvent } from "react";
import type { loader as suggestLoader } from "~/routes/api.organizations";
import type { OrganizationLink } from "~/validation/query";
import { Field } from "./field";
import { useDebounced } from "./use-debounced";

// What a list's loader says about its ?org=: the organization it found, or that the typed
// name found none, and which asks it keeps (filed, or filed or voted on: see ask-lists.server).
export type OrganizationFilterState = {
  chosen: { name: string; slug: string | null } | null;
  unknown: boolean;
  via: OrganizationLink;
};

const keeps: Record<OrganizationLink, string> = {
  wants: "Filed or voted on by",
  filed: "Filed by",
  voted: "Voted on by",
  commented: "Commented on by",
};

// The organization filter of a list's GET form: a text field, so a page need not carry every
// organization's name. The server resolves what was typed (a name in any case and spacing, or
// a page address); with JavaScript, names are offered while typing and picking one applies it.
export function OrganizationField({ value, state }: { value: string; state: OrganizationFilterState }) {
  const submit = useSubmit();
  const suggestions = useFetcher<typeof suggestLoader>();
  const suggest = useDebounced((text: string) => {
    if (text.trim()) suggestions.load(`/api/organizations?q=${encodeURIComponent(text)}`);
  });
  const names = suggestions.data?.organizations ?? [];
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const typed = event.target.value;
    const input = event.nativeEvent;
    // A suggestion picked from the list arrives as one replacement, not as a keystroke.
    const picked = !(input instanceof InputEvent) || input.inputType === "insertReplacementText";
    if (picked && event.target.form && names.some((o) => o.name === typed)) {
      submit(event.target.form, { preventScrollReset: true });
    } else {
      suggest(typed);
    }
  };
  return (
    <Field
      id="org"
      label="Organization"
      error={
        state.unknown ? `No organization is called “${value}”. Check the name, or pick one as you type.` : undefined
      }
    >
      {(describedBy, invalid) => (
        <>
          <input
            // A new answer from the server (a filter applied or removed) shows its own value.
            key={value}
            id="org"
            name="org"
            type="text"
            list="org-suggestions"
            autoComplete="off"
            defaultValue={value}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={onChange}
          />
          <datalist id="org-suggestions">
            {names.map((o) => (
              <option key={o.slug} value={o.name} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

// The active organization filter, said in words and removable with a plain link: the same list
// without it, from its first page.
export function OrganizationChip({ state }: { state: OrganizationFilterState }) {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  if (!state.chosen) return null;
  params.delete("org");
  params.delete("page");
  const query = params.toString();
  const name = `${keeps[state.via]} ${state.chosen.name}`;
  return (
    <ul className="search-chips" aria-label="Organization filter">
      <li>
        <Link
          className="search-chip"
          to={query ? `${pathname}?${query}` : pathname}
          aria-label={`Remove filter: ${name}`}
        >
          {name}
          <span aria-hidden="true"> ×</span>
        </Link>
      </li>
    </ul>
  );
}
