import yauzl from 'yauzl';
import type { GenAiDocument } from '../../contracts/genai.ts';
import {
  type DetectedTool,
  detectTool,
  GenAiImportError,
  type ImportOptions,
  importGarak,
  importInspect,
  importJunit,
  importPromptfoo,
  importRedteamTranscript,
  sha256Hex,
} from '../../engine/genai/index.ts';

/** Largest uncompressed member of an Inspect log read (a sample file), and the total. */
const MAX_MEMBER = 64 * 1024 * 1024;
const MAX_TOTAL = 512 * 1024 * 1024;

/** Reads every member of a ZIP held in memory (a later duplicate name replaces an earlier one). */
export function readZipMembers(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    const fail = (m: string) =>
      reject(new GenAiImportError('inspect', `not a readable .eval (ZIP) file: ${m}`));
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return fail(err?.message ?? 'unreadable');
      const members = new Map<string, Uint8Array>();
      let total = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        if (entry.uncompressedSize > MAX_MEMBER || total + entry.uncompressedSize > MAX_TOTAL)
          return fail(`${entry.fileName} is too large`);
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(e?.message ?? entry.fileName);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => {
            total += c.length;
            chunks.push(c);
          });
          stream.on('error', (se: Error) => fail(`${entry.fileName}: ${se.message}`));
          stream.on('end', () => {
            members.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(members));
      zip.on('error', (e: Error) => fail(e.message));
      zip.readEntry();
    });
  });
}

/**
 * Derives the `assay.genai/v1` document of a raw result file (the tool given or detected). The
 * same bytes and options always give the same document.
 */
export async function importResultFile(
  bytes: Uint8Array,
  options: ImportOptions & { tool?: DetectedTool } = {},
): Promise<GenAiDocument> {
  const tool = options.tool ?? detectTool(bytes);
  switch (tool) {
    case 'promptfoo':
      return importPromptfoo(bytes, options);
    case 'garak':
      return importGarak(bytes, options);
    case 'junit':
      return importJunit(bytes, options);
    case 'assay-redteam':
      return importRedteamTranscript(bytes, options);
    case 'inspect':
      return importInspect(await readZipMembers(bytes), sha256Hex(bytes), options);
    default:
      throw new GenAiImportError(
        'GenAI',
        'unrecognised result file: expected promptfoo JSON, garak report JSONL, an Inspect .eval log or JUnit XML',
      );
  }
}
