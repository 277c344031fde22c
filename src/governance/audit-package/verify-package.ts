import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { type AuditPackageManifest, auditPackageManifestSchema } from '../../contracts/audit-package.ts';
import { GENESIS_HASH } from '../../platform/audit/audit-hash.ts';
import { checkAuditEvent, type StoredAuditEvent } from '../../platform/audit/audit-verify.ts';
import { describePublicKey, verifySignature } from '../../platform/signing/signing-key.ts';
import { CROISSANT_CONFORMS_TO } from '../documentation/formats/croissant.ts';
import { SPDX_CONTEXT } from '../documentation/formats/spdx.ts';
import { annexIvProblem } from './package-annex-iv.ts';
import { CHECKPOINTS_DIR, packageCheckpointProblem, parsePackageCheckpoint } from './package-checkpoints.ts';
import { PACKAGE_PATHS } from './package-paths.ts';

/** One thing that does not match, named by the file it is in. */
export interface PackageProblem {
  file: string;
  problem: string;
}

/** What `verify-package` found. */
export interface PackageVerifyResult {
  ok: boolean;
  manifest: AuditPackageManifest | null;
  /** The id of the key the manifest is signed with (from the package's public key file). */
  keyId: string | null;
  files: number;
  bytes: number;
  events: number;
  /** Signed checkpoints of the chain the package carries (each checked). */
  checkpoints: number;
  /** Standard documents (SPDX, Croissant) the manifest names (each checked to be one). */
  standard: number;
  /**
   * `trusted`: the package is signed by one of the trusted keys given; `unchecked`: no trusted key
   * was given, so only integrity was checked (anyone can sign a package with a key of their own).
   */
  origin: 'trusted' | 'unchecked';
  problems: PackageProblem[];
}

/** The file is not a readable zip at all (bad input, exit 2). */
export class PackageInputError extends Error {}

/** Small files read whole besides being hashed. */
const MAX_SMALL = 64 * 1024 * 1024;
/** Broken events named before the rest are summarised. */
const MAX_EVENT_PROBLEMS = 20;
const READ_CHUNK = 1 << 20;

interface ZipEntry {
  fileName: string;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  relativeOffsetOfLocalHeader: number;
  isEncrypted(): boolean;
}

/** Reads the central directory: every entry, without their data. */
function readDirectory(file: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(new PackageInputError(`${file} is not a readable zip: ${err?.message}`));
      const entries: ZipEntry[] = [];
      zip.on('entry', (e: ZipEntry) => {
        entries.push(e);
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', (e: Error) =>
        reject(new PackageInputError(`${file} is not a readable zip: ${e.message}`)),
      );
      zip.readEntry();
    });
  });
}

/** Where an entry's data starts: after its local header (read from the file, not trusted from the directory). */
async function dataOffset(fd: fs.promises.FileHandle, e: ZipEntry): Promise<number> {
  const head = Buffer.alloc(30);
  const { bytesRead } = await fd.read(head, 0, 30, e.relativeOffsetOfLocalHeader);
  if (bytesRead !== 30 || head.readUInt32LE(0) !== 0x04034b50) throw new Error('its local header is damaged');
  return e.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
}

/** Hashes an entry while streaming it (1 MiB reads; inflated when deflated), feeding `onData` too. */
async function hashEntry(
  file: string,
  fd: fs.promises.FileHandle,
  e: ZipEntry,
  onData: ((chunk: Buffer) => void) | null,
): Promise<{ sha256: string; size: number }> {
  if (e.isEncrypted()) throw new Error('it is encrypted');
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8)
    throw new Error(`it uses compression method ${e.compressionMethod}`);
  const start = await dataOffset(fd, e);
  const hash = createHash('sha256');
  let size = 0;
  const sink = new Writable({
    highWaterMark: READ_CHUNK,
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      onData?.(chunk);
      cb();
    },
  });
  const raw =
    e.compressedSize === 0
      ? fs.createReadStream('/dev/null')
      : fs.createReadStream(file, { start, end: start + e.compressedSize - 1, highWaterMark: READ_CHUNK });
  if (e.compressionMethod === 8) await pipeline(raw, zlib.createInflateRaw(), sink);
  else await pipeline(raw, sink);
  return { sha256: hash.digest('hex'), size };
}

