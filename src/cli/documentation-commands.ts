import fs from 'node:fs';
import type { Command } from 'commander';
import type { Completeness, DocumentExportFormat } from '../contracts/documentation.ts';
import { documentationApi, type RevisionOptions } from '../sdk/documentation.ts';
import {
  exportStandardCard,
  exportStandardDatasheet,
  isStandardCardFormat,
  isStandardDatasheetFormat,
} from './documentation-format-commands.ts';
import { CliError, ExitCode } from './exit.ts';
import { parseModelAtVersion } from './gate-commands.ts';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

type ReadOpts = RemoteOptions & { revision?: string; published?: boolean; json?: boolean };

function revisionOptions(o: ReadOpts): RevisionOptions {
  if (o.revision !== undefined && !/^[1-9]\d*$/.test(o.revision))
    throw new CliError(`--revision must be a positive number, got '${o.revision}'`);
  return { revision: o.revision === undefined ? undefined : Number(o.revision), published: o.published };
}

/** Reads a JSON file: either `{ content: … }` or the content itself. */
function readContent(file: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  return json && typeof json === 'object' && 'content' in json
    ? (json as { content: unknown }).content
    : json;
}

function printCompleteness(c: Completeness, json: boolean | undefined): void {
  if (json) printJson(c);
  else {
    process.stdout.write(
      `${c.passes ? 'PASSES' : 'GAPS'}: score ${c.score}/100 for Tier ${c.tier ?? '1 (untiered)'} (policy v${c.policyVersion}), revision ${c.revision ?? '-'} ${c.status ?? ''}\n`,
    );
    for (const g of c.gaps) process.stdout.write(`  - [${g.code}] ${g.section}: ${g.message}\n`);
  }
  if (!c.passes) process.exitCode = ExitCode.failed;
}

function writeExport(bytes: Uint8Array, out: string | undefined): void {
  if (out) {
    fs.writeFileSync(out, bytes);
    process.stderr.write(`wrote ${out} (${bytes.length} bytes)\n`);
  } else process.stdout.write(bytes);
}

const FORMATS = ['md', 'html', 'pdf', 'json'];

