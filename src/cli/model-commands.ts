import type { Command } from 'commander';
import type { ModelCreate, ModelUpdate } from '../contracts/inventory.ts';
import type { ModelFilters, modelsApi } from '../sdk/inventory.ts';
import { collectFields, collectSet, intOption } from './field-input.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withApi,
} from './remote.ts';

/** Runs `fn` with the SDK's models module alone, loaded when the command runs. */
const withModels = <T>(
  opts: RemoteOptions,
  fn: (api: ReturnType<typeof modelsApi>) => Promise<T>,
): Promise<T> => withApi(opts, async () => (await import('../sdk/inventory.ts')).modelsApi, fn);

const MODEL_COLUMNS = ['key', 'name', 'type', 'status', 'tier', 'owner', 'businessUnit'];

interface ListOptions extends RemoteOptions {
  status?: string;
  tier?: string;
  euAiActClass?: string;
  owner?: string;
  type?: string;
  tag?: string;
  businessUnit?: string;
  vendor?: boolean;
  genai?: boolean;
  q?: string;
  sort?: string;
  order?: string;
  limit: string;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

/** `assay models list|show|register|update|retire`. */
export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('The model inventory');

  addRemoteOptions(
    models
      .command('list')
      .description('List models (filters combine)')
      .option('--status <status>')
      .option('--tier <n>')
      .option('--eu-ai-act-class <class>', 'prohibited | high_risk | limited_risk | minimal')
      .option('--owner <username>')
      .option('--type <type>')
      .option('--tag <tag>')
      .option('--business-unit <name>')
      .option('--vendor', 'only vendor / third-party models')
      .option('--genai', 'only GenAI models')
      .option('--q <text>', 'search key, name and description')
      .option('--sort <field>', 'name | key | updatedAt | createdAt | status | tier')
      .option('--order <order>', 'asc | desc')
      .option('--limit <n>', 'models per page (max 500)', '50')
      .option('--cursor <cursor>', 'continue from a previous page')
      .option('--all', 'fetch every page')
      .option('--json', 'print JSON'),
  ).action(async (opts: ListOptions) => {
    const q: ModelFilters = {
      status: opts.status as ModelFilters['status'],
      tier: intOption(opts.tier, '--tier'),
      euAiActClass: opts.euAiActClass as ModelFilters['euAiActClass'],
      owner: opts.owner,
      type: opts.type as ModelFilters['type'],
      tag: opts.tag,
      businessUnit: opts.businessUnit,
      vendor: opts.vendor ? true : undefined,
      genai: opts.genai ? true : undefined,
      q: opts.q,
      sort: opts.sort as ModelFilters['sort'],
      order: opts.order as ModelFilters['order'],
      limit: intOption(opts.limit, '--limit'),
      cursor: opts.cursor,
    };
    await withModels(opts, async (api) => {
      let page = await api.list(q);
      const items = [...page.items];
      while (opts.all && page.nextCursor) {
        page = await api.list({ ...q, cursor: page.nextCursor });
        items.push(...page.items);
      }
      if (opts.json) return printJson(opts.all ? items : page);
      printTable(items, MODEL_COLUMNS);
      if (!opts.all && page.nextCursor)
        process.stdout.write(`more: --cursor ${page.nextCursor} (or --all)\n`);
    });
  });

  addRemoteOptions(
    models
      .command('show <key>')
      .description('Show one model (with --as-of: as it was at that time)')
      .option('--as-of <iso>', 'a past time, ISO-8601')
      .option('--json', 'print JSON'),
  ).action(async (key: string, opts: RemoteOptions & { asOf?: string; json?: boolean }) => {
    await withModels(opts, async (api) => {
      const m = opts.asOf ? await api.asOf(key, opts.asOf) : await api.get(key);
      if (opts.json) return printJson(m);
      if ('asOf' in m) {
        process.stdout.write(`as of ${m.asOf}\n`);
        printRecord(m.model);
        process.stdout.write('\ndeployments then:\n');
        printTable(m.deployments, ['version', 'environment', 'endpoint', 'startedAt', 'endedAt']);
        return;
      }
      const { completeness, ...rest } = m;
      printRecord({
        ...rest,
        completeness: `${Math.round(completeness.score * 100)}%${completeness.missing.length ? ` (missing: ${completeness.missing.join(', ')})` : ''}`,
      });
    });
  });

  addRemoteOptions(
    models
      .command('register')
      .description('Register a model (fields from --file, --set and the flags)')
      .option('--key <key>', 'slug, e.g. retail-credit-pd')
      .option('--name <name>')
      .option(
        '--type <type>',
        'classification, regression, ranking, forecasting, clustering, llm_application, agent, rules_euc, other',
      )
      .option('--owner <username>')
      .option('--file <model.json>', 'a JSON object with the fields')
      .option('--set <field=value>', 'set one field (repeatable; JSON values allowed)', collectSet)
      .option('--json', 'print JSON'),
  ).action(
    async (
      opts: RemoteOptions & {
        key?: string;
        name?: string;
        type?: string;
        owner?: string;
        file?: string;
        set?: string[];
        json?: boolean;
      },
    ) => {
      const body = collectFields(opts, {
        key: opts.key,
        name: opts.name,
        type: opts.type,
        owner: opts.owner,
      });
      await withModels(opts, async (api) => {
        const m = await api.register(body as ModelCreate);
        if (opts.json) return printJson(m);
        process.stdout.write(`registered model ${m.key} (${m.status})\n`);
      });
    },
  );

  addRemoteOptions(
    models
      .command('update <key>')
      .description('Change fields of a model')
      .option('--file <patch.json>', 'a JSON object with the fields to change')
      .option('--set <field=value>', 'set one field (repeatable; JSON values allowed)', collectSet)
      .option('--if-match <rowVersion>', 'refuse (409) if the model changed since this row version')
      .option('--json', 'print JSON'),
  ).action(
    async (
      key: string,
      opts: RemoteOptions & { file?: string; set?: string[]; ifMatch?: string; json?: boolean },
    ) => {
      const body = collectFields(opts);
      await withModels(opts, async (api) => {
        const m = await api.update(key, body as ModelUpdate, intOption(opts.ifMatch, '--if-match'));
        if (opts.json) return printJson(m);
        process.stdout.write(`updated model ${m.key} (row version ${m.rowVersion})\n`);
      });
    },
  );

  addRemoteOptions(
    models
      .command('retire <key>')
      .description('Retire a model (nothing is deleted)')
      .option('--reason <text>')
      .option('--json', 'print JSON'),
  ).action(async (key: string, opts: RemoteOptions & { reason?: string; json?: boolean }) => {
    await withModels(opts, async (api) => {
      const m = await api.retire(key, opts.reason);
      if (opts.json) return printJson(m);
      process.stdout.write(`retired model ${m.key}\n`);
    });
  });
}
