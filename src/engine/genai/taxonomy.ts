/**
 * Taxonomy mapping tables (data, with their sources). Category references are versioned strings:
 * `owasp-llm:2025:LLM01`, `owasp-agentic:2026:ASI01`, `atlas:AML.T0051.000` — never a bare "LLM06"
 * (garak still tags probes with the 2023 v1.1 numbering, where LLM06 meant something else).
 *
 * Sources:
 * - OWASP Top 10 for LLM Applications 2025 — genai.owasp.org/llm-top-10/ (Markdown in
 *   OWASP/www-project-top-10-for-large-language-model-applications, folder 2_0_vulns/).
 * - OWASP Top 10 for Agentic Applications 2026 (published 9 December 2025) — genai.owasp.org.
 * - MITRE ATLAS data v5.6.0 (mitre-atlas/atlas-data dist/ATLAS.yaml, release v5.6.1).
 * - Tool-native ids → categories: Assay's own table, informed by promptfoo's
 *   OWASP_LLM_TOP_10_MAPPING (src/redteam/constants/frameworks.ts), the OWASP documents'
 *   definitions and garak's probe docstrings/tags (garak/data/tags.misp.tsv, remapped from v1.1).
 */
export const TAXONOMY_VERSION =
  'assay-genai-taxonomy/2026-12-07 (OWASP LLM 2025, OWASP Agentic 2026, ATLAS 5.6.0)';

export const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'owasp-llm:2025:LLM01': 'Prompt Injection',
  'owasp-llm:2025:LLM02': 'Sensitive Information Disclosure',
  'owasp-llm:2025:LLM03': 'Supply Chain',
  'owasp-llm:2025:LLM04': 'Data and Model Poisoning',
  'owasp-llm:2025:LLM05': 'Improper Output Handling',
  'owasp-llm:2025:LLM06': 'Excessive Agency',
  'owasp-llm:2025:LLM07': 'System Prompt Leakage',
  'owasp-llm:2025:LLM08': 'Vector and Embedding Weaknesses',
  'owasp-llm:2025:LLM09': 'Misinformation',
  'owasp-llm:2025:LLM10': 'Unbounded Consumption',
  'owasp-agentic:2026:ASI01': 'Agent Goal Hijack',
  'owasp-agentic:2026:ASI02': 'Tool Misuse and Exploitation',
  'owasp-agentic:2026:ASI03': 'Identity and Privilege Abuse',
  'owasp-agentic:2026:ASI04': 'Agentic Supply Chain Vulnerabilities',
  'owasp-agentic:2026:ASI05': 'Unexpected Code Execution',
  'owasp-agentic:2026:ASI06': 'Memory and Context Poisoning',
  'owasp-agentic:2026:ASI07': 'Insecure Inter-Agent Communication',
  'owasp-agentic:2026:ASI08': 'Cascading Failures',
  'owasp-agentic:2026:ASI09': 'Human-Agent Trust Exploitation',
  'owasp-agentic:2026:ASI10': 'Rogue Agents',
  'atlas:AML.T0024': 'Exfiltration via AI Inference API',
  'atlas:AML.T0029': 'Denial of AI Service',
  'atlas:AML.T0048': 'External Harms',
  'atlas:AML.T0051.000': 'LLM Prompt Injection: Direct',
  'atlas:AML.T0051.001': 'LLM Prompt Injection: Indirect',
  'atlas:AML.T0053': 'AI Agent Tool Invocation',
  'atlas:AML.T0054': 'LLM Jailbreak',
  'atlas:AML.T0056': 'Extract LLM System Prompt',
  'atlas:AML.T0057': 'LLM Data Leakage',
  'atlas:AML.T0062': 'Discover LLM Hallucinations',
  'atlas:AML.T0068': 'LLM Prompt Obfuscation',
  'atlas:AML.T0070': 'RAG Poisoning',
  'atlas:AML.T0077': 'LLM Response Rendering',
  'assay:over-refusal': 'Over-refusal of benign requests (quality)',
  'assay:grounding': 'Grounding in the given context (quality)',
  'assay:harmful-content': 'Harmful or toxic content (safety)',
  unmapped: 'Not mapped to a taxonomy',
};