function format(f: string): DocumentExportFormat {
  if (!FORMATS.includes(f)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, got '${f}'`);
  return f as DocumentExportFormat;
}

/** What both command groups do, whatever the document. */
interface DocOps {
  get(o: RevisionOptions): Promise<unknown>;
  save(body: { content: never; publish: boolean; note?: string; baseRevision?: number }): Promise<{
    revision: number;
    status: string;
    sha256: string;
  }>;
  publish(b: { revision?: number }): Promise<{ revision: number }>;
  draft(save: boolean): Promise<{ content: unknown; sources: string[]; saved: { revision: number } | null }>;
  completeness(o: RevisionOptions): Promise<Completeness>;
  revisions(): Promise<Record<string, unknown>[]>;
  export(f: DocumentExportFormat, o: RevisionOptions): Promise<Uint8Array>;
}

/**
 * `assay card show|draft|save|publish|check|export|revisions MODEL@VERSION` and the same for
 * `assay datasheet … DATASET` (a dataset name or id).
 */
export function registerDocumentationCommands(program: Command): void {
  const card = program.command('card').description('Model cards of model versions');
  const sheet = program.command('datasheet').description('Datasheets of inventory datasets');

  // Both groups share their commands; `target` turns the argument into the API's address.
  const groups = [
    { cmd: card, arg: '<model@version>', kind: 'card' as const },
    { cmd: sheet, arg: '<dataset>', kind: 'datasheet' as const },
  ];
  for (const { cmd, arg, kind } of groups) {
    const api = (client: Parameters<Parameters<typeof withClient>[1]>[0], ref: string): DocOps => {
      const docs = documentationApi(client.transport);
      if (kind === 'datasheet') {
        const d = docs.datasheet;
        return {
          get: (o: RevisionOptions) => d.get(ref, o),
          save: (body) => d.save(ref, body),
          publish: (b: { revision?: number }) => d.publish(ref, b),
          draft: (save: boolean) => d.draft(ref, save),
          completeness: (o: RevisionOptions) => d.completeness(ref, o),
          revisions: async () => (await d.revisions(ref)) as unknown as Record<string, unknown>[],
          export: (f: DocumentExportFormat, o: RevisionOptions) => d.export(ref, f, o),
        };
      }
      const { model, version } = parseModelAtVersion(ref);
      const c = docs.card;
      return {
        get: (o: RevisionOptions) => c.get(model, version, o),
        save: (body) => c.save(model, version, body),
        publish: (b: { revision?: number }) => c.publish(model, version, b),
        draft: (save: boolean) => c.draft(model, version, save),
        completeness: (o: RevisionOptions) => c.completeness(model, version, o),
        revisions: async () => (await c.revisions(model, version)) as unknown as Record<string, unknown>[],
        export: (f: DocumentExportFormat, o: RevisionOptions) => c.export(model, version, f, o),
      };
    };

    addRemoteOptions(
      cmd
        .command(`show ${arg}`)
        .description('Print the latest revision as Markdown (or JSON)')
        .option('--revision <n>', 'a given revision')
        .option('--published', 'the latest published revision')
        .option('--json', 'print the stored document as JSON'),
    ).action(async (ref: string, o: ReadOpts) => {
      const sel = revisionOptions(o);
      await withClient(o, async (client) => {
        if (o.json) printJson(await api(client, ref).get(sel));
        else process.stdout.write(Buffer.from(await api(client, ref).export('md', sel)));
      });
    });

    addRemoteOptions(
      cmd
        .command(`draft ${arg}`)
        .description('Generate a draft from what Assay knows; print its content JSON (edit it, then `save`)')
        .option('--save', 'also store it as a new draft revision')
        .option('-o, --output <file>', 'write the content JSON to a file'),
    ).action(async (ref: string, o: RemoteOptions & { save?: boolean; output?: string }) => {
      const draft = await withClient(o, (client) => api(client, ref).draft(Boolean(o.save)));
      const text = `${JSON.stringify({ content: draft.content }, null, 2)}\n`;
      if (o.output) fs.writeFileSync(o.output, text);
      else process.stdout.write(text);
      process.stderr.write(
        `sources: ${draft.sources.join('; ')}${draft.saved ? `\nsaved as revision ${draft.saved.revision} (draft)` : ''}\n`,
      );
    });

    addRemoteOptions(
      cmd
        .command(`save ${arg}`)
        .description('Save a JSON file ({content} or the content itself) as a new revision')
        .requiredOption('-f, --file <file>', 'the JSON file')
        .option('--publish', 'publish it (default: draft)')
        .option('--note <text>', 'a note for the revision')
        .option('--base-revision <n>', 'refuse (409) when the latest revision is not this one'),
    ).action(
      async (
        ref: string,
        o: RemoteOptions & { file: string; publish?: boolean; note?: string; baseRevision?: string },
      ) => {
        const body = {
          content: readContent(o.file) as never,
          publish: Boolean(o.publish),
          ...(o.note ? { note: o.note } : {}),
          ...(o.baseRevision ? { baseRevision: Number(o.baseRevision) } : {}),
        };
        const saved = await withClient(o, (client) => api(client, ref).save(body));
        process.stdout.write(`saved revision ${saved.revision} (${saved.status}) sha256 ${saved.sha256}\n`);
      },
    );

    addRemoteOptions(
      cmd
        .command(`publish ${arg}`)
        .description('Publish the latest (or a given) revision')
        .option('--revision <n>', 'the revision to publish'),
    ).action(async (ref: string, o: ReadOpts) => {
      const { revision } = revisionOptions(o);
      const p = await withClient(o, (client) => api(client, ref).publish(revision ? { revision } : {}));
      process.stdout.write(`published as revision ${p.revision}\n`);
    });

    addRemoteOptions(
      cmd
        .command(`check ${arg}`)
        .description("Completeness against the policy's rules for the tier (exit 1 when there are gaps)")
        .option('--revision <n>', 'a given revision')
        .option('--published', 'the latest published revision (what the checklist counts)')
        .option('--json', 'print the result as JSON'),
    ).action(async (ref: string, o: ReadOpts) => {
      const sel = revisionOptions(o);
      printCompleteness(await withClient(o, (client) => api(client, ref).completeness(sel)), o.json);
    });

    addRemoteOptions(
      cmd
        .command(`export ${arg}`)
        .description('Export as Markdown, self-contained HTML, PDF (server needs Chromium) or JSON')
        .option(
          '--format <format>',
          kind === 'card'
            ? 'md | html | pdf | json | huggingface | cyclonedx | spdx'
            : 'md | html | pdf | json | croissant',
          'md',
        )
        .option('-o, --output <file>', 'write to a file (default: stdout)')
        .option('--revision <n>', 'a given revision')
        .option('--published', 'the latest published revision'),
    ).action(async (ref: string, o: ReadOpts & { format: string; output?: string }) => {
      if (kind === 'card' && isStandardCardFormat(o.format))
        return exportStandardCard(ref, { ...o, format: o.format });
      if (kind === 'datasheet' && isStandardDatasheetFormat(o.format))
        return exportStandardDatasheet(ref, { ...o, format: o.format });
      const f = format(o.format);
      if (f === 'pdf' && !o.output && process.stdout.isTTY)
        throw new CliError('PDF is binary: pass -o file.pdf');
      writeExport(await withClient(o, (client) => api(client, ref).export(f, revisionOptions(o))), o.output);
    });

    addRemoteOptions(
      cmd
        .command(`revisions ${arg}`)
        .description('Every revision, newest first')
        .option('--json', 'print JSON'),
    ).action(async (ref: string, o: RemoteOptions & { json?: boolean }) => {
      const items = await withClient(o, (client) => api(client, ref).revisions());
      if (o.json) printJson({ items });
      else printTable(items, ['revision', 'status', 'createdBy', 'createdAt', 'note', 'sha256']);
    });
  }
}
