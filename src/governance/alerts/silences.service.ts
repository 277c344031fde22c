import type { Silence, SilenceCreate } from '../../contracts/alerts.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { type Action, decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { endSilence, insertSilence, silenceById, silenceRows, silenceView } from './alerts.store.ts';

/**
 * Silences: matchers on an alert's labels, a reason and an expiry. A matching alert still fires,
 * resolves and shows (marked silenced); only its notifications are held until the silence ends.
 */
export class SilencesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Every silence, newest first. */
  async list(caller: Caller): Promise<{ items: Silence[] }> {
    this.demand(caller, 'alert.read');
    const now = this.clock.now();
    return { items: (await silenceRows(this.db.kysely)).map((r) => silenceView(r, now)) };
  }

  /** Creates a silence with a reason and an expiry. Audited. */
  async create(caller: Caller, input: SilenceCreate): Promise<Silence> {
    this.demand(caller, 'alert.silence');
    const now = this.clock.now();
    const startsAt = input.startsAt ?? now.toISOString();
    if (input.endsAt <= startsAt) throw new ValidationError('a silence must end after it starts', 'endsAt');
    if (input.endsAt <= now.toISOString())
      throw new ValidationError('a silence must end in the future', 'endsAt');
    const row = {
      id: newId(),
      matchers_json: JSON.stringify(input.matchers),
      reason: input.reason,
      starts_at: new Date(startsAt).toISOString(),
      ends_at: new Date(input.endsAt).toISOString(),
      ended_at: null,
      ended_by: null,
      created_by: caller.audit.actor,
      created_at: now.toISOString(),
      row_version: 1,
    };
    return this.db.write(async (tx) => {
      await insertSilence(tx, row);
      const view = silenceView(row, now);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'silence.created',
        entityType: 'silence',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  /** Lifts a silence before its expiry. Audited. */
  async expire(caller: Caller, id: string): Promise<Silence> {
    this.demand(caller, 'alert.silence');
    return this.db.write(async (tx) => {
      const row = await silenceById(tx, id);
      if (!row) throw new NotFoundError('silence', id);
      const now = this.clock.now();
      if (row.ended_at !== null || row.ends_at <= now.toISOString())
        throw new ConflictError(`silence ${id} has already ended`);
      const next = {
        ...row,
        ended_at: now.toISOString(),
        ended_by: caller.audit.actor,
        row_version: Number(row.row_version) + 1,
      };
      await endSilence(tx, id, next.ended_at, caller.audit.actor, next.row_version);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'silence.expired',
        entityType: 'silence',
        entityId: id,
        before: silenceView(row, now),
        after: silenceView(next, now),
      });
      return silenceView(next, now);
    });
  }

  private demand(caller: Caller, action: Action): void {
    if (decide(caller.principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not ${action.replace('.', ' ')}`);
  }
}
