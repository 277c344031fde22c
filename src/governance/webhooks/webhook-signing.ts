import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature header value for a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Verifies a signature header (what a receiver does); constant-time comparison. */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = Buffer.from(signPayload(secret, Number(m[1]), body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(m[2]!, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Delay before retry `attempt` (1-based): 30 s doubling, capped at 1 h. Pure. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

/** Deliveries give up after this many attempts. */
export const MAX_DELIVERY_ATTEMPTS = 6;
