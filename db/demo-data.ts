import { builtInStatusSlugs, roles } from "../app/domain";
import { z } from "../app/validation/zod";
import demoData from "./demo-data.json";

// Demo data shipped with Asklog: the seed script loads it on first start so a newcomer
// sees realistic asks, votes, comments and dated status histories. The data itself lives
// in demo-data.json; this schema checks it when it loads, so a typo in a role, status or
// date stops the seed instead of loading half a data set.
// All people, organizations and e-mail addresses are fictional (example domains only).

const day = z.iso.date();

const demoUserSchema = z.strictObject({
  key: z.string(),
  email: z.string(),
  displayName: z.string(),
  organization: z.string().optional(),
  team: z.string().optional(),
  role: z.enum(roles),
});

const demoStatusUpdateSchema = z.strictObject({
  date: day,
  team: z.string(),
  author: z.string(),
  status: z.enum(builtInStatusSlugs),
  note: z.string(),
  links: z.array(z.strictObject({ url: z.string(), title: z.string() })).optional(),
});

const demoCommentSchema = z.strictObject({ author: z.string(), date: day, body: z.string() });

const demoAskSchema = z.strictObject({
  title: z.string(),
  body: z.string(),
  author: z.string(),
  category: z.string(),
  createdAt: day,
  votes: z.array(z.string()),
  statusUpdates: z.array(demoStatusUpdateSchema),
  comments: z.array(demoCommentSchema),
});

const demoDataSchema = z.strictObject({
  teams: z.array(z.string()),
  categories: z.array(z.string()),
  users: z.array(demoUserSchema),
  asks: z.array(demoAskSchema),
});

export type DemoUser = z.infer<typeof demoUserSchema>;
export type DemoStatusUpdate = z.infer<typeof demoStatusUpdateSchema>;
export type DemoComment = z.infer<typeof demoCommentSchema>;
export type DemoAsk = z.infer<typeof demoAskSchema>;

const data = demoDataSchema.parse(demoData);

export const demoTeams: string[] = data.teams;
export const demoCategories: string[] = data.categories;
export const demoUsers: DemoUser[] = data.users;
export const demoAsks: DemoAsk[] = data.asks;
