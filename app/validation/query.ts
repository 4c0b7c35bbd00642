// Values read from URLs (sort, tab). They live outside the models so the browser
// bundle can use them too: *.server modules are empty there. Page numbers and ids
// are read by ~/validation/fields.
export const askSorts = ["trending", "top", "newest", "updated"] as const;
export type AskSort = (typeof askSorts)[number];

export const myAskTabs = ["filed", "voted", "commented", "following"] as const;
export type MyAskTab = (typeof myAskTabs)[number];

export const triageViews = ["new", "mine", "by-team"] as const;
export type TriageView = (typeof triageViews)[number];
