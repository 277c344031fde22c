import { createHash } from 'node:crypto';
import { appendAuditEvent } from '../../../platform/audit/audit-trail.ts';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { RegistryEntriesTable } from '../../../platform/db/tables/registry-sync.ts';
import { newId } from '../../../platform/ids.ts';
import { RegistrySyncStore } from '../registry-sync.store.ts';
import type { MlflowClient } from './mlflow.client.ts';

/** One entry as pulled: the model (version '') or a version, with what identifies its artifact. */
export interface PulledEntry {
  externalId: string;
  version: string;
  payload: Record<string, unknown>;
  artifactUri: string | null;
  aliases: string[];
}

export interface SyncResult {
  runId: string;
  source: string;
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * Pulls an MLflow registry into `registry_entries`, idempotently keyed by (source, external id =
 * registered model name, version; '' for the model itself). Timestamps MLflow bumps on every read
 * stay in the payload, but an entry changes only when its payload hash does; each change (created,
 * updated, removed) is one audit event carrying the payload hash, in the same transaction.
 */
export class MlflowSyncService {
  readonly store: RegistrySyncStore;
  private running: Promise<SyncResult> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly client: MlflowClient,
    readonly source = 'mlflow',
  ) {
    this.store = new RegistrySyncStore(db.kysely);
  }

  /** Reads the whole registry (every model, then every version of each). */
  async pull(): Promise<PulledEntry[]> {
    const out: PulledEntry[] = [];
    for (const model of await this.client.registeredModels()) {
      out.push({
        externalId: model.name,
        version: '',
        payload: { ...model },
        artifactUri: null,
        aliases: (model.aliases ?? []).map((a) => `${a.alias}=${a.version}`),
      });
      for (const v of await this.client.versions(model.name)) {
        const aliases = new Set(v.aliases ?? []);
        for (const a of model.aliases ?? []) if (a.version === v.version) aliases.add(a.alias);
        out.push({
          externalId: model.name,
          version: v.version,
          payload: { ...v },
          artifactUri: v.source ?? null,
          aliases: [...aliases].sort(),
        });
      }
    }
    return out;
  }

  /** One sync (concurrent calls share the run in flight). */
  sync(trigger: 'schedule' | 'webhook' | 'manual'): Promise<SyncResult> {
    if (!this.running) {
      this.running = this.syncOnce(trigger).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async syncOnce(trigger: string): Promise<SyncResult> {
    const startedAt = this.clock.now().toISOString();
    const pulled = await this.pull();
    const ctx = { actor: `connector:${this.source}`, requestId: null };
    return this.db.write(async (tx) => {
      const now = this.clock.now().toISOString();
      const existing = new Map(
        (await this.store.entries(this.source, tx)).map((e) => [`${e.external_id}\u0000${e.version}`, e]),
      );
      const counts = { created: 0, updated: 0, removed: 0, unchanged: 0 };
      const audit = (action: string, e: RegistryEntriesTable, before?: RegistryEntriesTable) =>
        appendAuditEvent(tx, this.clock, ctx, {
          action,
          entityType: 'registry_entry',
          entityId: `${this.source}:${e.external_id}${e.version ? `@${e.version}` : ''}`,
          ...(before ? { before: entryView(before) } : {}),
          after: entryView(e),
        });
      for (const p of pulled) {
        const key = `${p.externalId}\u0000${p.version}`;
        const payloadJson = canonicalJson(p.payload);
        const hash = sha256(payloadJson);
        const old = existing.get(key);
        existing.delete(key);
        const row: RegistryEntriesTable = {
          source: this.source,
          external_id: p.externalId,
          version: p.version,
          payload_json: payloadJson,
          payload_hash: hash,
          artifact_uri: p.artifactUri,
          aliases_json: JSON.stringify(p.aliases),
          first_seen_at: old?.first_seen_at ?? now,
          last_seen_at: now,
          removed_at: null,
        };
        if (!old) {
          await this.store.insert(tx, row);
          await audit('registry.entry.created', row);
          counts.created++;
        } else if (old.payload_hash !== hash || old.removed_at) {
          await this.store.update(tx, old, row);
          await audit('registry.entry.updated', row, old);
          counts.updated++;
        } else {
          await this.store.update(tx, old, { last_seen_at: now });
          counts.unchanged++;
        }
      }
      for (const gone of existing.values()) {
        if (gone.removed_at) continue;
        const row = { ...gone, removed_at: now };
        await this.store.update(tx, gone, { removed_at: now });
        await audit('registry.entry.removed', row, gone);
        counts.removed++;
      }
      const runId = newId();
      await this.store.insertRun(tx, {
        id: runId,
        source: this.source,
        trigger,
        started_at: startedAt,
        finished_at: now,
        ...counts,
        error: null,
      });
      return { runId, source: this.source, ...counts };
    });
  }

  /** For the scheduler tick: syncs when the last run is older than `intervalMs`. */
  async runIfDue(intervalMs: number): Promise<SyncResult | null> {
    const last = await this.store.lastRun(this.source);
    if (last && this.clock.now().getTime() - Date.parse(last.started_at) < intervalMs) return null;
    return this.sync('schedule');
  }
}

/** What the audit trail keeps of an entry: its key, artifact, aliases and the payload's hash. */
export function entryView(e: RegistryEntriesTable) {
  return {
    source: e.source,
    externalId: e.external_id,
    version: e.version,
    payloadHash: e.payload_hash,
    artifactUri: e.artifact_uri,
    aliases: JSON.parse(e.aliases_json) as string[],
    removedAt: e.removed_at,
  };
}
