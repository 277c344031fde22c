import type { Migration } from '../migrate.ts';
import { platformMigration } from './0001_platform.ts';

/** Every migration, in order. One set for SQLite and PostgreSQL; add a feature's migration here. */
export const migrations: readonly Migration[] = [platformMigration];
