import type { VersionCreatedListener } from '../inventory/versions.service.ts';
import type { ReviewsService } from './reviews.service.ts';

/**
 * The hook that opens a change review (production gate) when a new version is flagged as a
 * material change. Runs as the system inside the transaction that creates the version, so the
 * version and its change review are saved together: if the review cannot be opened, the version
 * is not saved either and the caller gets the error. An already open change review of the version
 * is reused, so a repeated hook never opens two.
 */
export function materialChangeListener(reviews: ReviewsService): VersionCreatedListener {
  return async ({ tx, model, version, audit }) => {
    if (!version.materialChange || model.status === 'retired') return;
    await reviews.openReviewIn(
      tx,
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