/**
 * Checks the events file as a subsequence of the global chain: each event's own hash, seq order,
 * and the link to the event before wherever that event is in the file too (seq n follows n−1; the
 * first event of the chain links to genesis). Fed line by line while the file is hashed.
 */
class EventChainCheck {
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  private prev: StoredAuditEvent | null = null;
  /** Seqs whose hashes are kept (the checkpoints' sequences), and the hashes seen. */
  readonly watch = new Set<number>();
  readonly watched = new Map<number, string>();
  count = 0;
  broken = 0;
  readonly problems: string[] = [];

  push(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    this.rest += this.decoder.end();
    if (this.rest.trim()) this.line(this.rest);
    this.rest = '';
  }

  private report(message: string): void {
    this.broken++;
    if (this.problems.length < MAX_EVENT_PROBLEMS) this.problems.push(message);
  }

  private line(line: string): void {
    if (!line.trim()) return;
    this.count++;
    let e: StoredAuditEvent;
    try {
      e = JSON.parse(line) as StoredAuditEvent;
    } catch {
      this.report(`line ${this.count} is not JSON`);
      return;
    }
    if (typeof e !== 'object' || e === null || typeof e.hash !== 'string' || !Number.isInteger(e.seq)) {
      this.report(`line ${this.count} is not an audit event`);
      return;
    }
    const prev = this.prev;
    if (prev && e.seq <= prev.seq)
      this.report(`event ${e.seq} (${e.id}) is out of order after event ${prev.seq}`);
    const linked = prev && e.seq === prev.seq + 1 ? prev.hash : e.seq === 1 ? GENESIS_HASH : null;
    const found = checkAuditEvent(e, linked, null);
    if (found) this.report(found.message);
    if (this.watch.has(e.seq)) this.watched.set(e.seq, e.hash);
    this.prev = e;
  }
}

/** Where packages keep their standard documents. */
const STANDARD_DIR = 'standard/';

/** Null when the bytes are a document of the format named (its JSON-LD context or conformance). */
function standardProblem(
  format: 'spdx-3.0.1' | 'croissant-1.0' | 'eu-ai-act-annex-iv',
  bytes: Buffer,
): string | null {
  if (format === 'eu-ai-act-annex-iv') return annexIvProblem(bytes.toString('utf8'));
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'is not JSON';
  }
  if (format === 'spdx-3.0.1') {
    const graph = Array.isArray(doc['@graph']) ? (doc['@graph'] as Record<string, unknown>[]) : [];
    if (doc['@context'] !== SPDX_CONTEXT || !graph.some((e) => e?.type === 'ai_AIPackage'))
      return `is not an SPDX 3.0.1 document with an AI package (context ${SPDX_CONTEXT})`;
  } else if (doc.conformsTo !== CROISSANT_CONFORMS_TO || doc['@type'] !== 'sc:Dataset')
    return `is not a Croissant 1.0 dataset description (conformsTo ${CROISSANT_CONFORMS_TO})`;
  return null;
}

/** manifest.sig: the Ed25519 signature over the exact bytes of manifest.json, with the key id and the manifest's SHA-256. */
export interface SignatureFile {
  algorithm: 'Ed25519';
  keyId: string;
  manifestSha256: string;
  /** Base64. */
  signature: string;
}

