/** Row type of compliance not-applicable records (migration 0055). */
export interface ComplianceNotApplicableTable {
  id: string;
  model_id: string;
  catalog: string;
  requirement: string;
  reason: string;
  recorded_by: string;
  recorded_at: string;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
  withdraw_reason: string | null;
}

export interface ComplianceTables {
  compliance_not_applicable: ComplianceNotApplicableTable;
}
