import type { StoredCheckpoint } from '../../contracts/audit.ts';
import { GENESIS_HASH } from '../../platform/audit/audit-hash.ts';
import { CHECKPOINT_FORMAT, signCheckpoint } from '../../platform/audit/checkpoint.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { SigningKey } from '../../platform/signing/signing-key.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { publishCheckpointFile } from './checkpoint-publish.ts';
import { scheduledCheckpointDue } from './checkpoint-rules.ts';
import { checkpointRows } from './checkpoints.queries.ts';
import { chainHead, checkpointView, insertCheckpoint } from './checkpoints.store.ts';

/** How checkpoints are made and published. */
export interface CheckpointSettings {
  /** Scheduled checkpoints at most this often, and only when the head moved (0: none). */
  intervalMs: number;
  /** Where each checkpoint is also written as a file (outside the data directory), or undefined. */
  directory: string | undefined;
  /** Where a failure to publish is reported (scheduled checkpoints have no caller to tell). */
  report?: (message: string) => void;
}

/**
 * Signed checkpoints of the audit chain head (sequence, head hash, time, key id), in the style of
 * Certificate Transparency's signed tree heads: made on a schedule and on demand, stored, and
 * published where the store's owner cannot silently rewrite them (a directory outside the data
 * directory, the `audit.checkpoint` webhook, audit packages, the API). A checkpoint records the
 * trail; it is not itself an audit event, so making one does not move the head it certifies.
 */
export class CheckpointsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly key: SigningKey,
    private readonly settings: CheckpointSettings,
  ) {}

  private authorize(caller: Caller, action: 'audit.verify' | 'audit.checkpoint'): void {
    if (decide(caller.principal, action) !== 'allow')
      throw new ForbiddenError(
        `your role '${caller.principal.role}' with a '${caller.principal.scope}' token may not do ${action}`,
        { action },
      );
  }

  /** Makes a checkpoint of the head now, whether or not it moved (on demand). */
  async create(caller: Caller): Promise<StoredCheckpoint> {
    this.authorize(caller, 'audit.checkpoint');
    return (await this.make('manual', caller.audit.actor, false))!;
  }

  /** The scheduler's task: a checkpoint when the interval has passed and the head moved. Never throws. */
  async runScheduled(): Promise<StoredCheckpoint | null> {
    try {
      return await this.make('schedule', 'system', true);
    } catch (err) {
      this.settings.report?.(`audit checkpoint failed: ${(err as Error).message}`);
      return null;
    }
  }

  /** Checkpoints, newest first. */
  async list(caller: Caller, limit = 100): Promise<StoredCheckpoint[]> {
    this.authorize(caller, 'audit.verify');
    return checkpointRows(this.db.kysely, limit);
  }

  /** The newest checkpoint (404 before the first). */
  async latest(caller: Caller): Promise<StoredCheckpoint> {
    this.authorize(caller, 'audit.verify');
    const [row] = await checkpointRows(this.db.kysely, 1);
    if (!row) throw new NotFoundError('checkpoint', 'latest');
    return row;
  }

  private async make(
    trigger: 'schedule' | 'manual',
    actor: string,
    onlyIfDue: boolean,
  ): Promise<StoredCheckpoint | null> {
    await this.db.linkAudit(); // the head certified includes every event committed before now
    const made = await this.db.write(async (tx) => {
      const now = this.clock.now();
      const head = await chainHead(tx);
      if (onlyIfDue) {
        const [latest] = await checkpointRows(tx, 1);
        const state = {
          head,
          latest: latest
            ? {
                sequence: latest.checkpoint.sequence,
                headHash: latest.checkpoint.headHash,
                time: latest.checkpoint.time,
              }
            : null,
        };
        if (!scheduledCheckpointDue(state, now, this.settings.intervalMs)) return null;
      }
      const signed = signCheckpoint(
        {
          format: CHECKPOINT_FORMAT,
          sequence: head?.seq ?? 0,
          headHash: head?.hash ?? GENESIS_HASH,
          headEventId: head?.id ?? null,
          time: now.toISOString(),
          keyId: this.key.publicKey.id,
        },
        this.key,
      );
      const row = {
        id: newId(),
        sequence: signed.checkpoint.sequence,
        head_hash: signed.checkpoint.headHash,
        head_event_id: signed.checkpoint.headEventId ?? '',
        time: signed.checkpoint.time,
        key_id: signed.checkpoint.keyId,
        body: JSON.stringify(signed.checkpoint),
        signature: signed.signature,
        trigger,
        created_by: actor,
      };
      await insertCheckpoint(tx, row);
      // The outbox: subscribers receive the signed checkpoint only if it committed.
      await enqueueWebhookEvent(tx, this.clock, 'audit.checkpoint', signed);
      return checkpointView(row, signed.publicKeyPem);
    });
    if (!made) return null;
    return { ...made, published: this.publish(made) };
  }

  private publish(cp: StoredCheckpoint): { file: string | null; error: string | null } {
    if (!this.settings.directory) return { file: null, error: null };
    try {
      const { id, trigger, createdBy, published, ...signed } = cp;
      return { file: publishCheckpointFile(this.settings.directory, signed, id), error: null };
    } catch (err) {
      const error = `cannot write the checkpoint to ${this.settings.directory}: ${(err as Error).message}`;
      this.settings.report?.(error);
      return { file: null, error };
    }
  }
}
