/**
 * Fills a store with a large inventory through SQL (the rows the services write, with chained audit
 * events carrying real model snapshots), for the issue-2 benchmark. Not a test helper: bench only.
 */
import type { Kysely } from 'kysely';
import { toModelView } from '../../src/governance/inventory/models.store.ts';
import { computeAuditHash, GENESIS_HASH } from '../../src/platform/audit/audit-hash.ts';
import { canonicalJson } from '../../src/platform/canonical-json.ts';
import type { Db } from '../../src/platform/db/database.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import type { ModelsTable } from '../../src/platform/db/tables/inventory.ts';

const STATUSES = ['proposed', 'development', 'validation', 'approved', 'production', 'retired'];
const TYPES = [
  'classification',
  'regression',
  'ranking',
  'forecasting',
  'clustering',
  'llm_application',
  'agent',
  'rules_euc',
  'other',
];
const UNITS = [
  'Retail Credit',
  'Fraud',
  'Marketing',
  'Operations',
  'Treasury',
  'Insurance',
  'People',
  'Customer Service',
];

async function insertBatched<T extends keyof Database>(
  db: Db,
  table: T,
  rows: Record<string, unknown>[],
  size: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size * 20) {
    await db.write(async (tx: Kysely<Database>) => {
      for (let j = i; j < Math.min(i + size * 20, rows.length); j += size) {
        const batch = rows.slice(j, j + size) as Parameters<
          ReturnType<Kysely<Database>['insertInto']>['values']
        >[0];
        // Kysely types inserts per table; this bench helper inserts rows of whichever table it is given.
        await tx
          .insertInto(table)
          .values(batch as never)
          .execute();
      }
    });
  }
}

/** Inserts `models` models (3 versions each) and ~10 audit events per model; returns the model keys. */
export async function fillInventory(db: Db, models: number, log: (s: string) => void): Promise<string[]> {
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  const users = Array.from({ length: 50 }, (_, i) => ({
    id: `user-${i}`,
    username: `owner${i}`,
    display_name: `Owner ${i}`,
    email: null,
    role: i % 5 === 0 ? 'developer' : 'owner',
    password_hash: null,
    disabled: 0,
    created_at: new Date(t0).toISOString(),
    row_version: 1,
  }));
  await insertBatched(db, 'users', users, 50);
  const keys: string[] = [];
  let seq =
    ((
      await db.kysely
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('seq').as('m'))
        .executeTakeFirst()
    )?.m as number | null) ?? 0;
  let prev = seq
    ? (
        await db.kysely
          .selectFrom('audit_events')
          .select('hash')
          .where('seq', '=', seq)
          .executeTakeFirstOrThrow()
      ).hash
    : GENESIS_HASH;
  const chunk = 10_000;
  for (let start = 0; start < models; start += chunk) {
    const modelRows: ModelsTable[] = [];
    const relations: Record<string, unknown>[] = [];
    const versions: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const event = (
      at: number,
      action: string,
      entityType: string,
      entityId: string,
      modelId: string,
      before: unknown,
      after: unknown,
    ) => {
      seq++;
      const e = {
        seq,
        id: `evt-${seq}`,
        at: new Date(at).toISOString(),
        actor: 'owner1',
        action,
        entity_type: entityType,
        entity_id: entityId,
        model_id: modelId,
        request_id: null,
        before_json: before === null ? null : canonicalJson(before),
        after_json: canonicalJson(after),
        prev_hash: prev,
      };
      const hash = computeAuditHash(e);
      prev = hash;
      events.push({ ...e, hash });
    };
    for (let i = start; i < Math.min(start + chunk, models); i++) {
      const id = `m-${String(i).padStart(7, '0')}`;
      const owner = users[i % users.length]!;
      const at = t0 + i * 60_000;
      const row: ModelsTable = {
        id,
        key: `model-${i}`,
        name: `${UNITS[i % UNITS.length]} model ${i}`,
        description: 'Scores applications for unsecured personal loans in the retail bank.',
        purpose: 'Decision support',
        intended_use: 'Human-reviewed decisions',
        intended_users: 'Analysts',
        out_of_scope_uses: null,
        type: TYPES[i % TYPES.length]!,
        business_unit: UNITS[i % UNITS.length]!,
        owner_id: owner.id,
        vendor: i % 7 === 0 ? 1 : 0,
        vendor_name: i % 7 === 0 ? 'Vendor Inc.' : null,
        genai: i % 11 === 0 ? 1 : 0,
        decision_impact: 'Medium',
        status: STATUSES[i % STATUSES.length]!,
        tier: i % 4 === 0 ? null : (i % 3) + 1,
        eu_ai_act_class: null,
        tags: JSON.stringify([`t${i % 20}`, 'bench']),
        links: '{}',
        created_at: new Date(at).toISOString(),
        updated_at: new Date(at + 9 * 86_400_000).toISOString(),
        retired_at: null,
        row_version: 6,
      };
      modelRows.push(row);
      keys.push(row.key);
      relations.push({ model_id: id, user_id: owner.id, relation: 'owner' });
      const rel = [{ user_id: owner.id, username: owner.username, relation: 'owner' }];
      let snapshot = toModelView({ ...row, row_version: 1, status: 'proposed' }, rel);
      event(at, 'model.registered', 'model', id, id, null, snapshot);
      for (let v = 0; v < 3; v++) {
        const vid = `${id}-v${v}`;
        const vrow = {
          id: vid,
          model_id: id,
          label: `1.${v}`,
          artifact_uri: `s3://models/${id}/1.${v}`,
          artifact_sha256: null,
          code_repo: null,
          code_commit: null,
          registry_ref: null,
          change_summary: 'Retrained',
          material_change: 0,
          status: v < 2 ? 'superseded' : 'active',
          superseded_by: v < 2 ? `1.${v + 1}` : null,
          frozen_at: null,
          created_by: owner.username,
          created_at: new Date(at + v * 86_400_000).toISOString(),
          updated_at: new Date(at + v * 86_400_000).toISOString(),
          row_version: 1,
        };
        versions.push(vrow);
        event(at + v * 86_400_000 + 1000, 'version.created', 'version', vid, id, null, {
          id: vid,
          label: vrow.label,
          modelKey: row.key,
        });
      }
      for (let u = 2; u <= 6; u++) {
        const next = toModelView({ ...row, row_version: u, status: STATUSES[Math.min(u - 2, 4)]! }, rel);
        event(at + (3 + u) * 86_400_000, 'model.updated', 'model', id, id, snapshot, next);
        snapshot = next;
      }
      event(at + 9 * 86_400_000 + 5000, 'deployment.started', 'deployment', `${id}-d`, id, null, {
        id: `${id}-d`,
        modelKey: row.key,
        modelId: id,
        version: '1.2',
        versionId: `${id}-v2`,
        environment: 'production',
        endpoint: null,
        startedAt: new Date(at + 9 * 86_400_000 + 5000).toISOString(),
        endedAt: null,
        createdBy: owner.username,
        rowVersion: 1,
      });
    }
    await insertBatched(db, 'models', modelRows as unknown as Record<string, unknown>[], 200);
    await insertBatched(db, 'model_relations', relations, 500);
    await insertBatched(db, 'model_versions', versions, 300);
    await insertBatched(db, 'audit_events', events, 300);
    log(`  filled ${Math.min(start + chunk, models)} models, ${seq} events`);
  }
  return keys;
}
