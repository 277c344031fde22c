import type { Command } from 'commander';
import { registerCheckpointCommands, registerKeyCommands } from './audit-checkpoint-commands.ts';
import { registerAuditVerifyCommand } from './audit-verify-command.ts';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

/** `assay audit verify` (offline, on the store), `assay audit checkpoint(s)` and `assay audit events` (through the API). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit trail');

  registerAuditVerifyCommand(audit);
  registerCheckpointCommands(audit);
  registerKeyCommands(program);

  const events = audit
    .command('events')
    .description('Page through audit events (through the API)')
    .option('--entity-type <t>')
    .option('--entity-id <id>')
    .option('--model-id <id>')
    .option('--actor <username>')
    .option('--action <action>', 'an action, or a prefix ending in * (model.*)')
    .option('--from <iso>')
    .option('--to <iso>')
    .option('--limit <n>', 'events per page (max 500)', '50')
    .option('--cursor <c>')
    .option('--json', 'print JSON');
  addRemoteOptions(events).action(
    async (
      opts: RemoteOptions & {
        entityType?: string;
        entityId?: string;
        modelId?: string;
        actor?: string;
        action?: string;
        from?: string;
        to?: string;
        limit: string;
        cursor?: string;
        json?: boolean;
      },
    ) => {
      await withClient(opts, async (client) => {
        const page = await client.audit.events({
          entityType: opts.entityType,
          entityId: opts.entityId,
          modelId: opts.modelId,
          actor: opts.actor,
          action: opts.action,
          from: opts.from,
          to: opts.to,
          limit: Number(opts.limit),
          cursor: opts.cursor,
        });
        if (opts.json) return printJson(page);
        printTable(
          page.items.map((e) => ({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: `${e.entityType}:${e.entityId}`,
          })),
          ['seq', 'at', 'actor', 'action', 'entity'],
        );
        if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
      });
    },
  );
}
