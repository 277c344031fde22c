import type { Clock } from '../../src/platform/clock.ts';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: string | Date = '2026-01-15T09:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.t += ms;
  }
  /** Moves time forward by whole days. */
  advanceDays(days: number): void {
    this.t += days * 86_400_000;
  }
  set(to: string | Date): void {
    this.t = new Date(to).getTime();
  }
}
