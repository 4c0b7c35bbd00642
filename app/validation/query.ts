// Values read from URLs (sort, tab). They live outside the models so the browser
// bundle can use them too: *.server modules are empty there. Page numbers and ids
// are read by ~/validation/fields.
export const askSorts = ["trending", "top", "newest", "updated", "organizations"] as const;
export type AskSort = (typeof askSorts)[number];

export const myAskTabs = ["filed", "voted", "commented", "following"] as const;
export type MyAskTab = (typeof myAskTabs)[number];

export const triageViews = ["new", "mine", "by-team"] as const;
export type TriageView = (typeof triageViews)[number];

// "queue": each triage view's own order (oldest or longest-waiting first).
export const triageSorts = ["queue", "organizations"] as const;
export type TriageSort = (typeof triageSorts)[number];

// How an organization's members came to an ask; "wants" is filed or voted on.
export const organizationLinks = ["wants", "filed", "voted", "commented"] as const;
export type OrganizationLink = (typeof organizationLinks)[number];
