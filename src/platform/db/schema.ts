import type { PlatformTables } from './tables/platform.ts';

/**
 * The whole database as Kysely sees it: one interface per feature's tables, merged here.
 * Add a feature's tables by extending this interface with its `*Tables` type.
 */
export interface Database extends PlatformTables {}
