import { type GateResult, gateResultSchema } from '../contracts/gate.ts';
import type { Transport } from './client.ts';

/** The deployment gate. */
export function gateApi(t: Transport) {
  return {
    /** Whether `model@version` may deploy to `env` now: `{ allowed, reasons }`. */
    check: (model: string, version: string, env = 'production'): Promise<GateResult> =>
      t.call('GET', '/api/v1/gate', { query: { model, version, env }, schema: gateResultSchema }),
  };
}
