import type { Migration } from '../migrate.ts';

/**
 * Incidents: the times that make MTTD/MTTR, the EU AI Act serious-incident flag and its reporting
 * due date, the affected deployments, the timeline, the alerts triaged into it and its
 * post-incident corrective actions (findings).
 */
export const incidentsMigration: Migration = {
  name: '0046_incidents',
  async up(db) {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('impact_began_at', 'text', (c) => c.notNull())
      .addColumn('detected_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('mitigated_at', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('serious', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('serious_category', 'text')
      .addColumn('reporting_due_at', 'text')
      .addColumn('reported_at', 'text')
      .addColumn('commander', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('incidents_state')
      .on('incidents')
      .columns(['state', 'detected_at'])
      .execute();
    await db.schema
      .createTable('incident_deployments')
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addPrimaryKeyConstraint('incident_deployments_pk', ['incident_id', 'deployment_id'])
      .execute();
    await db.schema
      .createTable('incident_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('ref', 'text')
      .execute();
    await db.schema
      .createIndex('incident_events_incident')
      .on('incident_events')
      .columns(['incident_id', 'at'])
      .execute();
  },
};
