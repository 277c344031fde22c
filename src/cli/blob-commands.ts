import path from 'node:path';
import type { Command } from 'commander';
import { CliError, ExitCode } from './exit.ts';
import { StageBar } from './progress-bar.ts';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/**
 * `assay blobs migrate`: copies a local blob directory into the configured shared store
 * (ASSAY_BLOB_STORE=postgres|s3); `assay blobs verify`: reads every blob of the configured store and
 * checks its hash (and, with the database, that every evidence file and document is present).
 * Both run next to the database, not through the API.
 */
export function registerBlobCommands(program: Command): void {
  const blobs = program
    .command('blobs')
    .description('Evidence storage: move a local blob directory into the shared store, check every blob');

  blobs
    .command('migrate')
    .description(
      'Copy every blob of a local directory into the configured store (ASSAY_BLOB_STORE); resumable, hashes verified',
    )
    .option('--from <dir>', 'the local blob directory (default <ASSAY_DATA_DIR>/blobs)')
    .action(async (opts: { from?: string }) => {
      const [{ loadConfig }, { openBlobStore }, { LocalBlobStore }, { copyBlobs }] = await Promise.all([
        import('../platform/config.ts'),
        import('../platform/blobs/blob-config.ts'),
        import('../platform/blob-store.ts'),
        import('../platform/blobs/blob-transfer.ts'),
      ]);
      const config = loadConfig(process.env);
      if (config.blobStore.kind === 'local')
        throw new CliError(
          'the configured blob store is the local directory: set ASSAY_BLOB_STORE=postgres or s3 (and its settings) to say where to copy to',
          ExitCode.badInput,
        );
      const from = new LocalBlobStore(path.resolve(opts.from ?? path.join(config.dataDir, 'blobs')));
      const to = await openBlobStore(config.blobStore, config.dataDir);
      const bar = new StageBar('assay blobs migrate');
      try {
        const r = await copyBlobs(from, to, (p) =>
          bar.update(
            `${p.blobs}/${p.totalBlobs} blobs, ${mib(p.bytes)} of ${mib(p.totalBytes)}`,
            p.totalBytes ? p.bytes / p.totalBytes : 1,
          ),
        );
        bar.done(
          `copied ${r.copied} blobs (${mib(r.bytes)}) from ${from.location} to ${to.location}; ${r.skipped} were already there`,
        );
      } catch (err) {
        bar.abort();
        throw new CliError(
          `assay blobs migrate: ${(err as Error).message} (run it again to resume)`,
          ExitCode.failed,
        );
      } finally {
        await to.close();
      }
    });

  blobs
    .command('verify')
    .description(
      'Read every blob of the configured store, check its hash, and check every evidence file is present',
    )
    .action(async () => {
      const [
        { loadConfig },
        { openBlobStore },
        { checkBlobs, missingBlobs },
        { openDatabase },
        { referencedBlobs },
      ] = await Promise.all([
        import('../platform/config.ts'),
        import('../platform/blobs/blob-config.ts'),
        import('../platform/blobs/blob-transfer.ts'),
        import('../platform/db/database.ts'),
        import('../platform/blobs/blob-references.ts'),
      ]);
      const config = loadConfig(process.env);
      const store = await openBlobStore(config.blobStore, config.dataDir);
      const db = openDatabase({
        databaseUrl: config.databaseUrl,
        sqlitePath: path.join(config.dataDir, 'assay.db'),
        poolSize: 2,
      });
      const bar = new StageBar('assay blobs verify');
      try {
        const r = await checkBlobs(store, (p) =>
          bar.update(
            `${p.blobs}/${p.totalBlobs} blobs, ${mib(p.bytes)}`,
            p.totalBytes ? p.bytes / p.totalBytes : 1,
          ),
        );
        const missing = await missingBlobs(store, await referencedBlobs(db));
        bar.done(`checked ${r.checked} blobs (${mib(r.bytes)}) in ${store.location}`);
        for (const d of r.damaged) process.stdout.write(`DAMAGED ${d.sha256}: ${d.problem}\n`);
        for (const m of missing)
          process.stdout.write(`MISSING ${m}: referenced by the database, not in the store\n`);
        if (r.damaged.length || missing.length)
          throw new CliError(
            `${r.damaged.length} damaged and ${missing.length} missing blobs`,
            ExitCode.failed,
          );
        process.stdout.write(`OK: ${r.checked} blobs, every hash matches, every referenced blob present\n`);
      } finally {
        bar.abort();
        await store.close();
        await db.close();
      }
    });
}
