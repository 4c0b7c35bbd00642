import { Form } from "@remix-run/react";
import { formatBytes } from "./byte-size";

type ImportUploadFormProps = {
  maxBytes: number;
  // Why the last upload was refused.
  error?: string;
  // The box starts ticked: a first look at a file is best a dry run.
  dryRun?: boolean;
};

// The upload that starts an import. It posts to /admin/import from any page (a failed run's
// page offers it again next to the errors), as a plain multipart form that works without JavaScript.
export function ImportUploadForm({ maxBytes, error, dryRun = true }: ImportUploadFormProps) {
  return (
    <Form method="post" action="/admin/import" encType="multipart/form-data" reloadDocument>
      <div className="field">
        <label htmlFor="import-file">File to import</label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".json,.zip,application/json,application/zip"
          required
          aria-describedby={error ? "import-file-hint import-file-error" : "import-file-hint"}
          aria-invalid={error ? true : undefined}
        />
        <p className="hint" id="import-file-hint">
          A JSON file in the <a href="/import-format.schema.json">import format</a>, or a .zip of CSV files; at most{" "}
          {formatBytes(maxBytes)}.
        </p>
        {error ? (
          <p className="error" id="import-file-error">
            {error}
          </p>
        ) : null}
      </div>
      <p>
        <label>
          <input name="dryRun" type="checkbox" defaultChecked={dryRun} /> Check only (dry run): report what would
          change, write nothing
        </label>
      </p>
      <button type="submit">Upload and import</button>
    </Form>
  );
}
