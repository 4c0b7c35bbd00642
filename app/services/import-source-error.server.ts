// A file or folder the importer cannot read at all (not UTF-8, not JSON, a CSV file without
// its columns): the message is shown to the person importing, as it is.
export class ImportSourceError extends Error {
  override name = "ImportSourceError";
}
