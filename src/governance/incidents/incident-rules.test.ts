import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ART73_DEADLINES,
  canMove,
  type IncidentState,
  mean,
  minutesBetween,
  reportingDueAt,
  stampsFor,
} from './incident-rules.ts';

describe('EU AI Act Art. 73 reporting deadlines', () => {
  it('are 15 days in general, 2 for widespread infringement or critical infrastructure, 10 for a death, from awareness', () => {
    const aware = '2026-05-01T10:00:00.000Z';
    expect(reportingDueAt('general', aware)).toBe('2026-05-16T10:00:00.000Z');
    expect(reportingDueAt('widespread_infringement', aware)).toBe('2026-05-03T10:00:00.000Z');
    expect(reportingDueAt('critical_infrastructure', aware)).toBe('2026-05-03T10:00:00.000Z');
    expect(reportingDueAt('death', aware)).toBe('2026-05-11T10:00:00.000Z');
    expect(ART73_DEADLINES.general.rule).toBe('EU AI Act Art. 73(2)');
    expect(ART73_DEADLINES.death.rule).toBe('EU AI Act Art. 73(4)');
    expect(ART73_DEADLINES.widespread_infringement.rule).toBe('EU AI Act Art. 73(3)');
  });
});

describe('incident steps', () => {
  const states: IncidentState[] = ['open', 'acknowledged', 'mitigated', 'resolved'];
  it('move forwards only', () => {
    for (const [i, from] of states.entries())
      for (const [j, to] of states.entries()) expect(canMove(from, to), `${from}→${to}`).toBe(j > i);
  });

  it('stamp skipped steps with the same time and never overwrite an earlier stamp', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'acknowledged' | 'mitigated' | 'resolved'>('acknowledged', 'mitigated', 'resolved'),
        fc.option(fc.constant('2026-01-01T00:00:00.000Z'), { nil: null }),
        (to, ack) => {
          const at = '2026-01-02T00:00:00.000Z';
          const s = stampsFor({ acknowledgedAt: ack, mitigatedAt: null, resolvedAt: null }, to, at);
          expect(s.acknowledgedAt).toBe(ack ?? at);
          expect(s.mitigatedAt).toBe(to === 'acknowledged' ? null : at);
          expect(s.resolvedAt).toBe(to === 'resolved' ? at : null);
        },
      ),
    );
  });

  it('durations are computed in minutes, and means skip what is missing', () => {
    expect(minutesBetween('2026-01-01T00:00:00Z', '2026-01-01T01:30:00Z')).toBe(90);
    expect(minutesBetween('2026-01-01T00:00:00Z', null)).toBeNull();
    expect(mean([10, null, 20])).toBe(15);
    expect(mean([null])).toBeNull();
  });
});
