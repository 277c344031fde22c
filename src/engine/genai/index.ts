export { GenAiImportError, IMPORTER_VERSION, type ImportOptions, sha256Hex } from './common.ts';
export { importGarak } from './garak.ts';
export { importInspect } from './inspect.ts';
export { importJunit } from './junit.ts';
export { findPii, redactPii } from './pii.ts';
export { importPromptfoo } from './promptfoo.ts';
export { importRedteamTranscript } from './redteam-transcript.ts';
export { categoryRates, compareRates } from './scoring.ts';
export { CATEGORY_NAMES, categoriesOf, categoryName, TAXONOMY_VERSION } from './taxonomy.ts';

export type DetectedTool = 'promptfoo' | 'garak' | 'inspect' | 'junit' | 'assay-redteam';

/** Guesses a result file's tool from its first bytes (ZIP → Inspect, XML → JUnit, JSON lines → garak or an assay redteam transcript, JSON object → promptfoo). */
export function detectTool(bytes: Uint8Array): DetectedTool | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'inspect';
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('<')) return 'junit';
  if (/^\{\s*"entry_type"/.test(head)) return 'garak';
  if (/^\{"type":"header","suite":"assay-redteam/.test(head)) return 'assay-redteam';
  if (head.startsWith('{')) return 'promptfoo';
  return null;
}
