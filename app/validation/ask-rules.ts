// What the ask form and askSchema (ask.ts) share. Plain values, so the form can show them
// without the browser loading zod.
export const askTitleMin = 10;
export const askTitleMax = 120;
export const askBodyMax = 10_000;
