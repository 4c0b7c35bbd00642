import { importDocument } from "./import-format";
import { z } from "./zod";

export const importFormatSchemaPath = "/import-format.schema.json";

// The import format as a JSON Schema, generated from the zod schemas the importer checks
// records with, so the published schema and the importer cannot disagree. `io: "input"`:
// it describes what a file may hold (optional fields stay optional).
export function importFormatJsonSchema(origin: string) {
  const { $schema, ...schema } = z.toJSONSchema(importDocument, { io: "input" });
  return { $schema, $id: `${origin}${importFormatSchemaPath}`, title: "Asklog import format, version 1", ...schema };
}
