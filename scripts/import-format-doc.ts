import { readFileSync, writeFileSync } from "node:fs";
import { importFormatJsonSchema } from "../app/validation/import-format-schema";

// Rewrites the JSON Schema at the end of docs/import-format.md from the zod schemas:
// `npx tsx scripts/import-format-doc.ts` after changing the format. tests/unit/import-format.test.ts
// fails until the copy there matches.
const path = new URL("../docs/import-format.md", import.meta.url);
const doc = readFileSync(path, "utf8");
const heading = "## The JSON Schema";
const at = doc.indexOf(heading);
if (at === -1) throw new Error(`docs/import-format.md has no "${heading}" section`);
const schema = JSON.stringify(importFormatJsonSchema("https://asks.example.com"), null, 2);
const section = doc.slice(at).replace(/```json\n[\s\S]*?```\n?/, `\`\`\`json\n${schema}\n\`\`\`\n`);
writeFileSync(path, doc.slice(0, at) + section);
