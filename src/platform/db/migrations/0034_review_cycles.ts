import type { Migration } from '../migrate.ts';

/**
 * Review cycles: evidence may name the review it was produced for (`evidence.review_id`), and a
 * validator may carry earlier evidence forward into a review with a recorded reason
 * (`review_carry_forwards`, never deleted).
 */
export const reviewCyclesMigration: Migration = {
  name: '0034_review_cycles',
  async up(db) {
    await db.schema
      .alterTable('evidence')
      .addColumn('review_id', 'text', (c) => c.references('reviews.id'))
      .execute();
    await db.schema.createIndex('evidence_review').on('evidence').column('review_id').execute();
    await db.schema
      .createTable('review_carry_forwards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('review_id', 'text', (c) => c.notNull().references('reviews.id'))
      .addColumn('evidence_id', 'text', (c) => c.notNull().references('evidence.id'))
      .addColumn('carried_by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('review_carry_forwards_once', ['review_id', 'evidence_id'])
      .execute();
  },
};
