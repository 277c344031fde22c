import type { GenAiDocument } from '../../contracts/genai.ts';
import { decodeUtf8, GenAiImportError, type ImportOptions, type RawTest, sha256Hex } from './common.ts';
import { buildDocument } from './document.ts';
import { parseXml, type XmlElement, XmlError } from './xml.ts';

/**
 * JUnit XML (Giskard v3 `giskard-checks`, pytest, and any harness writing the common
 * `<testsuites>/<testsuite>/<testcase>` shape). A test case with `<failure>` fails, with `<error>`
 * or `<skipped>` is unscored (`error`), otherwise passes. The probe is the test case's
 * `classname` (else its suite's name); `classname::name` is the row id, and the taxonomy's name
 * patterns read the class and the test name (without pytest's `[parameter]` id). Properties named `prompt`/`input`
 * and `response`/`output` on a test case are read as its texts; `model`/`target_model` properties
 * on the suite or case as the target. Tool and version come from `tool`/`tool_version` properties
 * (Giskard) or the suite's `name`.
 */
const TOOL = 'junit';

function properties(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of el.children.filter((c) => c.name === 'properties').flatMap((c) => c.children)) {
    if (p.name === 'property' && p.attrs.name !== undefined) out[p.attrs.name] = p.attrs.value ?? p.text;
  }
  return out;
}

export function importJunit(bytes: Uint8Array, options: ImportOptions = {}): GenAiDocument {
  let root: XmlElement;
  try {
    root = parseXml(decodeUtf8(bytes, TOOL));
  } catch (e) {
    if (e instanceof XmlError) throw new GenAiImportError(TOOL, `malformed XML: ${e.message}`);
    throw e;
  }
  if (root.name !== 'testsuites' && root.name !== 'testsuite')
    throw new GenAiImportError(TOOL, `the root element is <${root.name}>, not <testsuites> or <testsuite>`);
  const suites = root.name === 'testsuite' ? [root] : root.children.filter((c) => c.name === 'testsuite');
  const rootProps = properties(root);
  const raws: RawTest[] = [];
  const seen = new Map<string, number>();
  let toolVersion: string | null = rootProps.tool_version ?? null;
  for (const suite of suites) {
    const suiteProps = { ...rootProps, ...properties(suite) };
    toolVersion ??= suiteProps.tool_version ?? suiteProps.giskard_version ?? null;
    for (const tc of suite.children.filter((c) => c.name === 'testcase')) {
      const name = tc.attrs.name;
      if (name === undefined)
        throw new GenAiImportError(TOOL, 'a <testcase> needs a name', `line ${tc.line}`);
      const props = { ...suiteProps, ...properties(tc) };
      const failure = tc.children.find((c) => c.name === 'failure');
      const error = tc.children.find((c) => c.name === 'error');
      const skipped = tc.children.find((c) => c.name === 'skipped');
      const verdict = failure ? 'failure' : error ? 'error' : skipped ? 'skipped' : 'pass';
      const flagged = failure ?? error ?? skipped;
      const probe = tc.attrs.classname || suite.attrs.name || 'junit';
      const base = `${probe}::${name}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      raws.push({
        id: n === 1 ? base : `${base}#${n}`,
        probe,
        strategy: props.strategy ?? null,
        detector: props.detector ?? props.check ?? null,
        tool_verdict: verdict,
        tool_score: null,
        outcome: failure ? 'fail' : error || skipped ? 'error' : 'pass',
        prompt: props.prompt ?? props.input ?? null,
        response: props.response ?? props.output ?? null,
        target_model: props.target_model ?? props.model ?? null,
        reason: flagged ? (flagged.attrs.message ?? (flagged.text.trim() || null)) : null,
        // the test's own name often says more than its class (pytest: `test_indirect_injection[id]`)
        map_name: `${probe} ${name.replace(/\[.*\]$/, '')}`,
      });
    }
  }
  const name = root.attrs.name ?? suites[0]?.attrs.name ?? null;
  return buildDocument({
    tool: TOOL,
    toolVersion: toolVersion ?? null,
    formatVersion: 'junit-xml',
    runId: name,
    sha256: sha256Hex(bytes),
    complete: true,
    startedAt: suites[0]?.attrs.timestamp ?? null,
    raws,
    notes: [],
    options,
  });
}
