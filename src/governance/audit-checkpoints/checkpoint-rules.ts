/** The chain head now and the latest checkpoint, as the schedule sees them. */
export interface ScheduleState {
  head: { seq: number; hash: string } | null;
  latest: { sequence: number; headHash: string; time: string } | null;
}

/**
 * Whether the schedule makes a checkpoint at `now`: only when there are events, the head moved
 * since the latest checkpoint, and the interval has passed since it. Pure.
 */
export function scheduledCheckpointDue(s: ScheduleState, now: Date, intervalMs: number): boolean {
  if (intervalMs <= 0 || s.head === null) return false;
  if (s.latest === null) return true;
  if (s.latest.sequence === s.head.seq && s.latest.headHash === s.head.hash) return false;
  return now.getTime() - Date.parse(s.latest.time) >= intervalMs;
}
