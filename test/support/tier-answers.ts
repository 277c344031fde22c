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

/** Tiering answers that score Tier 1 under the default policy (the riskiest answer of every question). */
export const TIER1_ANSWERS = {
  decision_impact: 'legal_or_safety',
  autonomy: 'fully_automated',
  population_affected: 'public_large',
  data_sensitivity: 'special_category',
  complexity: 'machine_learning',
  vendor_opacity: 'in_house',
  regulatory_exposure: 'regulated_use',
  financial_exposure: 'high',
};
