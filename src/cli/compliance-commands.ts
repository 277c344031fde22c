import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

type Opts = RemoteOptions & { json?: boolean; version?: string; catalog?: string };

/** `assay compliance …`: catalogs, per-model status and gaps, portfolio, crosswalk, Annex IV, FINOS import. */
export function registerComplianceCommands(program: Command): void {
  const c = program
    .command('compliance')
    .description('Compliance mapping: catalogs, computed status per model, gaps, crosswalk, Annex IV');

  addRemoteOptions(
    c
      .command('catalogs')
      .description('The requirement catalogs with source, version and licence')
      .option('--json'),
  ).action(async (o: Opts) =>
    withClient(o, async (client) => {
      const list = await client.compliance.catalogs();
      if (o.json) printJson(list);
      else
        printTable(list as unknown as Record<string, unknown>[], [
          'id',
          'version',
          'date',
          'requirementCount',
          'licence',
        ]);
    }),
  );

  addRemoteOptions(
    c
      .command('status <model>')
      .description("A version's computed status per catalog (counts; --json for every requirement)")
      .option('--version <label>', 'the version (default: the latest)')
      .option('--catalog <id>', 'one catalog')
      .option('--json'),
  ).action(async (model: string, o: Opts) =>
    withClient(o, async (client) => {
      const s = await client.compliance.status(model, { version: o.version, catalog: o.catalog });
      if (o.json) return printJson(s);
      process.stdout.write(
        `${s.modelKey}@${s.versionLabel} (tier ${s.tier ?? '-'}, EU AI Act ${s.euAiActClass ?? '-'}), policy v${s.policyVersion}\n`,
      );
      printTable(
        s.catalogs.map((x) => ({ catalog: x.catalog, ...x.counts })),
        ['catalog', 'met', 'partly_met', 'not_met', 'not_applicable'],
      );
    }),
  );

  addRemoteOptions(
    c
      .command('gaps <model>')
      .description('Requirements not (fully) met, each with what would close it')
      .option('--version <label>', 'the version (default: the latest)')
      .option('--catalog <id>', 'one catalog')
      .option('--json'),
  ).action(async (model: string, o: Opts) =>
    withClient(o, async (client) => {
      const s = await client.compliance.status(model, { version: o.version, catalog: o.catalog });
      const rows = s.catalogs.flatMap((x) =>
        x.requirements
          .filter((r) => r.state === 'not_met' || r.state === 'partly_met')
          .map((r) => ({
            catalog: x.catalog,
            requirement: r.requirement,
            state: r.state,
            gaps: r.gaps.join(' | '),
          })),
      );
      if (o.json) printJson(rows);
      else printTable(rows, ['catalog', 'requirement', 'state', 'gaps']);
    }),
  );

  addRemoteOptions(
    c
      .command('portfolio')
      .description(
        'Statuses across the portfolio, e.g. --catalog eu-ai-act --requirement euaia-14.1-3 --eu-class high_risk --open',
      )
      .option('--catalog <id>')
      .option('--requirement <id>')
      .option('--tier <n>')
      .option('--eu-class <class>')
      .option('--state <state>')
      .option('--open', 'only not met or partly met')
      .option('--json'),
  ).action(
    async (
      o: Opts & { requirement?: string; tier?: string; euClass?: string; state?: string; open?: boolean },
    ) =>
      withClient(o, async (client) => {
        const q: Record<string, string> = {};
        if (o.catalog) q.catalog = o.catalog;
        if (o.requirement) q.requirement = o.requirement;
        if (o.tier) q.tier = o.tier;
        if (o.euClass) q.euAiActClass = o.euClass;
        if (o.state) q.state = o.state;
        if (o.open) q.open = 'true';
        const a = await client.compliance.portfolio(q);
        if (o.json) return printJson(a);
        printTable(a.rows as unknown as Record<string, unknown>[], [
          'modelKey',
          'versionLabel',
          'tier',
          'euAiActClass',
          'catalog',
          'requirement',
          'state',
        ]);
      }),
  );

  addRemoteOptions(
    c
      .command('crosswalk <requirement>')
      .description('What else evidence for <catalog:requirement> bears on, e.g. nist-ai-rmf:MEASURE-2.11')
      .option('--depth <n>', 'edges to follow (1-3)', '2')
      .option('--json'),
  ).action(async (requirement: string, o: Opts & { depth: string }) =>
    withClient(o, async (client) => {
      const a = await client.compliance.crosswalk(requirement, Number(o.depth));
      if (o.json) return printJson(a);
      process.stdout.write(`${a.requirement.ref}: ${a.requirement.title}\n`);
      printTable(
        a.related.map((r) => ({
          ...r,
          via: r.path.map((e) => e.source).join(' → '),
          title: r.title.slice(0, 80),
        })),
        ['ref', 'relationship', 'confidence', 'title', 'via'],
      );
    }),
  );

  const exp = c.command('export').description('Exports');
  addRemoteOptions(
    exp
      .command('annex-iv <model>')
      .description('EU AI Act Annex IV technical documentation, item by item with sources and gaps')
      .option('--version <label>', 'the version (default: the latest)')
      .option('--format <format>', 'md, html or pdf', 'md')
      .option('-o, --output <file>', 'write to a file (default: stdout)'),
  ).action(async (model: string, o: Opts & { format: 'md' | 'html' | 'pdf'; output?: string }) =>
    withClient(o, async (client) => {
      const bytes = await client.compliance.annexIv(model, o.format, o.version);
      if (o.output) fs.writeFileSync(o.output, bytes);
      else process.stdout.write(bytes);
    }),
  );

  const writeOut = (bytes: Uint8Array, output?: string) => {
    if (output) fs.writeFileSync(output, bytes);
    else process.stdout.write(bytes);
  };
  addRemoteOptions(
    exp
      .command('oscal-catalog <catalog>')
      .description('A catalog as an OSCAL 1.1.3 catalog (JSON)')
      .option('-o, --output <file>', 'write to a file (default: stdout)'),
  ).action(async (id: string, o: Opts & { output?: string }) =>
    withClient(o, async (client) => writeOut(await client.compliance.oscalCatalog(id), o.output)),
  );
  addRemoteOptions(
    exp
      .command('oscal-component')
      .description("The active policy's compliance mapping as an OSCAL 1.1.3 component definition (JSON)")
      .option('-o, --output <file>', 'write to a file (default: stdout)'),
  ).action(async (o: Opts & { output?: string }) =>
    withClient(o, async (client) => writeOut(await client.compliance.oscalComponentDefinition(), o.output)),
  );
  addRemoteOptions(
    exp
      .command('oscal-results <model>')
      .description("A version's computed compliance status as OSCAL 1.1.3 assessment results (JSON)")
      .option('--version <label>', 'the version (default: the latest)')
      .option('--catalog <id>', 'one catalog (default: all)')
      .option('-o, --output <file>', 'write to a file (default: stdout)'),
  ).action(async (model: string, o: Opts & { output?: string }) =>
    withClient(o, async (client) => {
      const q: { version?: string; catalog?: string } = {};
      if (o.version) q.version = o.version;
      if (o.catalog) q.catalog = o.catalog;
      writeOut(await client.compliance.oscalResults(model, q), o.output);
    }),
  );

  c.command('import-finos <docs-dir>')
    .description(
      "Convert a FINOS AI Governance Framework checkout's docs/_risks and docs/_mitigations into crosswalk JSON (CC BY 4.0)",
    )
    .option('-o, --output <file>', 'write the crosswalk JSON here (default: stdout)')
    .action(async (dir: string, o: { output?: string }) => {
      const { CATALOG_FILES, parseCatalog } = await import('../governance/compliance/catalogs.ts');
      const { readFinosDir, importFinos } = await import('../governance/compliance/finos-files.ts');
      const catalogs = Object.entries(CATALOG_FILES).map(([n, d]) => parseCatalog(n, d));
      const { crosswalk, skipped } = importFinos(readFinosDir(path.resolve(dir)), catalogs);
      const text = `${JSON.stringify(crosswalk, null, 2)}\n`;
      if (o.output) fs.writeFileSync(o.output, text);
      else process.stdout.write(text);
      process.stderr.write(`${crosswalk.edges.length} edges; ${skipped.length} references skipped\n`);
      for (const s of skipped) process.stderr.write(`skipped: ${s}\n`);
    });
}
