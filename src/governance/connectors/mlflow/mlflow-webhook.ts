import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far an MLflow webhook's timestamp may be from the server's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Checks MLflow's webhook signature: `X-MLflow-Signature: v1,<base64 HMAC-SHA256>` over
 * `"{delivery_id}.{timestamp}.{payload}"` with the shared secret, `X-MLflow-Timestamp` in Unix
 * seconds within the tolerance. Returns the reason it is refused, or null when it verifies.
 */
export function verifyMlflowSignature(input: {
  secret: string;
  deliveryId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  payload: string;
  now: Date;
}): string | null {
  const { deliveryId, timestamp, signature } = input;
  if (!deliveryId || !timestamp || !signature)
    return 'X-MLflow-Delivery-Id, X-MLflow-Timestamp and X-MLflow-Signature are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-MLflow-Timestamp must be Unix seconds';
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > WEBHOOK_TOLERANCE_SECONDS)
    return `the webhook timestamp is ${Math.round(skew)} s from the server's clock`;
  if (!signature.startsWith('v1,')) return 'X-MLflow-Signature must start with v1,';
  const expected = createHmac('sha256', input.secret)
    .update(`${deliveryId}.${timestamp}.${input.payload}`)
    .digest();
  const given = Buffer.from(signature.slice(3), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'the webhook signature does not verify';
  return null;
}

/** Signs like MLflow does (for tests and for a trigger from another system). */
export function signMlflowWebhook(
  secret: string,
  deliveryId: string,
  timestamp: string,
  payload: string,
): string {
  return `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${payload}`).digest('base64')}`;
}
