import type { Migration } from '../migrate.ts';

/** Findings, decisions with signatures and conditions, risk acceptances, fired jobs, webhooks. */
export const workflowDecisionsMigration: Migration = {
  name: '0011_workflow_decisions',
  async up(db) {
    await db.schema
      .createTable('findings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('review_id', 'text', (c) => c.references('reviews.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('remediator', 'text')
      .addColumn('remediation_plan', 'text')
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('closure_evidence_id', 'text', (c) => c.references('evidence.id'))
      .addColumn('verified_by', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('repeat_of', 'text', (c) => c.references('findings.id'))
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('findings_model')
      .on('findings')
      .columns(['model_id', 'created_at'])
      .execute();
    await db.schema.createIndex('findings_state').on('findings').columns(['state', 'due_at']).execute();
    await db.schema.createIndex('findings_version').on('findings').columns(['version_id', 'state']).execute();

    await db.schema
      .createTable('decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('review_id', 'text', (c) => c.notNull().references('reviews.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('tier', 'integer')
      .addColumn('policy_version', 'integer', (c) => c.notNull())
      .addColumn('sign_off_json', 'text', (c) => c.notNull())
      .addColumn('binding_json', 'text')
      .addColumn('submitted_by', 'text')
      .addColumn('proposed_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finalized_at', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('decisions_version')
      .on('decisions')
      .columns(['version_id', 'state', 'finalized_at'])
      .execute();
    await db.schema.createIndex('decisions_review').on('decisions').columns(['review_id']).execute();

    await db.schema
      .createTable('decision_signatures')
      .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
      .addColumn('signer', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('binding_digest', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('decision_signatures_pk', ['decision_id', 'signer'])
      .execute();

    await db.schema
      .createTable('decision_conditions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('met_at', 'text')
      .addColumn('met_by', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('decision_conditions_decision')
      .on('decision_conditions')
      .columns(['decision_id'])
      .execute();

    await db.schema
      .createTable('risk_acceptances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('expired_at', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('risk_acceptances_state')
      .on('risk_acceptances')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema
      .createTable('acceptance_findings')
      .addColumn('acceptance_id', 'text', (c) => c.notNull().references('risk_acceptances.id'))
      .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id'))
      .addPrimaryKeyConstraint('acceptance_findings_pk', ['acceptance_id', 'finding_id'])
      .execute();
    await db.schema
      .createIndex('acceptance_findings_finding')
      .on('acceptance_findings')
      .columns(['finding_id'])
      .execute();

    await db.schema
      .createTable('fired_jobs')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('events_json', 'text', (c) => c.notNull())
      .addColumn('allow_private', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
