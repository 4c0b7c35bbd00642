import { z } from "~/validation/zod";
import { idField } from "./schema-fields";

// Opening an unread entry: the entry, and the page it leads to (checked by safeRedirect when used).
export const notificationOpenSchema = z.object({ notificationId: idField, to: z.unknown().optional() });
