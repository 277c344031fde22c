import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { TransferFormat, TransferKind } from '../sdk/transfer.ts';
import { CliError } from './exit.ts';
import { addRemoteOptions, printJson, type RemoteOptions, withClient } from './remote.ts';

const KINDS: readonly TransferKind[] = ['models', 'versions', 'datasets'];
const FORMATS: readonly TransferFormat[] = ['csv', 'json'];

function kindOf(value: string | undefined): TransferKind {
  if (!value || !(KINDS as readonly string[]).includes(value))
    throw new CliError(`--kind must be one of ${KINDS.join(', ')}${value ? `, got '${value}'` : ''}`);
  return value as TransferKind;
}

function formatOf(value: string | undefined, file?: string): TransferFormat {
  const guess = value ?? (file ? path.extname(file).slice(1).toLowerCase() : 'csv');
  if (!(FORMATS as readonly string[]).includes(guess))
    throw new CliError(
      `--format must be csv or json${value ? `, got '${value}'` : ` (cannot tell from '${file}')`}`,
    );
  return guess as TransferFormat;
}

/** `assay import <file>` and `assay export`. */
export function registerTransferCommands(program: Command): void {
  addRemoteOptions(
    program
      .command('import <file>')
      .description('Bulk import models, versions or datasets from CSV or JSON (all rows or none)')
      .requiredOption('--kind <kind>', KINDS.join(' | '))
      .option('--format <format>', 'csv | json (default: from the file extension)')
      .option('--json', 'print the server answer as JSON'),
  ).action(async (file: string, opts: RemoteOptions & { kind: string; format?: string; json?: boolean }) => {
    const kind = kindOf(opts.kind);
    const format = formatOf(opts.format, file);
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    await withClient(opts, async (client) => {
      const result = await client.transfer.import(kind, format, content);
      if (opts.json) return printJson(result);
      process.stdout.write(
        `imported ${result.rows} ${kind} rows from ${file}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged\n`,
      );
    });
  });

  addRemoteOptions(
    program
      .command('export')
      .description('Bulk export models, versions or datasets as CSV or JSON')
      // Not a required option: commander would demand it of the `export audit-package` subcommand too.
      .option('--kind <kind>', `${KINDS.join(' | ')} (required)`)
      .option('--format <format>', 'csv | json', 'csv')
      .option('--out <file>', 'write to a file instead of stdout'),
  ).action(async (opts: RemoteOptions & { kind?: string; format: string; out?: string }) => {
    const kind = kindOf(opts.kind);
    const format = formatOf(opts.format);
    await withClient(opts, async (client) => {
      const text = await client.transfer.export(kind, format);
      if (opts.out) {
        fs.writeFileSync(opts.out, text);
        process.stderr.write(`wrote ${kind} to ${opts.out}\n`);
      } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
  });
}
