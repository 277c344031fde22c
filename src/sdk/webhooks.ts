import { z } from 'zod';
import {
  schedulerTickSchema,
  type webhookCreateSchema,
  webhookDeliverySchema,
  webhookSchema,
} from '../contracts/webhooks.ts';
import { seg, type Transport } from './client.ts';

/** A webhook to register (`allowPrivate` defaults to false). */
export type WebhookCreateInput = z.input<typeof webhookCreateSchema>;

const webhookList = z.object({ items: z.array(webhookSchema) });
const deliveryList = z.object({ items: z.array(webhookDeliverySchema) });

/** Signed outbound webhooks (admin). */
export function webhooksApi(t: Transport) {
  return {
    /** Registers a webhook; `secret` signs every delivery (HMAC-SHA256). */
    create: (input: WebhookCreateInput) =>
      t.call('POST', '/api/v1/webhooks', { json: input, schema: webhookSchema }),
    list: async () => (await t.call('GET', '/api/v1/webhooks', { schema: webhookList })).items,
    /** Stops sending to a webhook (it stays listed, inactive). */
    deactivate: (id: string) =>
      t.call('POST', `/api/v1/webhooks/${seg(id)}/deactivate`, { schema: webhookSchema }),
    /** The delivery log of a webhook. */
    deliveries: async (id: string) =>
      (await t.call('GET', `/api/v1/webhooks/${seg(id)}/deliveries`, { schema: deliveryList })).items,
  };
}

/** The scheduler (admin): runs the due jobs now (reminders, expiries, webhook deliveries). */
export function schedulerApi(t: Transport) {
  return {
    run: () => t.call('POST', '/api/v1/scheduler/run', { schema: schedulerTickSchema }),
  };
}