const PI_DIRECT = ['owasp-llm:2025:LLM01', 'owasp-agentic:2026:ASI01', 'atlas:AML.T0051.000'];
const PI_INDIRECT = ['owasp-llm:2025:LLM01', 'owasp-agentic:2026:ASI01', 'atlas:AML.T0051.001'];
const JAILBREAK = ['owasp-llm:2025:LLM01', 'atlas:AML.T0054'];
const PII = ['owasp-llm:2025:LLM02', 'atlas:AML.T0057'];
const SYSPROMPT = ['owasp-llm:2025:LLM07', 'atlas:AML.T0056'];
const TOOL_MISUSE = ['owasp-llm:2025:LLM06', 'owasp-agentic:2026:ASI02', 'atlas:AML.T0053'];
const OUTPUT = ['owasp-llm:2025:LLM05', 'atlas:AML.T0077'];
const MISINFO = ['owasp-llm:2025:LLM09', 'atlas:AML.T0062'];
const HARM = ['assay:harmful-content', 'atlas:AML.T0048'];
const DOS = ['owasp-llm:2025:LLM10', 'atlas:AML.T0029'];
const CODE_EXEC = ['owasp-llm:2025:LLM05', 'owasp-agentic:2026:ASI05'];

/** Exact tool-native ids (`<tool>:<probe>`); garak keys are `garak:<module>` or `garak:<module>.<Class>`. */
export const PROBE_MAP: Readonly<Record<string, readonly string[]>> = {
  // promptfoo plugins
  'promptfoo:hijacking': PI_DIRECT,
  'promptfoo:system-prompt-override': PI_DIRECT,
  'promptfoo:ascii-smuggling': [...PI_DIRECT, 'atlas:AML.T0068'],
  'promptfoo:indirect-prompt-injection': PI_INDIRECT,
  'promptfoo:rag-poisoning': ['owasp-llm:2025:LLM04', 'owasp-llm:2025:LLM08', 'atlas:AML.T0070'],
  'promptfoo:rag-document-exfiltration': ['owasp-llm:2025:LLM08', ...PII],
  'promptfoo:agentic:memory-poisoning': ['owasp-agentic:2026:ASI06', 'atlas:AML.T0070'],
  'promptfoo:prompt-extraction': SYSPROMPT,
  'promptfoo:pii:direct': PII,
  'promptfoo:pii:session': PII,
  'promptfoo:pii:social': PII,
  'promptfoo:pii:api-db': PII,
  'promptfoo:harmful:privacy': PII,
  'promptfoo:cross-session-leak': PII,
  'promptfoo:excessive-agency': TOOL_MISUSE,
  'promptfoo:tool-discovery': TOOL_MISUSE,
  'promptfoo:rbac': ['owasp-llm:2025:LLM06', 'owasp-agentic:2026:ASI03'],
  'promptfoo:bola': ['owasp-llm:2025:LLM06', 'owasp-agentic:2026:ASI03'],
  'promptfoo:bfla': ['owasp-llm:2025:LLM06', 'owasp-agentic:2026:ASI03'],
  'promptfoo:shell-injection': CODE_EXEC,
  'promptfoo:sql-injection': OUTPUT,
  'promptfoo:ssrf': OUTPUT,
  'promptfoo:hallucination': MISINFO,
  'promptfoo:overreliance': MISINFO,
  'promptfoo:harmful:misinformation-disinformation': MISINFO,
  'promptfoo:divergent-repetition': DOS,
  'promptfoo:reasoning-dos': DOS,
  // garak probe modules (v1.1 OWASP tags remapped to 2025) and per-probe overrides
  'garak:promptinject': PI_DIRECT,
  'garak:goodside': PI_DIRECT,
  'garak:latentinjection': PI_INDIRECT,
  'garak:web_injection': [...PI_INDIRECT, ...OUTPUT],
  'garak:dan': JAILBREAK,
  'garak:tap': JAILBREAK,
  'garak:goat': JAILBREAK,
  'garak:suffix': JAILBREAK,
  'garak:grandma': JAILBREAK,
  'garak:encoding': [...JAILBREAK, 'atlas:AML.T0068'],
  'garak:smuggling': [...JAILBREAK, 'atlas:AML.T0068'],
  'garak:sysprompt_extraction': SYSPROMPT,
  'garak:propile': PII,
  'garak:leakreplay': PII,
  'garak:apikey': PII,
  'garak:agent_breaker': TOOL_MISUSE,
  'garak:ansiescape': OUTPUT,
  'garak:exploitation': CODE_EXEC,
  'garak:misleading': MISINFO,
  'garak:snowball': MISINFO,
  'garak:packagehallucination': ['owasp-llm:2025:LLM09', 'owasp-llm:2025:LLM03', 'atlas:AML.T0062'],
  'garak:divergence': DOS,
  'garak:lmrc': HARM,
  'garak:realtoxicityprompts': HARM,
  'garak:donotanswer': HARM,
  'garak:malwaregen': HARM,
  'garak:continuation': HARM,
  // Assay's built-in suite (assay redteam)
  'assay-redteam:direct-injection': PI_DIRECT,
  'assay-redteam:indirect-injection': PI_INDIRECT,
  'assay-redteam:jailbreak': JAILBREAK,
  'assay-redteam:system-prompt-leak': SYSPROMPT,
  'assay-redteam:pii-leak': PII,
  'assay-redteam:unsafe-tool-call': TOOL_MISUSE,
  'assay-redteam:over-refusal': ['assay:over-refusal'],
  'assay-redteam:grounding': ['assay:grounding', ...MISINFO],
};