function parseSignatureFile(buf: Buffer): SignatureFile | null {
  try {
    const v = JSON.parse(buf.toString('utf8')) as SignatureFile;
    return typeof v.signature === 'string' && typeof v.manifestSha256 === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an audit package offline: the manifest's Ed25519 signature (with the public key in the
 * package, or `trustedKeyPem`), every listed file's SHA-256 and size, files that are not listed, and
 * the audit-event chain. Reads each file once, hashing while reading.
 */
export async function verifyPackage(
  file: string,
  options: { trustedKeyPem?: string | undefined; trustedKeys?: ReadonlyMap<string, string> | undefined } = {},
): Promise<PackageVerifyResult> {
  const trusted: ReadonlyMap<string, string> | null =
    options.trustedKeys ??
    (options.trustedKeyPem
      ? new Map([[describePublicKey(options.trustedKeyPem).id, options.trustedKeyPem]])
      : null);
  const entries = await readDirectory(file);
  const checkpoints: { file: string; value: ReturnType<typeof parsePackageCheckpoint> }[] = [];
  const problems: PackageProblem[] = [];
  const measured = new Map<string, { sha256: string; size: number }>();
  const small = new Map<string, Buffer>();
  const smallNames = new Set<string>([
    PACKAGE_PATHS.manifest,
    PACKAGE_PATHS.signature,
    PACKAGE_PATHS.publicKey,
  ]);
  const events = new EventChainCheck();
  let bytes = 0;
  const fd = await fs.promises.open(file, 'r');
  try {
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      if (measured.has(e.fileName)) {
        problems.push({ file: e.fileName, problem: 'appears twice in the zip' });
        continue;
      }
      const isCheckpoint = e.fileName.startsWith(CHECKPOINTS_DIR);
      const isStandard = e.fileName.startsWith(STANDARD_DIR);
      const keep =
        (smallNames.has(e.fileName) || isCheckpoint || isStandard) && e.uncompressedSize <= MAX_SMALL;
      const parts: Buffer[] = [];
      const isEvents = e.fileName === PACKAGE_PATHS.events;
      try {
        const m = await hashEntry(
          file,
          fd,
          e,
          keep || isEvents
            ? (chunk) => {
                if (keep) parts.push(Buffer.from(chunk));
                if (isEvents) events.push(chunk);
              }
            : null,
        );
        measured.set(e.fileName, m);
        bytes += m.size;
        if (keep) small.set(e.fileName, Buffer.concat(parts));
        if (isEvents) events.end();
        if (isCheckpoint) {
          // Packages carry checkpoints before the events, so their sequences are watched while those stream.
          const value = parsePackageCheckpoint(Buffer.concat(parts));
          if (typeof value !== 'string') events.watch.add(value.checkpoint.sequence);
          checkpoints.push({ file: e.fileName, value });
        }
      } catch (err) {
        problems.push({ file: e.fileName, problem: `cannot be read: ${(err as Error).message}` });
        measured.set(e.fileName, { sha256: '', size: -1 });
      }
    }
  } finally {
    await fd.close();
  }

  // The manifest and its signature.
  const manifestBytes = small.get(PACKAGE_PATHS.manifest);
  let manifest: AuditPackageManifest | null = null;
  let keyId: string | null = null;
  let signatureFails: 'manifest' | 'signature' | null = null;
  if (!manifestBytes) {
    problems.push({ file: PACKAGE_PATHS.manifest, problem: 'is missing: nothing can be checked against it' });
  } else {
    try {
      manifest = auditPackageManifestSchema.parse(JSON.parse(manifestBytes.toString('utf8')));
    } catch (err) {
      problems.push({
        file: PACKAGE_PATHS.manifest,
        problem: `is not a valid manifest: ${(err as Error).message.split('\n')[0]}`,
      });
    }
    const keyFile = manifest?.signingKey.file ?? PACKAGE_PATHS.publicKey;
    const packagedKey = small.get(keyFile)?.toString('utf8') ?? null;
    if (packagedKey) {
      try {
        keyId = describePublicKey(packagedKey).id;
      } catch {
        problems.push({ file: keyFile, problem: 'is not an Ed25519 public key' });
      }
    } else if (!trusted) problems.push({ file: keyFile, problem: 'is missing' });
    if (manifest && keyId && keyId !== manifest.signingKey.id)
      problems.push({
        file: keyFile,
        problem: `is key ${keyId}, but the manifest names ${manifest.signingKey.id}`,
      });
    let verifyWith = packagedKey;
    if (trusted) {
      const named = keyId ?? manifest?.signingKey.id ?? null;
      if (named === null || !trusted.has(named)) {
        const ids = [...trusted.keys()];
        problems.push({
          file: keyFile,
          problem: `is key ${named ?? 'unknown'}, not ${ids.length === 1 ? `the trusted key ${ids[0]}` : `one of the ${ids.length} trusted keys`}`,
        });
      }
      // Never the package's own key: a key that is not trusted cannot make the signature hold.
      verifyWith = (named !== null ? trusted.get(named) : undefined) ?? [...trusted.values()][0]!;
    }
    const sigFile = small.get(PACKAGE_PATHS.signature);
    const sig = sigFile ? parseSignatureFile(sigFile) : null;
    if (!sigFile)
      problems.push({ file: PACKAGE_PATHS.signature, problem: 'is missing: the manifest is not signed' });
    else if (!sig) problems.push({ file: PACKAGE_PATHS.signature, problem: 'is not a signature file' });
    else if (
      verifyWith &&
      !verifySignature(verifyWith, manifestBytes, Buffer.from(sig.signature, 'base64'))
    ) {
      // Which of the two changed: the signature file records the SHA-256 of the manifest it signed.
      const actual = createHash('sha256').update(manifestBytes).digest('hex');
      signatureFails = actual !== sig.manifestSha256 ? 'manifest' : 'signature';
    }
  }
  // Every listed file against what is there, and what is there but not listed.
  const fileProblems: PackageProblem[] = [];
  if (manifest) {
    const listed = new Set<string>();
    for (const f of manifest.files) {
      listed.add(f.path);
      const m = measured.get(f.path);
      if (!m)
        fileProblems.push({ file: f.path, problem: 'is listed in the manifest but missing from the zip' });
      else if (m.size < 0) continue;
      else if (m.sha256 !== f.sha256 || m.size !== f.size)
        fileProblems.push({
          file: f.path,
          problem: `does not match the manifest: SHA-256 ${m.sha256} (${m.size} bytes), manifest says ${f.sha256} (${f.size} bytes)`,
        });
    }
    for (const name of measured.keys())
      if (!listed.has(name) && name !== PACKAGE_PATHS.manifest && name !== PACKAGE_PATHS.signature)
        fileProblems.push({ file: name, problem: 'is in the zip but not in the manifest' });
    if (!measured.has(manifest.audit.events))
      fileProblems.push({ file: manifest.audit.events, problem: 'is missing' });
    else if (events.count !== manifest.audit.count)
      fileProblems.push({
        file: manifest.audit.events,
        problem: `has ${events.count} events, the manifest says ${manifest.audit.count}`,
      });
  }
  // A bad signature with files that do not match: the manifest was changed (name it first);
  // with every file matching, the signature was.
  if (signatureFails === 'manifest')
    problems.push({
      file: PACKAGE_PATHS.manifest,
      problem:
        'is not the manifest that was signed: its SHA-256 differs from the one in manifest.sig and the signature does not match it (other files are checked against this unsigned manifest)',
    });
  else if (signatureFails === 'signature')
    problems.push({
      file: PACKAGE_PATHS.signature,
      problem: 'does not match manifest.json: the signature was changed, or another key made it',
    });
  problems.push(...fileProblems);
  for (const p of events.problems)
    problems.push({ file: PACKAGE_PATHS.events, problem: `audit chain: ${p}` });
  if (events.broken > events.problems.length)
    problems.push({
      file: PACKAGE_PATHS.events,
      problem: `audit chain: ${events.broken - events.problems.length} more broken events`,
    });
  // The standard documents the manifest names: signed files, and each what it says it is.
  for (const d of manifest?.standard ?? []) {
    if (!manifest!.files.some((f) => f.path === d.path)) {
      problems.push({
        file: d.path,
        problem: 'is named a standard export but the manifest does not list it',
      });
      continue;
    }
    const bytes = small.get(d.path);
    const problem = bytes ? standardProblem(d.format, bytes) : null;
    if (problem) problems.push({ file: d.path, problem });
  }
  for (const cp of checkpoints) {
    const problem =
      typeof cp.value === 'string'
        ? cp.value
        : packageCheckpointProblem(cp.value, {
            chainHead: manifest?.audit.chainHead ?? null,
            eventHash: (seq) => events.watched.get(seq),
            trusted,
          });
    if (problem) problems.push({ file: cp.file, problem });
  }
  return {
    ok: problems.length === 0,
    manifest,
    keyId,
    files: measured.size,
    bytes,
    events: events.count,
    checkpoints: checkpoints.length,
    standard: manifest?.standard?.length ?? 0,
    origin: trusted ? 'trusted' : 'unchecked',
    problems,
  };
}
