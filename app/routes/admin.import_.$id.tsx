import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { formatBytes } from "~/components/byte-size";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { ImportState } from "~/components/import-state";
import { ImportUploadForm } from "~/components/import-upload-form";
import { Time } from "~/components/time";
import { getImportRun } from "~/models/import-run.server";
import { requirePermission } from "~/services/permission.server";
import { settings } from "~/settings.server";
import { parseId } from "~/validation/fields";

const unfinished = new Set(["queued", "running"]);

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.run.fileName} · Import · Admin · Asklog` : "Import not found · Asklog" },
];

// How often the page looks again while the run goes on.
const refreshSeconds = 2;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "import:run");
  const id = parseId(params.id);
  const run = id === undefined ? undefined : getImportRun(id);
  if (!run) throw data("Import not found", { status: 404 });
  return {
    run,
    maxBytes: settings().importMaxBytes,
    refreshSeconds: unfinished.has(run.state) ? refreshSeconds : null,
  };
}

type Run = ReturnType<typeof useLoaderData<typeof loader>>["run"];
type Report = NonNullable<Run["report"]>;
type Kind = keyof Report["counts"];

const kindLabels: Record<Kind, string> = {
  teams: "Teams",
  categories: "Categories",
  statuses: "Statuses",
  people: "People",
  asks: "Asks",
  statusUpdates: "Status updates",
  comments: "Comments",
  votes: "Votes",
};

type CountRow = { kind: Kind } & Report["counts"][Kind];

const countColumns: Column<CountRow>[] = [
  { header: "Records", rowHeader: true, cell: (r) => kindLabels[r.kind] },
  { header: "New", numeric: true, cell: (r) => r.created.toLocaleString("en") },
  { header: "Updated", numeric: true, cell: (r) => r.updated.toLocaleString("en") },
  { header: "Unchanged", numeric: true, cell: (r) => r.unchanged.toLocaleString("en") },
];

// While the run goes on the page follows it: with JavaScript by reloading its data, without it by
// a refresh of the whole page. The refresh sits in <noscript> so that readers with JavaScript (and
// screen readers among them) are not thrown back to the top every two seconds.
function useFollow(seconds: number | null) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    if (!seconds) return;
    const timer = setInterval(revalidate, seconds * 1000);
    return () => clearInterval(timer);
  }, [seconds, revalidate]);
}

export default function ImportRun() {
  const { run, maxBytes, refreshSeconds } = useLoaderData<typeof loader>();
  useFollow(refreshSeconds);
  const report = run.report;
  return (
    <>
      {refreshSeconds ? (
        <noscript>
          <meta httpEquiv="refresh" content={String(refreshSeconds)} />
        </noscript>
      ) : null}
      <p>
        <Link to="/admin/import">All imports</Link>
      </p>
      <h1>
        {run.dryRun ? "Dry run" : "Import"} of {run.fileName}
      </h1>
      <p className="meta-line">
        <ImportState run={run} />
        {run.actorName ? <span>By {run.actorName}</span> : null}
        <span>
          Uploaded <Time value={run.createdAt} relative />
        </span>
        {run.finishedAt ? (
          <span>
            Finished <Time value={run.finishedAt} relative />
          </span>
        ) : null}
      </p>
      {unfinished.has(run.state) ? (
        <Progress run={run} />
      ) : report?.ok ? (
        <Done run={run} report={report} />
      ) : report ? (
        <Failed report={report} maxBytes={maxBytes} />
      ) : null}
    </>
  );
}

function Progress({ run }: { run: Run }) {
  const progress = run.progress;
  const size = progress?.size ?? null;
  return (
    <section aria-labelledby="progress-title">
      {/* The phase is announced when it changes; the counts below change too often to be read out. */}
      <h2 id="progress-title" aria-live="polite">
        {run.state === "queued"
          ? "Waiting to start"
          : progress?.phase === "writing"
            ? "Writing"
            : "Checking every record"}
      </h2>
      {progress && size ? (
        <progress max={size} value={progress.bytesRead} aria-labelledby="progress-title">
          {Math.round((progress.bytesRead / size) * 100)}%
        </progress>
      ) : (
        <progress aria-labelledby="progress-title" />
      )}
      <p>
        {progress
          ? `${plural(progress.records, "record")} read${
              size ? `, ${formatBytes(progress.bytesRead)} of ${formatBytes(size)}` : ""
            }.`
          : "Starting…"}{" "}
        This page follows the run as it goes.
      </p>
      {run.dryRun ? null : <p className="muted">Nothing is written until every record has been checked.</p>}
    </section>
  );
}

function Done({ run, report }: { run: Run; report: Report }) {
  const rows: CountRow[] = (Object.keys(kindLabels) as Kind[]).map((kind) => ({ kind, ...report.counts[kind] }));
  return (
    <>
      <p className="notice" role="status">
        {run.dryRun
          ? `The file is right: nothing was written. This is what importing it would do (checked in ${duration(report.seconds)}).`
          : `Imported in ${duration(report.seconds)}.`}
      </p>
      <DataTable
        caption={
          run.dryRun
            ? "What importing the file would change, by kind of record"
            : "What the import changed, by kind of record"
        }
        columns={countColumns}
        rows={rows}
        rowKey={(r) => r.kind}
      />
      {run.dryRun && !run.fileKept ? (
        <p className="muted">The checked file is no longer kept (files wait a week). Upload it again to import it.</p>
      ) : run.dryRun ? (
        <Form method="post" action="/admin/import">
          <input type="hidden" name="runId" value={run.id} />
          <button type="submit" name="intent" value="import-checked">
            Import this file now
          </button>
        </Form>
      ) : null}
    </>
  );
}

function duration(seconds: number): string {
  return seconds < 1 ? "under a second" : `${seconds.toFixed(1)} s`;
}

function Failed({ report, maxBytes }: { report: Report; maxBytes: number }) {
  const more = report.errorCount - report.errors.length;
  return (
    <>
      <section aria-labelledby="errors-title">
        <h2 id="errors-title">{plural(report.errorCount, "error")}: nothing was written</h2>
        <ol className="import-errors">
          {report.errors.map((e, i) => (
            // The same place can hold two errors; their order is the file's.
            // biome-ignore lint/suspicious/noArrayIndexKey: errors have no identity beyond their place in the list
            <li key={i}>
              <code>{e.place}</code>: {e.message}
            </li>
          ))}
        </ol>
        {more > 0 ? <p>And {more.toLocaleString("en")} more.</p> : null}
      </section>
      <section aria-labelledby="again-title">
        <h2 id="again-title">Fix the file and upload it again</h2>
        <ImportUploadForm maxBytes={maxBytes} />
      </section>
    </>
  );
}
