/** Row types of the workflow's policy, tiering, evidence and reviews (migration 0010). */

export interface PolicyVersionsTable {
  version: number;
  yaml: string;
  sha256: string;
  created_by: string;
  created_at: string;
  /** proposed | approved | rejected (migration 0032); the active policy is the newest approved. */
  state: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  /** The active version a proposal was made against; approving needs it still active. */
  base_version: number | null;
}

export interface TieringsTable {
  id: string;
  model_id: string;
  version_id: string;
  policy_version: number;
  /** JSON object questionId → answerId. */
  answers_json: string;
  score: number;
  computed_tier: number;
  /** JSON array of the rationale lines (which answers drove the score). */
  rationale_json: string;
  eu_class: string;
  /** JSON of the EU AI Act classification (answers, matched provisions). */
  eu_json: string;
  /** JSON of the EU AI Act answers (migration 0033; null in older rows: derived from eu_json). */
  eu_answers_json: string | null;
  assessed_by: string;
  assessed_at: string;
  /** effective | pending | rejected (migration 0033). */
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  row_version: number;
}

export interface TierOverridesTable {
  id: string;
  model_id: string;
  tiering_id: string;
  from_tier: number;
  to_tier: number;
  justification: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  row_version: number;
  /** The latest tiering the approved override was carried across (migration 0033). */
  carried_to_tiering_id: string | null;
  /** The tiering that superseded it, and when (migration 0033). */
  superseded_by_tiering_id: string | null;
  superseded_at: string | null;
}

export interface EvidenceTable {
  id: string;
  model_id: string;
  version_id: string;
  type: string;
  title: string;
  description: string | null;
  blob_sha256: string | null;
  size_bytes: number | null;
  media_type: string | null;
  filename: string | null;
  external_url: string | null;
  uploaded_by: string;
  produced_by_tool: string | null;
  produced_by_tool_version: string | null;
  /** JSON array of input references (dataset names, URIs, hashes). */
  inputs_json: string;
  valid_until: string | null;
  superseded_by: string | null;
  superseded_at: string | null;
  created_at: string;
  row_version: number;
  /** The review this evidence was produced for, when named at upload (migration 0034). */
  review_id: string | null;
}

export interface ReviewsTable {
  id: string;
  model_id: string;
  version_id: string;
  type: string;
  gate: string;
  state: string;
  reason: string | null;
  tier: number | null;
  policy_version: number;
  /** JSON array of the evidence types the checklist requires (fixed when the review opens). */
  checklist_json: string;
  opened_by: string;
  submitted_by: string | null;
  validator_id: string | null;
  outcome: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  closed_at: string | null;
  row_version: number;
}

export interface WorkflowReviewsTables {
  policy_versions: PolicyVersionsTable;
  tierings: TieringsTable;
  tier_overrides: TierOverridesTable;
  evidence: EvidenceTable;
  reviews: ReviewsTable;
}
