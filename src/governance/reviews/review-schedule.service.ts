import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { periodicReviewSchedule, type ScheduledReview } from './review-schedule.store.ts';

/**
 * When each approved version is next reviewed, under the active policy and the models' current
 * tiers (the pure rule `nextPeriodicReview`): the one schedule the scheduler, the inventory's
 * next review date and the metrics read.
 */
export class ReviewScheduleService {
  constructor(
    private readonly db: Db,
    private readonly policy: PolicyService,
  ) {}

  /** The schedule of every approved version (or of some models' versions), read inside `tx`. */
  async periodicSchedule(
    tx: Kysely<Database> = this.db.kysely,
    modelIds?: readonly string[],
  ): Promise<ScheduledReview[]> {
    return periodicReviewSchedule(tx, async () => (await this.policy.active(tx)).document, modelIds);
  }

  /** The next periodic review date of each model: the earliest over its approved versions. */
  async nextReviewDates(modelIds: readonly string[]): Promise<Map<string, string>> {
    const dates = new Map<string, string>();
    for (const r of await this.periodicSchedule(this.db.kysely, modelIds)) {
      const prev = dates.get(r.modelId);
      if (prev === undefined || r.dueAt < prev) dates.set(r.modelId, r.dueAt);
    }
    return dates;
  }
}
