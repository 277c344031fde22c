import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CheckState,
  EMPTY_STATE,
  findingCategoryFor,
  fingerprintOf,
  repeatDue,
  silenceActive,
  silenceMatches,
  step,
  type Transition,
} from './alert-rules.ts';

type Sev = 'ok' | 'warning' | 'critical' | 'no_data';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const window = (i: number) => ({
  windowStart: new Date(T0 + i * DAY).toISOString(),
  windowEnd: new Date(T0 + (i + 1) * DAY).toISOString(),
});

function run(severities: Sev[], forWindows: number): { transitions: Transition[]; state: CheckState } {
  let state = EMPTY_STATE;
  const transitions: Transition[] = [];
  severities.forEach((severity, i) => {
    const r = step(state, { severity, forWindows, ...window(i) });
    state = r.state;
    transitions.push(r.transition);
  });
  return { transitions, state };
}

/** The reference: maximal runs of bad windows (no_data neither extends nor breaks a run) of length ≥ forWindows. */
function expectedFirings(severities: Sev[], forWindows: number): number[] {
  const fires: number[] = [];
  let streak = 0;
  severities.forEach((s, i) => {
    if (s === 'no_data') return;
    if (s === 'ok') streak = 0;
    else {
      streak++;
      if (streak === forWindows) fires.push(i);
    }
  });
  return fires;
}

const sevs = fc.array(fc.constantFrom<Sev>('ok', 'warning', 'critical', 'no_data'), { maxLength: 60 });

describe('the alerting state machine', () => {
  it('fires exactly when a run of bad windows reaches forWindows, once per run', () => {
    fc.assert(
      fc.property(sevs, fc.integer({ min: 1, max: 5 }), (s, n) => {
        const { transitions } = run(s, n);
        const fired = transitions.flatMap((t, i) => (t.kind === 'fire' ? [i] : []));
        expect(fired).toEqual(expectedFirings(s, n));
      }),
    );
  });

  it('never fires twice without a resolve in between (no duplicates while firing), and resolves only what fired', () => {
    fc.assert(
      fc.property(sevs, fc.integer({ min: 1, max: 5 }), (s, n) => {
        let firing = false;
        for (const t of run(s, n).transitions) {
          if (t.kind === 'fire') {
            expect(firing).toBe(false);
            firing = true;
          }
          if (t.kind === 'resolve') {
            expect(firing).toBe(true);
            firing = false;
          }
          if (t.kind === 'update') expect(firing).toBe(true);
        }
      }),
    );
  });

  it('an alert starts at the first bad window of its run, with the severity of the window that fired it', () => {
    fc.assert(
      fc.property(sevs, fc.integer({ min: 1, max: 5 }), (s, n) => {
        run(s, n).transitions.forEach((t, i) => {
          if (t.kind !== 'fire') return;
          let first = i;
          for (let j = i - 1; j >= 0; j--) {
            if (s[j] === 'ok') break;
            if (s[j] !== 'no_data') first = j;
          }
          expect(t.startsAt).toBe(window(first).windowStart);
          expect(t.severity).toBe(s[i]);
        });
      }),
    );
  });

  it('ignores a replayed or older window: the state does not move', () => {
    fc.assert(
      fc.property(
        sevs,
        fc.constantFrom<Sev>('ok', 'warning', 'critical', 'no_data'),
        fc.nat(),
        (s, again, k) => {
          fc.pre(s.length > 0);
          const { state } = run(s, 2);
          const old = window(k % s.length);
          const r = step(state, { severity: again, forWindows: 2, ...old });
          expect(r.transition.kind).toBe('ignored_stale');
          expect(r.state).toEqual(state);
        },
      ),
    );
  });

  it('marks an escalation from warning to critical, and a change back without escalation', () => {
    const { transitions } = run(['warning', 'critical', 'warning'], 1);
    expect(transitions).toEqual([
      { kind: 'fire', severity: 'warning', startsAt: window(0).windowStart },
      { kind: 'update', severity: 'critical', escalated: true, changed: true },
      { kind: 'update', severity: 'warning', escalated: false, changed: true },
    ]);
  });

  it('gives one fingerprint per deployment and check, whatever else differs', () => {
    expect(fingerprintOf({ deploymentId: 'd1', check: 'drift:age' })).toBe(
      fingerprintOf({ deploymentId: 'd1', check: 'drift:age' }),
    );
    expect(fingerprintOf({ deploymentId: 'd1', check: 'drift:age' })).not.toBe(
      fingerprintOf({ deploymentId: 'd2', check: 'drift:age' }),
    );
    // The separator keeps ("d1a", "b") and ("d1", "ab") apart.
    expect(fingerprintOf({ deploymentId: 'd1a', check: 'b' })).not.toBe(
      fingerprintOf({ deploymentId: 'd1', check: 'ab' }),
    );
  });
});

describe('repeat notifications', () => {
  it('are due once the repeat interval has passed since the last one (and at once if never sent)', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(repeatDue(null, 3600, now)).toBe(true);
    expect(repeatDue('2026-01-01T11:00:00.000Z', 3600, now)).toBe(true);
    expect(repeatDue('2026-01-01T11:00:00.001Z', 3600, now)).toBe(false);
  });
});

describe('silences', () => {
  const labels = fc.record({
    deploymentId: fc.constantFrom('d1', 'd2'),
    modelKey: fc.constantFrom('m1', 'm2'),
    check: fc.constantFrom('drift:age', 'performance:auc'),
    kind: fc.constantFrom('drift', 'performance'),
    severity: fc.constantFrom<'warning' | 'critical'>('warning', 'critical'),
  });
  const keys = ['deploymentId', 'modelKey', 'check', 'kind', 'severity'] as const;

  it('match an alert exactly when every matcher they set equals its label', () => {
    fc.assert(
      fc.property(labels, labels, fc.subarray([...keys]), (a, b, chosen) => {
        const matchers = Object.fromEntries(chosen.map((k) => [k, b[k]]));
        const want = chosen.every((k) => a[k] === b[k]);
        expect(silenceMatches(matchers, a)).toBe(want);
      }),
    );
  });

  it('are in force from their start until their expiry or until lifted, whichever comes first', () => {
    const s = {
      matchers: {},
      startsAt: '2026-01-02T00:00:00.000Z',
      endsAt: '2026-01-03T00:00:00.000Z',
      endedAt: null,
    };
    expect(silenceActive(s, new Date('2026-01-01T23:59:59Z'))).toBe(false);
    expect(silenceActive(s, new Date('2026-01-02T00:00:00Z'))).toBe(true);
    expect(silenceActive(s, new Date('2026-01-02T23:59:59Z'))).toBe(true);
    expect(silenceActive(s, new Date('2026-01-03T00:00:00Z'))).toBe(false);
    const lifted = { ...s, endedAt: '2026-01-02T06:00:00.000Z' };
    expect(silenceActive(lifted, new Date('2026-01-02T05:59:59Z'))).toBe(true);
    expect(silenceActive(lifted, new Date('2026-01-02T06:00:00Z'))).toBe(false);
  });
});

describe('triage categories', () => {
  it('follow the check kind, falling back within the policy taxonomy', () => {
    expect(findingCategoryFor('drift', ['drift', 'data_quality'])).toBe('drift');
    expect(findingCategoryFor('drift', ['data_quality', 'performance'])).toBe('data_quality');
    expect(findingCategoryFor('estimated_performance', ['performance'])).toBe('performance');
    expect(() => findingCategoryFor('performance', ['security'])).toThrow(/taxonomy/);
  });
});
