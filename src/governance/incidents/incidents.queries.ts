import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { IncidentsTable } from '../../platform/db/tables/alerts.ts';

/** Read model of incidents for the monitoring KPIs (MTTD, MTTR, time to acknowledge): every incident's times. */
export async function allIncidentTimes(tx: Kysely<Database>): Promise<IncidentsTable[]> {
  return tx.selectFrom('incidents').selectAll().execute();
}
