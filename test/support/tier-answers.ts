/**
 * Tiering answers that score Tier 4 under the default policy: one approver signs; production
 * needs a model card and test results.
 */
export const TIER4_ANSWERS = {
  decision_impact: 'informational',
  autonomy: 'human_in_the_loop',
  population_affected: 'internal_few',
  data_sensitivity: 'internal',
  complexity: 'statistical',
  vendor_opacity: 'in_house',
  regulatory_exposure: 'none',
  financial_exposure: 'low',
};
