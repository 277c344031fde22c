import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, dueJobs, type ScheduleSnapshot } from './due-jobs.ts';

const DAY = 86_400_000;
const empty: ScheduleSnapshot = {
  periodicReviews: [],
  findings: [],
  evidence: [],
  acceptances: [],
  conditions: [],
};

describe('periodic review jobs (pure)', () => {
  it('fire from lead days before the due date on, with one key per version and cycle however the due date moves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        (start, dueIn, nowAt) => {
          const t0 = Date.UTC(2026, 0, 1);
          const cycleStart = new Date(t0 + start * DAY).toISOString();
          const dueAt = new Date(t0 + (start + dueIn) * DAY).toISOString();
          const now = new Date(t0 + nowAt * DAY);
          const jobs = dueJobs({ ...empty, periodicReviews: [{ versionId: 'v1', cycleStart, dueAt }] }, now);
          const due = Date.parse(dueAt) - DEFAULT_SCHEDULE.periodicReviewLeadDays * DAY <= now.getTime();
          expect(jobs.length).toBe(due ? 1 : 0);
          if (due)
            expect(jobs[0]).toEqual({
              key: `review.periodic:v1:${cycleStart}`,
              kind: 'review.periodic',
              entityId: 'v1',
            });
        },
      ),
    );
  });
});
