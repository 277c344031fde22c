import { z } from 'zod';
import { modelKeySchema } from '../../contracts/inventory.ts';

// Route helpers every feature's routes share: the caller of a request, the ETag of an entity answer,
// and the common path parameters.

export { callerOf, withEtag } from './request-context.ts';

export const keyParams = z.strictObject({ key: modelKeySchema });
export const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
