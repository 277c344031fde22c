/**
 * Whether a review still takes work: evidence, findings and tiering through it. A closed review
 * (its decision is signed) or a withdrawn one is a record; the server refuses evidence for it.
 */
export function isReviewOpen(state: string): boolean {
  return state !== 'closed' && state !== 'withdrawn';
}

/** What a finished review says instead of its actions. */
export function finishedReviewNote(state: string): string {
  return state === 'withdrawn'
    ? 'This review is withdrawn: nothing more can be attached, logged or tiered through it.'
    : 'This review is closed: its evidence and findings are as the decision saw them. Open a new review of the version to add evidence, log findings or re-tier it.';
}
