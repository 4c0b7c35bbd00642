import { z } from "zod";

// The pages' Content-Security-Policy forbids eval. Left to itself, zod tries `new Function`
// once, while the first schema is built, to see whether it may compile parsers; the browser
// reports that as a policy violation. Every schema imports z from here, so this runs first.
z.config({ jitless: true });

export { z };
