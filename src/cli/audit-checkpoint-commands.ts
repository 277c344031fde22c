import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { StoredCheckpoint } from '../contracts/audit.ts';
import { CliError } from './exit.ts';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

/** The signed part of a stored checkpoint: what a checkpoint file holds. */
function signedPart(cp: StoredCheckpoint): Record<string, unknown> {
  const { checkpoint, signature, publicKeyPem } = cp;
  return { checkpoint, signature, publicKeyPem };
}

function writeCheckpointFile(file: string, cp: StoredCheckpoint): void {
  // Never replaces a checkpoint already kept: an older copy is evidence.
  try {
    fs.writeFileSync(file, `${JSON.stringify(signedPart(cp), null, 2)}\n`, { flag: 'wx' });
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

/** `assay audit checkpoint` and `assay audit checkpoints` (through the API). */
export function registerCheckpointCommands(audit: Command): void {
  addRemoteOptions(
    audit
      .command('checkpoint')
      .description('Make a signed checkpoint of the audit chain head now (through the API); keep it with -o')
      .option(
        '-o, --out <file>',
        'also write the signed checkpoint to this file (for audit verify --checkpoint)',
      )
      .option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { out?: string; json?: boolean }) => {
    await withClient(opts, async (client) => {
      const cp = await client.audit.checkpoint();
      if (opts.out) writeCheckpointFile(opts.out, cp);
      if (opts.json) return printJson(cp);
      const c = cp.checkpoint;
      process.stdout.write(
        `checkpoint ${cp.id}: seq ${c.sequence}, head ${c.headHash}, ${c.time}, key ${c.keyId}${cp.published?.file ? `\npublished: ${cp.published.file}` : ''}${opts.out ? `\nwrote ${opts.out}` : ''}\n`,
      );
    });
  });

  addRemoteOptions(
    audit
      .command('checkpoints')
      .description('List signed checkpoints, newest first (through the API); --out-dir keeps a copy of each')
      .option('--limit <n>', 'how many (max 1000)', '100')
      .option(
        '--out-dir <dir>',
        'write each checkpoint as a file into this directory (existing files are kept)',
      )
      .option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { limit: string; outDir?: string; json?: boolean }) => {
    await withClient(opts, async (client) => {
      const { items } = await client.audit.checkpoints(Number(opts.limit));
      if (opts.outDir) {
        fs.mkdirSync(opts.outDir, { recursive: true });
        for (const cp of items) {
          const file = path.join(
            opts.outDir,
            `checkpoint-${String(cp.checkpoint.sequence).padStart(12, '0')}-${cp.id}.json`,
          );
          if (!fs.existsSync(file)) writeCheckpointFile(file, cp);
        }
      }
      if (opts.json) return printJson({ items });
      printTable(
        items.map((cp) => ({
          seq: cp.checkpoint.sequence,
          time: cp.checkpoint.time,
          head: `${cp.checkpoint.headHash.slice(0, 16)}…`,
          key: cp.checkpoint.keyId,
          trigger: cp.trigger,
        })),
        ['seq', 'time', 'head', 'key', 'trigger'],
      );
    });
  });
}

/** `assay keys list` and `assay keys rotate` (through the API). */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description("The server's signing keys (audit packages, checkpoints)");
  addRemoteOptions(
    keys
      .command('list')
      .description('Current and retired public keys, with ids')
      .option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const items = await client.auditPackages.keys();
      if (opts.json) return printJson({ items });
      printTable(
        items.map((k) => ({
          id: k.id,
          active: k.active ? 'current' : 'retired',
          since: k.createdAt ?? '',
          retired: k.retiredAt ?? '',
        })),
        ['id', 'active', 'since', 'retired'],
      );
    });
  });
  addRemoteOptions(
    keys
      .command('rotate')
      .description(
        'Replace the signing key with a new one (admin); old signatures stay verifiable with the retired public key',
      )
      .option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const r = await client.auditPackages.rotateKey();
      if (opts.json) return printJson(r);
      process.stdout.write(
        `rotated: now signing with ${r.current.id}; ${r.previous.id} is retired (still listed)\n`,
      );
    });
  });
}
