type Option = { value: string | number; label: string };

export type SelectFilterProps = {
  id: string;
  name: string;
  label: string;
  // The first choice, meaning "no filter" ("All statuses"); omitted when a choice is required.
  anyLabel?: string;
  value: string | number | undefined;
  options: Option[];
};

// A labelled <select> for the GET forms that filter lists (asks, search, roadmap).
export function SelectFilter({ id, name, label, anyLabel, value, options }: SelectFilterProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value === undefined ? "" : String(value)}>
        {anyLabel ? <option value="">{anyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

// A filter described as data; its id is the form's idPrefix followed by its name.
export type FilterDefinition = Omit<SelectFilterProps, "id">;

// The row of selects a filter form shows, one per definition, in order.
export function SelectFilters({ idPrefix, filters }: { idPrefix: string; filters: FilterDefinition[] }) {
  return filters.map((f) => <SelectFilter key={f.name} id={`${idPrefix}${f.name}`} {...f} />);
}

// Turns list rows into select options: the value from one key, the label from another.
export function choices<V extends string, L extends string>(
  rows: readonly (Record<V, string | number> & Record<L, string>)[],
  valueKey: V,
  labelKey: L,
): Option[] {
  return rows.map((r) => ({ value: r[valueKey], label: r[labelKey] }));
}
