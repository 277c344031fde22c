import type { Migration } from '../migrate.ts';

/**
 * Alerts raised by monitoring checks (one row per occurrence; the fingerprint names the
 * deployment × check), the per-fingerprint streak the state machine keeps between windows,
 * silences, and the outbox of route notifications (webhook / Alertmanager).
 */
export const alertsMigration: Migration = {
  name: '0045_alerts',
  async up(db) {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('plan_version', 'integer', (c) => c.notNull())
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('feature', 'text')
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('warning', 'double precision')
      .addColumn('critical', 'double precision')
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('for_windows', 'integer', (c) => c.notNull())
      .addColumn('runbook_url', 'text')
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('evidence_window_id', 'text', (c) => c.notNull())
      .addColumn('evidence_url', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('assignee', 'text')
      .addColumn('triage', 'text')
      .addColumn('triage_ref', 'text')
      .addColumn('routing_json', 'text', (c) => c.notNull())
      .addColumn('last_notified_at', 'text')
      .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('alerts_state').on('alerts').columns(['state', 'severity']).execute();
    await db.schema
      .createIndex('alerts_fingerprint')
      .on('alerts')
      .columns(['fingerprint', 'state'])
      .execute();
    await db.schema
      .createIndex('alerts_deployment')
      .on('alerts')
      .columns(['deployment_id', 'fired_at'])
      .execute();
    await db.schema
      .createTable('alert_check_states')
      .addColumn('fingerprint', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('streak', 'integer', (c) => c.notNull())
      .addColumn('streak_start', 'text')
      .addColumn('firing', 'integer', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('last_window_end', 'text')
      .addColumn('critical_streak', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('alert_silences')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('matchers_json', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('ended_by', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
      .addColumn('route_type', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status_sent', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema
      .createIndex('alert_deliveries_due')
      .on('alert_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
