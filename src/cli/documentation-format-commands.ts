import fs from 'node:fs';
import type { Command } from 'commander';
import {
  type CardImportFormat,
  type CardStandardExportFormat,
  cardImportFormatSchema,
  cardStandardExportFormatSchema,
  type DatasheetStandardExportFormat,
  datasheetStandardExportFormatSchema,
} from '../contracts/documentation-formats.ts';
import { documentationApi } from '../sdk/documentation.ts';
import { CliError } from './exit.ts';
import { parseModelAtVersion } from './gate-commands.ts';
import { addRemoteOptions, printJson, type RemoteOptions, withClient } from './remote.ts';

/** Whether `assay card export --format F` is one of the standard formats (handled here). */
export function isStandardCardFormat(f: string): f is CardStandardExportFormat {
  return cardStandardExportFormatSchema.safeParse(f).success;
}

/** Whether `assay datasheet export --format F` is a standard format (croissant). */
export function isStandardDatasheetFormat(f: string): f is DatasheetStandardExportFormat {
  return datasheetStandardExportFormatSchema.safeParse(f).success;
}

type StandardExportOptions = RemoteOptions & { output?: string; revision?: string; published?: boolean };

function selectorOf(o: StandardExportOptions) {
  if (o.revision !== undefined && !/^[1-9]\d*$/.test(o.revision))
    throw new CliError(`--revision must be a positive number, got '${o.revision}'`);
  return { revision: o.revision === undefined ? undefined : Number(o.revision), published: o.published };
}

/** `assay card export MODEL@VERSION --format huggingface|cyclonedx|spdx [-o file]`. */
export async function exportStandardCard(
  ref: string,
  o: StandardExportOptions & { format: CardStandardExportFormat },
): Promise<void> {
  const { model, version } = parseModelAtVersion(ref);
  const sel = selectorOf(o);
  const bytes = await withClient(o, (client) =>
    documentationApi(client.transport).card.exportStandard(model, version, o.format, sel),
  );
  writeBytes(bytes, o.output);
}

/** `assay datasheet export DATASET --format croissant [-o file]`. */
export async function exportStandardDatasheet(
  dataset: string,
  o: StandardExportOptions & { format: DatasheetStandardExportFormat },
): Promise<void> {
  const sel = selectorOf(o);
  const bytes = await withClient(o, (client) =>
    documentationApi(client.transport).datasheet.exportStandard(dataset, o.format, sel),
  );
  writeBytes(bytes, o.output);
}

function writeBytes(bytes: Buffer | Uint8Array, output: string | undefined): void {
  if (output) {
    fs.writeFileSync(output, bytes);
    process.stderr.write(`wrote ${output} (${bytes.length} bytes)\n`);
  } else process.stdout.write(bytes);
}

/** Adds `assay card import` to the `card` command group. */
export function registerDocumentationFormatCommands(program: Command): void {
  const card = program.commands.find((c) => c.name() === 'card');
  if (!card) throw new Error('the `card` command group must be registered before its formats');

  addRemoteOptions(
    card
      .command('import <model@version>')
      .description('Import a Hugging Face README.md or Google Model Card Toolkit JSON as a new card revision')
      .requiredOption('--format <format>', 'huggingface | model-card-toolkit')
      .requiredOption('-f, --file <file>', 'the README.md or model_card.json')
      .option('--publish', 'publish it (default: draft)')
      .option('--note <text>', 'a note for the revision')
      .option('--base-revision <n>', 'refuse (409) when the latest revision is not this one')
      .option('--dry-run', 'only convert: print the card content JSON (edit it, then `assay card save`)'),
  ).action(
    async (
      ref: string,
      o: RemoteOptions & {
        format: string;
        file: string;
        publish?: boolean;
        note?: string;
        baseRevision?: string;
        dryRun?: boolean;
      },
    ) => {
      const format = cardImportFormatSchema.safeParse(o.format);
      if (!format.success)
        throw new CliError(`--format must be huggingface or model-card-toolkit, got '${o.format}'`);
      if (o.baseRevision !== undefined && !/^\d+$/.test(o.baseRevision))
        throw new CliError(`--base-revision must be a number, got '${o.baseRevision}'`);
      const { model, version } = parseModelAtVersion(ref);
      let document: string;
      try {
        document = fs.readFileSync(o.file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${o.file}: ${(err as Error).message}`);
      }
      const result = await withClient(o, (client) =>
        documentationApi(client.transport).card.import(model, version, {
          format: format.data as CardImportFormat,
          document,
          save: !o.dryRun,
          publish: Boolean(o.publish),
          ...(o.note ? { note: o.note } : {}),
          ...(o.baseRevision !== undefined ? { baseRevision: Number(o.baseRevision) } : {}),
        }),
      );
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      if (!result.saved) printJson({ content: result.content });
      else
        process.stdout.write(
          `saved revision ${result.saved.revision} (${result.saved.status}) sha256 ${result.saved.sha256}\n`,
        );
    },
  );
}
