import { useLocation } from "@remix-run/react";

// "Export CSV" for a list page: the CSV address with the list's current filters (every page of
// it, so no ?page=). A plain link: the file downloads without JavaScript.
export function CsvExportLink({ to, what = "this list" }: { to: string; what?: string }) {
  const params = new URLSearchParams(useLocation().search);
  params.delete("page");
  const query = params.toString();
  return (
    <a href={query ? `${to}?${query}` : to} download>
      Export CSV<span className="visually-hidden"> of {what}</span>
    </a>
  );
}
