import { describe, expect, it } from 'vitest';
import { ENGINES, openTestDb } from '../../../test/support/engines.ts';
import { startTickRunner } from './tick-runner.ts';

describe('tick runner', () => {
  it('ticks in-process on SQLite and stops', async () => {
    let ticks = 0;
    const stop = await startTickRunner({
      databaseUrl: undefined,
      intervalMs: 20,
      tick: async () => {
        ticks++;
      },
    });
    await new Promise((r) => setTimeout(r, 150));
    await stop();
    const seen = ticks;
    expect(seen).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(ticks).toBe(seen);
  });

  it.runIf(ENGINES.includes('postgres'))(
    'on PostgreSQL two runners share pg-boss: ticks run, never two at once',
    async () => {
      const store = await openTestDb('postgres');
      let ticks = 0;
      let active = 0;
      let maxActive = 0;
      const tick = async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        ticks++;
        await new Promise((r) => setTimeout(r, 300));
        active--;
      };
      const errors: unknown[] = [];
      let stopping = false;
      // Connections cut while the runners and the throw-away database shut down are not tick errors.
      const onError = (e: unknown) => {
        if (!stopping) errors.push(e);
      };
      const options = { databaseUrl: store.url, intervalMs: 1000, tick, onError };
      const stops = [await startTickRunner(options), await startTickRunner(options)];
      try {
        const deadline = Date.now() + 15_000;
        while (ticks < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      } finally {
        stopping = true;
        for (const stop of stops) await stop();
        await store.dispose();
      }
      expect(errors.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual([]);
      expect(ticks).toBeGreaterThanOrEqual(2);
      expect(maxActive).toBe(1);
    },
    60_000,
  );
});
