import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import type { verifyPackage } from '../governance/audit-package/verify-package.ts';
import { parseTrustedKeys } from '../platform/signing/trusted-keys.ts';
import { CliError, ExitCode } from './exit.ts';
import { addRemoteOptions, printJson, type RemoteOptions, withClient } from './remote.ts';

function isoOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new CliError(`${flag} must be an ISO-8601 time such as 2026-03-01T00:00:00Z, got '${value}'`);
  return value;
}

/** `assay export audit-package MODEL -o file.zip` and `assay verify-package file.zip`. */
export function registerAuditPackageCommands(program: Command): void {
  // `export` is the bulk inventory export; the package is a subcommand of it.
  const exportCmd =
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('Export data from Assay');
  addRemoteOptions(
    exportCmd
      .command('audit-package <model>')
      .description('Download the signed audit package of a model (a zip; check it with assay verify-package)')
      .requiredOption('-o, --out <file>', 'where to write the zip')
      .option('--version <label>', "only this version's records, evidence and documents")
      .option('--as-of <time>', 'the state as it was at this ISO-8601 time'),
  ).action(async (model: string, opts: RemoteOptions & { out: string; version?: string; asOf?: string }) => {
    const asOf = isoOption(opts.asOf, '--as-of');
    await withClient(opts, async (client) => {
      const { body } = await client.auditPackages.download(model, { version: opts.version, asOf });
      // Written beside the target and renamed when complete: a failed download leaves no zip.
      const tmp = `${opts.out}.part`;
      try {
        await pipeline(
          Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
          fs.createWriteStream(tmp, { mode: 0o600 }),
        );
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw new CliError(
          `the download of the audit package failed: ${(err as Error).message}`,
          ExitCode.unavailable,
        );
      }
      fs.renameSync(tmp, opts.out);
      process.stderr.write(`wrote ${opts.out} (${fs.statSync(opts.out).size} bytes)\n`);
    });
  });

  addRemoteOptions(
    program
      .command('verify-package <file>')
      .description(
        'Check an audit package offline: signature, every file against the manifest, files not listed, the audit-event chain, the checkpoints it carries; with trusted keys also its origin',
      )
      .option('--key <pem>', "trust only this public key (PEM file), not the package's own")
      .option('--trusted-keys <file>', 'trusted public keys: the JSON of GET /api/v1/keys, or PEM blocks')
      .option(
        '--trust-server <url>',
        'trust the keys a server lists at /api/v1/keys (token: --token or ASSAY_TOKEN)',
      )
      .option('--json', 'print the result as JSON'),
  ).action(
    async (
      file: string,
      opts: RemoteOptions & { key?: string; trustedKeys?: string; trustServer?: string; json?: boolean },
    ) => {
      if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
      const trust = await trustedKeysFrom(opts);
      const started = performance.now();
      let result: Awaited<ReturnType<typeof verifyPackage>>;
      const { PackageInputError, verifyPackage } = await import(
        '../governance/audit-package/verify-package.ts'
      );
      try {
        result = await verifyPackage(file, { trustedKeys: trust?.keys });
      } catch (err) {
        if (err instanceof PackageInputError) throw new CliError(err.message, ExitCode.badInput);
        throw new CliError(`cannot verify ${file}: ${(err as Error).message}`, ExitCode.badInput);
      }
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) printJson({ ...result, manifest: undefined, seconds });
      else {
        const m = result.manifest;
        const what = m
          ? `${m.model.key}${m.version ? `@${m.version}` : ''}${m.asOf ? ` as of ${m.asOf}` : ''}, built ${m.createdAt} by ${m.createdBy}`
          : 'unknown package';
        const mb = result.bytes / 1e6;
        process.stdout.write(
          `${what}\n${result.files} files, ${mb.toFixed(1)} MB, ${result.events} audit events, ${result.checkpoints} chain checkpoints, ${result.standard} standard exports (SPDX, Croissant); signed by ${result.keyId ?? 'unknown key'}${trust ? ` (trusted keys from ${trust.from})` : ''}\n`,
        );
        for (const p of result.problems) process.stdout.write(`MISMATCH ${p.file}: ${p.problem}\n`);
        if (!result.ok) process.stdout.write(`FAILED: ${result.problems.length} problem(s)\n`);
        else if (result.origin === 'trusted')
          process.stdout.write(
            `ok: signed by a trusted key; every file matches the signed manifest and the audit events chain (${seconds.toFixed(2)} s, ${(mb / Math.max(seconds, 1e-3)).toFixed(0)} MB/s)\n`,
          );
        else
          process.stdout.write(
            `INTEGRITY ONLY, ORIGIN NOT CHECKED: every file matches the manifest signed by the key the package carries (${result.keyId}), but anyone can sign a package with a key of their own. Pass --trusted-keys FILE or --trust-server URL to check it came from your Assay. (exit ${ExitCode.originUnchecked})\n`,
          );
      }
      if (!result.ok) process.exitCode = ExitCode.failed;
      else if (result.origin === 'unchecked') process.exitCode = ExitCode.originUnchecked;
    },
  );
}

/** The trusted keys of verify-package: --key, --trusted-keys or --trust-server (none: origin unchecked). */
async function trustedKeysFrom(
  opts: RemoteOptions & { key?: string; trustedKeys?: string; trustServer?: string },
): Promise<{ keys: Map<string, string>; from: string } | null> {
  const given = [opts.key, opts.trustedKeys, opts.trustServer].filter(Boolean).length;
  if (given > 1) throw new CliError('give one of --key, --trusted-keys and --trust-server');
  const file = opts.key ?? opts.trustedKeys;
  if (file) {
    const flag = opts.key ? '--key' : '--trusted-keys';
    try {
      return { keys: parseTrustedKeys(fs.readFileSync(file, 'utf8')), from: file };
    } catch (err) {
      throw new CliError(`cannot read ${flag} ${file}: ${(err as Error).message}`);
    }
  }
  if (!opts.trustServer) return null;
  const items = await withClient({ ...opts, url: opts.trustServer }, (client) => client.auditPackages.keys());
  return { keys: parseTrustedKeys(JSON.stringify({ items })), from: `${opts.trustServer}/api/v1/keys` };
}
