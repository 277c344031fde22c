import type { Command } from 'commander';
import type { DatasetCreate, VersionCreate } from '../contracts/inventory.ts';
import { collectFields, collectSet } from './field-input.ts';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

type FieldOptions = RemoteOptions & { file?: string; set?: string[]; json?: boolean };

/** `assay versions add|freeze|list`, `assay datasets add|list`, `assay deployments add|list`. */
export function registerLineageCommands(program: Command): void {
  const versions = program.command('versions').description("A model's versions");
  addRemoteOptions(
    versions
      .command('add <model>')
      .description('Add a version to a model')
      .option('--label <label>', 'e.g. 1.4.0')
      .option('--file <version.json>', 'a JSON object with the fields')
      .option('--set <field=value>', 'set one field (repeatable; JSON values allowed)', collectSet)
      .option('--json', 'print JSON'),
  ).action(async (model: string, opts: FieldOptions & { label?: string }) => {
    const body = collectFields(opts, { label: opts.label });
    await withClient(opts, async (client) => {
      const v = await client.versions.add(model, body as VersionCreate);
      if (opts.json) return printJson(v);
      process.stdout.write(`added version ${v.label} to ${v.modelKey}\n`);
    });
  });
  addRemoteOptions(
    versions
      .command('freeze <model> <label>')
      .description('Freeze a version: it refuses edits')
      .option('--json'),
  ).action(async (model: string, label: string, opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const v = await client.versions.freeze(model, label);
      if (opts.json) return printJson(v);
      process.stdout.write(`froze version ${v.label} of ${v.modelKey} at ${v.frozenAt}\n`);
    });
  });
  addRemoteOptions(
    versions.command('list <model>').description("List a model's versions").option('--json'),
  ).action(async (model: string, opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const page = await client.versions.list(model);
      if (opts.json) return printJson(page.items);
      printTable(page.items, ['label', 'status', 'frozen', 'materialChange', 'createdBy', 'createdAt']);
    });
  });

  const datasets = program.command('datasets').description('Datasets and their lineage');
  addRemoteOptions(
    datasets
      .command('add')
      .description('Register a dataset')
      .option('--name <name>')
      .option('--role <role>', 'training, validation, test, monitoring, reference')
      .option('--location <uri>')
      .option('--file <dataset.json>', 'a JSON object with the fields')
      .option('--set <field=value>', 'set one field (repeatable; JSON values allowed)', collectSet)
      .option('--json', 'print JSON'),
  ).action(async (opts: FieldOptions & { name?: string; role?: string; location?: string }) => {
    const body = collectFields(opts, { name: opts.name, role: opts.role, locationUri: opts.location });
    await withClient(opts, async (client) => {
      const d = await client.datasets.add(body as DatasetCreate);
      if (opts.json) return printJson(d);
      process.stdout.write(`added dataset ${d.name} (${d.role}), id ${d.id}\n`);
    });
  });
  addRemoteOptions(
    datasets
      .command('list')
      .description('List datasets')
      .option('--role <role>')
      .option('--q <text>')
      .option('--json'),
  ).action(async (opts: RemoteOptions & { role?: string; q?: string; json?: boolean }) => {
    await withClient(opts, async (client) => {
      const page = await client.datasets.list({ limit: 500, role: opts.role, q: opts.q });
      if (opts.json) return printJson(page.items);
      printTable(page.items, ['id', 'name', 'role', 'rowCount', 'containsPii', 'status']);
    });
  });

  const deployments = program.command('deployments').description('Where versions run');
  addRemoteOptions(
    deployments
      .command('add <model> <label>')
      .description('Record that a version runs in an environment')
      .requiredOption('--environment <env>', 'dev, staging, production or a custom slug')
      .option('--endpoint <url>')
      .option('--started-at <iso>')
      .option('--json', 'print JSON'),
  ).action(
    async (
      model: string,
      label: string,
      opts: RemoteOptions & { environment: string; endpoint?: string; startedAt?: string; json?: boolean },
    ) => {
      await withClient(opts, async (client) => {
        const d = await client.deployments.add(model, {
          version: label,
          environment: opts.environment,
          endpoint: opts.endpoint,
          startedAt: opts.startedAt,
        });
        if (opts.json) return printJson(d);
        process.stdout.write(`deployed ${d.modelKey} ${d.version} to ${d.environment} (id ${d.id})\n`);
      });
    },
  );
  addRemoteOptions(
    deployments.command('list <model>').description("A model's deployments").option('--json'),
  ).action(async (model: string, opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const page = await client.deployments.list(model);
      if (opts.json) return printJson(page.items);
      printTable(page.items, ['version', 'environment', 'endpoint', 'startedAt', 'endedAt']);
    });
  });
}
