import type { VersionCreatedListener } from '../inventory/versions.service.ts';
import type { ReviewsService } from './reviews.service.ts';

/**
 * The hook that opens a change review (production gate) when a new version is flagged as a
 * material change. Runs after the version commits, as the system; an already open change review
 * of the version is reused, so a retried hook never opens two.
 */
export function materialChangeListener(reviews: ReviewsService): VersionCreatedListener {
  return async ({ model, version, audit }) => {
    if (!version.materialChange || model.status === 'retired') return;
    await reviews.openReview(
      { principal: null, audit: { actor: 'system', requestId: audit.requestId } },
      {
        modelKey: model.key,
        versionLabel: version.label,
        type: 'change',
        gate: 'production',
        reason:
          `material change in ${version.label}${version.changeSummary ? `: ${version.changeSummary}` : ''} (by ${audit.actor})`.slice(
            0,
            2000,
          ),
      },
      { reuseOpen: true },
    );
  };
}
