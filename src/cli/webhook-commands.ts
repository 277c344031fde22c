import type { Command } from 'commander';
import { CliError } from './exit.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withClient,
} from './remote.ts';

type Opts = RemoteOptions & { json?: boolean };

const WEBHOOK_COLUMNS = ['id', 'url', 'events', 'active', 'allowPrivate', 'createdBy', 'createdAt'];
const DELIVERY_COLUMNS = ['id', 'event', 'status', 'attempts', 'lastStatusCode', 'lastError', 'createdAt'];

interface CreateOptions extends Opts {
  url?: string;
  target: string;
  event: string[];
  secret?: string;
  allowPrivate?: boolean;
}

/** Prints nested numbers as `a.b.c  value` lines; lists as their length. */
function printFlat(value: Record<string, unknown>): void {
  const lines: Record<string, unknown> = {};
  const walk = (v: unknown, prefix: string): void => {
    if (Array.isArray(v)) lines[prefix] = `${v.length} (--json lists them)`;
    else if (v !== null && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) walk(child, prefix ? `${prefix}.${k}` : k);
    else lines[prefix] = v;
  };
  walk(value, '');
  printRecord(lines);
}

/** `assay webhooks list|create|deactivate|deliveries` (admin) and `assay metrics`. */
export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('Signed outbound webhooks (admins): register, list, deactivate, deliveries');

  addRemoteOptions(webhooks.command('list').description('Every registered webhook').option('--json')).action(
    async (o: Opts) => {
      const items = await withClient(o, (c) => c.webhooks.list());
      if (o.json) printJson({ items });
      else printTable(items, WEBHOOK_COLUMNS);
    },
  );

  addRemoteOptions(
    webhooks
      .command('create <target>')
      .description(
        'Register a webhook: POSTs to <target>, each delivery signed with the secret (HMAC-SHA256)',
      )
      .requiredOption(
        '--event <event>',
        'an event to send (repeatable)',
        (v: string, acc: string[]) => [...acc, v],
        [],
      )
      .option('--secret <secret>', 'signing secret, 16 characters or more (default ASSAY_WEBHOOK_SECRET)')
      .option('--allow-private', 'allow a private, loopback or link-local target')
      .option('--json'),
  ).action(async (target: string, o: CreateOptions) => {
    const secret = o.secret ?? process.env.ASSAY_WEBHOOK_SECRET;
    if (!secret)
      throw new CliError('a webhook needs a signing secret: pass --secret or set ASSAY_WEBHOOK_SECRET');
    if (o.event.length === 0) throw new CliError('a webhook needs at least one --event');
    const hook = await withClient(o, (c) =>
      c.webhooks.create({
        url: target,
        // the server checks the names against the events it sends
        events: o.event as Parameters<typeof c.webhooks.create>[0]['events'],
        secret,
        allowPrivate: Boolean(o.allowPrivate),
      }),
    );
    if (o.json) printJson(hook);
    else printRecord(Object.fromEntries(WEBHOOK_COLUMNS.map((k) => [k, hook[k as keyof typeof hook]])));
  });

  addRemoteOptions(
    webhooks
      .command('deactivate <id>')
      .description('Stop sending to a webhook (it stays listed, inactive)')
      .option('--json'),
  ).action(async (id: string, o: Opts) => {
    const hook = await withClient(o, (c) => c.webhooks.deactivate(id));
    if (o.json) printJson(hook);
    else process.stdout.write(`webhook ${hook.id} (${hook.url}) is inactive\n`);
  });

  addRemoteOptions(
    webhooks.command('deliveries <id>').description('The delivery log of a webhook').option('--json'),
  ).action(async (id: string, o: Opts) => {
    const items = await withClient(o, (c) => c.webhooks.deliveries(id));
    if (o.json) printJson({ items });
    else printTable(items, DELIVERY_COLUMNS);
  });

  addRemoteOptions(
    program
      .command('metrics')
      .description('Portfolio metrics: inventory, tiering, reviews, findings, SLAs, acceptances')
      .option('--csv', 'print the CSV export')
      .option('--json', 'print JSON'),
  ).action(async (o: Opts & { csv?: boolean }) => {
    if (o.csv) {
      process.stdout.write(await withClient(o, (c) => c.metrics.csv()));
      return;
    }
    const metrics = await withClient(o, (c) => c.metrics.get());
    if (o.json) printJson(metrics);
    else printFlat(metrics);
  });
}
