// The contracts' closed vocabularies as plain constants, for code that needs the values without
// zod: the CLI's option descriptions and checks (command definitions load at every start; zod and
// the schemas only when a command runs). The contracts build their schemas from these
// (`z.enum(ROLES)`), so there is one list of each.

/** Roles (one per user); mirrors src/platform/auth/roles.ts. */
export const ROLES = [
  'admin',
  'governance',
  'owner',
  'developer',
  'validator',
  'approver',
  'auditor',
] as const;

/** What a token may be used for. */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;

/** Lifecycle statuses of a model. */
export const MODEL_STATUSES = [
  'proposed',
  'development',
  'validation',
  'approved',
  'production',
  'retired',
] as const;

/** The gates a model version passes. */
export const GATES = ['validation', 'production'] as const;

/** Evidence types a checklist can require. */
export const EVIDENCE_TYPES = [
  'model_card',
  'validation_report',
  'fairness_assessment',
  'data_sheet',
  'monitoring_plan',
  'test_results',
  'security_review',
  'privacy_assessment',
  'approval_record',
  'other',
  // EU AI Act obligations (the policy's euAiAct.obligations say which class needs which).
  'risk_management_system',
  'data_governance',
  'technical_documentation',
  'record_keeping',
  'instructions_for_use',
  'human_oversight',
  'conformity_assessment',
  'eu_database_registration',
  'post_market_monitoring_plan',
  'fundamental_rights_impact_assessment',
  'transparency_notice',
  // GenAI evaluation results (assay.genai/v1 and the raw tool result file it is derived from).
  'genai_evaluation',
] as const;

/** Why a review exists. */
export const REVIEW_TYPES = ['initial', 'change', 'periodic', 'incident'] as const;

/** The review moves the API takes. */
export const REVIEW_API_EVENTS = [
  'start_validation',
  'request_decision',
  'return_to_validation',
  'withdraw',
] as const;

/** States of a risk acceptance. */
export const ACCEPTANCE_STATES = ['pending', 'active', 'rejected', 'expired'] as const;