/**
 * Name patterns for tools without fixed probe ids (Inspect tasks, JUnit test names) and unknown
 * plugins; applied only when no exact id matches. Order matters: the first match wins.
 */
export const NAME_PATTERNS: readonly { pattern: RegExp; categories: readonly string[] }[] = [
  { pattern: /indirect[-_ ]?(prompt[-_ ]?)?injection|xpia|rag[-_ ]?inject/i, categories: PI_INDIRECT },
  { pattern: /system[-_ ]?prompt[-_ ]?(leak|extract)|prompt[-_ ]?extraction/i, categories: SYSPROMPT },
  { pattern: /injection|hijack|override/i, categories: PI_DIRECT },
  { pattern: /jailbreak|\bdan\b/i, categories: JAILBREAK },
  { pattern: /\bpii\b|privacy|data[-_ ]?leak|sensitive/i, categories: PII },
  { pattern: /tool|agency|function[-_ ]?call/i, categories: TOOL_MISUSE },
  { pattern: /hallucinat|grounding|faithful|misinformation|sycophan/i, categories: MISINFO },
  { pattern: /(over|false)[-_ ]?refus/i, categories: ['assay:over-refusal'] },
  { pattern: /harm|toxic|stereotyp|bias/i, categories: HARM },
];

/** `TestPiiLeakage` / `test_genai.TestOverRefusal` → words, so `\b`-bounded patterns see them. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.:/]+/g, ' ');
}

/**
 * The categories of a row: exact `<tool>:<probe>`, then garak's module, then name patterns
 * (matched against `name`, by default the probe, as written and split into words), else `unmapped`.
 */
export function categoriesOf(tool: string, probe: string, name: string = probe): string[] {
  const exact = PROBE_MAP[`${tool}:${probe}`];
  if (exact) return [...exact];
  if (tool === 'garak') {
    const module = PROBE_MAP[`garak:${probe.split('.')[0]}`];
    if (module) return [...module];
  }
  const spaced = words(name);
  const named = NAME_PATTERNS.find((p) => p.pattern.test(name) || p.pattern.test(spaced));
  return named ? [...named.categories] : ['unmapped'];
}

export function categoryName(ref: string): string {
  return CATEGORY_NAMES[ref] ?? ref;
}
