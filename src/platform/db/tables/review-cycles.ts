/** Row types of review cycles (migration 0034); `evidence.review_id` is on EvidenceTable. */

export interface ReviewCarryForwardsTable {
  id: string;
  review_id: string;
  evidence_id: string;
  carried_by: string;
  reason: string;
  created_at: string;
}

export interface ReviewCyclesTables {
  review_carry_forwards: ReviewCarryForwardsTable;
}
