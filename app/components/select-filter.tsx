type Option = { value: string | number; label: string };

type SelectFilterProps = {
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
