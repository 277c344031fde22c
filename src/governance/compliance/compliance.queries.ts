import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { cardRow, publishedDatasheetRows } from '../documentation/documentation.queries.ts';
import { sectionSize } from '../documentation/documentation-rules.ts';
import { latestEffectiveTiering } from '../tiering/tiering.queries.ts';

/** Read model of the compliance feature: the rows a version's facts come from. */

export async function versionOf(
  tx: Kysely<Database>,
  modelId: string,
  label: string | undefined,
): Promise<ModelVersionsTable | undefined> {
  let q = tx.selectFrom('model_versions').selectAll().where('model_id', '=', modelId);
  if (label !== undefined) q = q.where('label', '=', label);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function allModels(tx: Kysely<Database>): Promise<ModelsTable[]> {
  return tx.selectFrom('models').selectAll().where('status', '!=', 'retired').orderBy('key').execute();
}

export interface TieringFacts {
  id: string;
  assessedAt: string;
  answers: Record<string, string>;
  eu: {
    class?: string;
    matched?: { group: string; id: string }[];
    fundamentalRightsImpactAssessment?: boolean;
  };
}

export async function tieringFacts(tx: Kysely<Database>, modelId: string): Promise<TieringFacts | null> {
  const row = await latestEffectiveTiering(tx, { modelId });
  if (!row) return null;
  const answers = JSON.parse(row.answers_json) as unknown;
  return {
    id: row.id,
    assessedAt: row.assessed_at,
    answers:
      answers && typeof answers === 'object' && !Array.isArray(answers)
        ? Object.fromEntries(
            Object.entries(answers).filter((e): e is [string, string] => typeof e[1] === 'string'),
          )
        : {},
    eu: JSON.parse(row.eu_json) as TieringFacts['eu'],
  };
}

/** Section ids of a content object that have text or entries. */
function writtenSections(content: Record<string, unknown>, sections: readonly { id: string; key: string }[]) {
  const written = new Set<string>();
  for (const s of sections) {
    const size = sectionSize(content[s.key]);
    if (size.chars > 0 || size.entries > 0) written.add(s.id);
  }
  return written;
}

export async function publishedCard(
  tx: Kysely<Database>,
  versionId: string,
  sections: readonly { id: string; key: string }[],
) {
  const row = await cardRow(tx, versionId, { publishedOnly: true });
  if (!row) return null;
  return {
    id: row.id,
    revision: Number(row.revision),
    sha256: row.sha256,
    createdAt: row.created_at,
    content: JSON.parse(row.content_json) as Record<string, unknown>,
    written: writtenSections(JSON.parse(row.content_json) as Record<string, unknown>, sections),
  };
}

export async function versionDatasheets(
  tx: Kysely<Database>,
  versionId: string,
  sections: readonly { id: string; key: string }[],
) {
  const links = await tx
    .selectFrom('version_datasets')
    .innerJoin('datasets', 'datasets.id', 'version_datasets.dataset_id')
    .select(['datasets.id', 'datasets.name', 'version_datasets.usage'])
    .where('version_datasets.version_id', '=', versionId)
    .where('version_datasets.usage', 'in', ['training', 'evaluation'])
    .orderBy('datasets.name')
    .execute();
  const datasets = [...new Map(links.map((l) => [l.id, l])).values()];
  const sheets = await publishedDatasheetRows(
    tx,
    datasets.map((d) => d.id),
  );
  return datasets.map((d) => {
    const sheet = sheets.get(d.id);
    const content = sheet ? (JSON.parse(sheet.content_json) as Record<string, unknown>) : null;
    return {
      dataset: d.name,
      usage: d.usage,
      sheet:
        sheet && content
          ? {
              id: sheet.id,
              revision: Number(sheet.revision),
              sha256: sheet.sha256,
              createdAt: sheet.created_at,
              content,
              written: writtenSections(content, sections),
            }
          : null,
    };
  });
}

/** Reviews of the version whose validation is done (decision pending or closed) with a validator. */
export async function validatedReviews(tx: Kysely<Database>, versionId: string) {
  return tx
    .selectFrom('reviews')
    .select(['id', 'validator_id', 'state', 'updated_at', 'type'])
    .where('version_id', '=', versionId)
    .where('validator_id', 'is not', null)
    .where('state', 'in', ['decision_pending', 'closed'])
    .orderBy('updated_at', 'desc')
    .execute();
}

export async function ownerName(tx: Kysely<Database>, ownerId: string | null): Promise<string | null> {
  if (!ownerId) return null;
  const row = await tx.selectFrom('users').select(['username']).where('id', '=', ownerId).executeTakeFirst();
  return row?.username ?? null;
}

/** The label of the version registered just before this one, if any. */
export async function previousVersionLabel(
  tx: Kysely<Database>,
  version: ModelVersionsTable,
): Promise<string | null> {
  const row = await tx
    .selectFrom('model_versions')
    .select(['label'])
    .where('model_id', '=', version.model_id)
    .where('created_at', '<', version.created_at)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.label ?? null;
}
