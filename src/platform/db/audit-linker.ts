import pg from 'pg';

/**
 * Links the audit chain's outbox (PostgreSQL): events that `{ lock: 'audit' }` writes committed into
 * `audit_pending` are moved into `audit_events` by `assay_link_audit_pending` (migration 0101), one
 * short transaction per pass that holds the writers' lock only for the move and its commit.
 *
 * Passes of one process are coalesced (application-level group commit): `pass()` resolves when a
 * pass that STARTED after the call has finished, since a pass already running may have read the
 * pending rows before the caller's commit. So there is at most one pass running and one waiting to
 * start, and every caller that arrives meanwhile is served by the waiting one. A pass of another
 * process may link the caller's rows first; then this one finds them gone, which is just as good:
 * once any pass that started after a commit has finished, that commit's events are in the chain.
 */
export interface AuditLinker {
  /** Runs (or joins) a pass that starts after this call; resolves with the events it linked. */
  pass(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Passes run on a connection of their own (a pool of one, which replaces a dropped connection), so
 * that a pass never queues for a connection behind the requests whose events it links.
 * `ASSAY_WRITE_STATS=1`: one `assay-link {"events","callers","waitMs","workMs","heldMs"}` line a
 * pass (a pass that found the outbox empty took no lock: 0 for all three times).
 */
export function auditLinker(url: string, lockKey: number, stats: boolean): AuditLinker {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', (err) => {
    process.stderr.write(`assay: the audit linker's PostgreSQL connection was closed: ${err.message}\n`);
  });
  let running: Promise<number> | null = null;
  let waiting: Promise<number> | null = null;
  let callers = 0;
  const runOnce = async (served: number): Promise<number> => {
    const started = performance.now();
    const { rows } = await pool.query<{ linked: number; wait_ms: number; work_ms: number }>(
      'SELECT linked, wait_ms, work_ms FROM assay_link_audit_pending($1)',
      [lockKey],
    );
    const { linked, wait_ms: waitMs, work_ms: workMs } = rows[0]!;
    if (stats) {
      const total = performance.now() - started;
      process.stderr.write(
        `assay-link ${JSON.stringify({
          events: linked,
          callers: served,
          waitMs: +waitMs.toFixed(2),
          // Under the lock before the commit, measured in PostgreSQL.
          workMs: +workMs.toFixed(2),
          // From the lock granted to the commit done, as the client sees it (so with one round trip
          // and this process's event-loop delay: an upper bound).
          heldMs: linked > 0 ? +Math.max(0, total - waitMs).toFixed(2) : 0,
        })}\n`,
      );
    }
    return linked;
  };
  return {
    pass() {
      callers++;
      if (waiting) return waiting;
      const before = running;
      waiting = (async () => {
        // Always yields first, so `waiting` is set before it is cleared below.
        await before?.catch(() => {});
        waiting = null;
        const served = callers;
        callers = 0;
        const current = runOnce(served);
        running = current;
        try {
          return await current;
        } finally {
          if (running === current) running = null;
        }
      })();
      return waiting;
    },
    close: () => pool.end(),
  };
}
