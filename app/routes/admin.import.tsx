import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { extname } from "node:path";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  MaxPartSizeExceededError,
  type MetaFunction,
  NodeOnDiskFile,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatBytes } from "~/components/byte-size";
import { type Column, DataTable } from "~/components/data-table";
import { ImportState } from "~/components/import-state";
import { ImportUploadForm } from "~/components/import-upload-form";
import { Time } from "~/components/time";
import { importAfterDryRun, importUploadDir, listImportRuns, queueImport } from "~/models/import-run.server";
import { handleIntents } from "~/services/form-action.server";
import { requirePermission } from "~/services/permission.server";
import { settings } from "~/settings.server";
import { importRunSchema } from "~/validation/admin";
import { type FormReply, intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Import · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "import:run");
  return { maxBytes: settings().importMaxBytes, runs: listImportRuns(20) };
}

const intent = intentsFor();

// The small forms of this page; the upload itself streams (see action) and skips this table,
// which would read the whole body into memory.
const intents = () => ({
  // A dry run's file, imported for real as it was checked.
  "import-checked": intent({
    permission: "import:run",
    schema: importRunSchema,
    run: ({ input, user }) => {
      const id = importAfterDryRun({ runId: input.runId, actorId: user.id });
      if (id === undefined) return refuse({ form: "That dry run cannot be imported: it is gone or found errors." });
      return redirect(`/admin/import/${id}`);
    },
  }),
});

type UploadReply = FormReply<"upload", "file">;

const uploadRefused = (message: string, status: number): ReturnType<typeof data<UploadReply>> =>
  data(
    { intent: "upload", errors: { file: message }, values: {} },
    // Whatever of the body is left unread is not wanted: the connection goes with the answer.
    { status, headers: status === 413 ? { Connection: "close" } : {} },
  );

const accepted = new Set([".json", ".zip"]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "import:run");
  const length = Number(request.headers.get("Content-Length"));
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    // The edge leaves this address's sizes to this action: its small forms keep the usual limit.
    if (length > settings().maxBodyBytes)
      throw data("Too much text", { status: 413, headers: { Connection: "close" } });
    return handleIntents(request, intents());
  }

  // Refused before a byte is read when the browser says how big it is (the edge requires that
  // it does), and again while it streams in, in case the stated size was wrong.
  const limit = settings().importMaxBytes;
  const tooLarge = (size: number) => `The file is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`;
  if (length > limit) return uploadRefused(tooLarge(length), 413);

  let fileName = "";
  const uploads = unstable_composeUploadHandlers(
    unstable_createFileUploadHandler({
      directory: importUploadDir(),
      maxPartSize: limit,
      filter: ({ name }) => name === "file",
      file: ({ filename }) => {
        fileName = filename.split(/[\\/]/).pop() ?? "";
        // A name of our own on disk; the extension tells the importer JSON from a zip.
        return `${randomUUID()}${extname(fileName).toLowerCase()}`;
      },
    }),
    unstable_createMemoryUploadHandler({ maxPartSize: 1024, filter: ({ filename }) => !filename }),
  );
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, uploads);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return uploadRefused(tooLarge(length || limit + 1), 413);
    throw error;
  }
  const file = form.get("file");
  if (!(file instanceof NodeOnDiskFile)) return uploadRefused("Choose a file to import.", 400);
  const path = file.getFilePath();
  if (!accepted.has(extname(fileName).toLowerCase())) {
    await rm(path, { force: true });
    return uploadRefused(`${fileName} is not a .json or .zip file.`, 400);
  }
  const id = queueImport({ actorId: user.id, fileName, filePath: path, dryRun: form.get("dryRun") === "on" });
  return redirect(`/admin/import/${id}`);
}

type Run = ReturnType<typeof useLoaderData<typeof loader>>["runs"][number];

const columns: Column<Run>[] = [
  {
    header: "File",
    rowHeader: true,
    cell: (r) => <Link to={`/admin/import/${r.id}`}>{r.fileName}</Link>,
  },
  { header: "Kind", cell: (r) => (r.dryRun ? "Dry run" : "Import") },
  { header: "By", cell: (r) => r.actorName ?? <span className="muted">—</span> },
  { header: "Started", cell: (r) => <Time value={r.createdAt} relative /> },
  { header: "State", cell: (r) => <ImportState run={r} /> },
  { header: "Records", numeric: true, cell: (r) => recordsOf(r) },
];

// Created, updated and unchanged records of all kinds together, for the list; the run's page has them by kind.
function recordsOf(run: Run): string {
  if (!run.report) return run.progress ? `${run.progress.records.toLocaleString("en")} read` : "—";
  if (!run.report.ok) return `${run.report.errorCount.toLocaleString("en")} errors`;
  const counts = Object.values(run.report.counts);
  const sum = (key: "created" | "updated" | "unchanged") => counts.reduce((n, c) => n + c[key], 0);
  return `${sum("created")} new, ${sum("updated")} updated, ${sum("unchanged")} unchanged`;
}

export default function AdminImport() {
  const { maxBytes, runs } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const uploadError = reply?.intent === "upload" ? reply.errors.file : undefined;
  return (
    <>
      <h1>Import</h1>
      <p>
        Bring asks with their dated status details, comments and votes in from another tracker or a spreadsheet. The
        format is described in the <a href="/import-format.schema.json">JSON Schema</a> and in{" "}
        <code>docs/import-format.md</code>. Nothing is written unless the whole file is right, and a file imported again
        changes only what changed.
      </p>
      {reply?.intent === "import-checked" && reply.errors.form ? (
        <p className="error" role="alert">
          {reply.errors.form}
        </p>
      ) : null}
      <ImportUploadForm maxBytes={maxBytes} error={uploadError} />
      <h2>Earlier imports</h2>
      {runs.length ? (
        <DataTable caption="Imports, newest first" captionHidden columns={columns} rows={runs} rowKey={(r) => r.id} />
      ) : (
        <p>No imports yet.</p>
      )}
    </>
  );
}
