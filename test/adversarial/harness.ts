import type { Dialect } from '../../src/platform/db/database.ts';
import type { Step } from './action.ts';
import { checkInvariants, type InvariantId, type Violation } from './oracle.ts';
import { runStep } from './registry.ts';
import { relationsReader, type Snapshot, takeSnapshot } from './snapshot.ts';
import { type CallRecord, createWorld } from './world.ts';

/** What one step did: its requests (writes only) and the invariants broken after it. */
export interface StepLog {
  step: Step;
  calls: CallRecord[];
  violations: Violation[];
}

/** The outcome of one sequence on a fresh server. */
export interface RunReport {
  log: StepLog[];
  /** Every violation, in order, with the index of the step after which it was seen. */
  violations: (Violation & { afterStep: number })[];
  /** After how many steps some version passed the production gate (proof the run got somewhere). */
  productionOpenSteps: number;
  /** Accepted writes (2xx) per `METHOD route` (ids elided): shows which actions got through. */
  accepted: Map<string, number>;
}

/** Options: stop at the first violation of an invariant not in `tolerate` (saves time when failing). */
export interface RunOptions {
  tolerate?: ReadonlySet<InvariantId>;
}

/**
 * Runs `steps` on a fresh server on `engine`, one by one, checking every invariant after each
 * (and the audit chain at the end). Time moves one second per step so that every step has its
 * own timestamps (the oracle orders tierings and decisions by time).
 */
export async function runSequence(
  engine: Dialect,
  steps: readonly Step[],
  opts: RunOptions = {},
): Promise<RunReport> {
  const w = await createWorld(engine);
  const relationsAt = relationsReader(w);
  const report: RunReport = { log: [], violations: [], productionOpenSteps: 0, accepted: new Map() };
  const record = (i: number, vs: Violation[]) => {
    report.log[i]!.violations.push(...vs);
    for (const v of vs) report.violations.push({ ...v, afterStep: i });
    return vs.some((v) => !opts.tolerate?.has(v.invariant));
  };
  try {
    let prev: Snapshot | null = await takeSnapshot(w);
    for (const [i, step] of steps.entries()) {
      w.calls = [];
      const errorsBefore = w.serverErrors.length;
      await runStep(w, step);
      w.t.clock.advance(1000);
      report.log.push({ step, calls: w.calls.filter((c) => c.method !== 'GET'), violations: [] });
      for (const c of report.log[i]!.calls.filter((x) => x.status < 300)) {
        const route = `${c.method} ${c.url.replace(/\/[0-9a-f-]{20,}/g, '/:id').replace(/\/(m\d)(?=\/|$)/g, '/:key')}`;
        report.accepted.set(route, (report.accepted.get(route) ?? 0) + 1);
      }
      const cur = await takeSnapshot(w);
      const found = await checkInvariants(prev, cur, relationsAt);
      if (
        cur.models.some((m) =>
          Object.entries(m.gates).some(([k, g]) => k.endsWith('/production') && g.allowed),
        )
      )
        report.productionOpenSteps++;
      for (const e of w.serverErrors.slice(errorsBefore))
        found.push({
          invariant: 'api.no_server_error',
          message: `${e.method} ${e.url} as ${e.actor} answered ${e.status}: ${e.body}`,
        });
      if (record(i, found)) return report;
      prev = cur;
    }
    const verify = await w.t.call('GET', '/api/v1/audit/verify', undefined, w.readToken);
    const v = verify.json();
    if (verify.statusCode !== 200 || !v.ok)
      record(Math.max(0, steps.length - 1), [
        { invariant: 'audit.chain_verifies', message: `audit verify: ${verify.statusCode} ${verify.body}` },
      ]);
    return report;
  } finally {
    await w.t.close();
  }
}

/** A readable account of a run: every step with its requests, and what broke after which step. */
export function describeRun(report: RunReport, only?: (v: Violation) => boolean): string {
  const lines: string[] = [];
  report.log.forEach((entry, i) => {
    lines.push(`  ${i + 1}. ${entry.step.action} ${JSON.stringify(entry.step.params)}`);
    for (const c of entry.calls) lines.push(`       ${c.method} ${c.url} as ${c.actor} -> ${c.status}`);
    for (const v of entry.violations.filter((x) => !only || only(x)))
      lines.push(`     !! ${v.invariant}: ${v.message}`);
  });
  return lines.join('\n');
}
