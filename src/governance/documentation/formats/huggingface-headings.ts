import { CARD_SECTIONS, type ModelCardContent } from '../../../contracts/documentation.ts';

// Cards from the Hub (no Assay markers), read by their headings: the Hub template, the Trainer's generated cards and Assay's own titles.

// ---- cards from the Hub, read by their headings --------------------------------------------

export type Target = {
  section: keyof ModelCardContent;
  field?: 'architecture' | 'trainingProcedure' | 'hyperparameters';
};

export const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Headings of the Hub's template, the Trainer's generated cards and Assay's own titles. */
export const HEADINGS: [string[], Target][] = [
  [
    [
      'overview',
      'model summary',
      'model card contact',
      'model card authors',
      'citation',
      'glossary',
      'more information',
      'bibtex',
      'authors',
    ],
    { section: 'overview' },
  ],
  [
    [
      'model details',
      'model description',
      'model sources',
      'technical specifications',
      'compute infrastructure',
      'hardware',
      'software',
      'framework versions',
      'how to get started with the model',
      'environmental impact',
    ],
    { section: 'modelDetails' },
  ],
  [
    ['model architecture and objective', 'model architecture', 'architecture'],
    { section: 'modelDetails', field: 'architecture' },
  ],
  [['training procedure', 'training details'], { section: 'modelDetails', field: 'trainingProcedure' }],
  [['training hyperparameters', 'hyperparameters'], { section: 'modelDetails', field: 'hyperparameters' }],
  [
    [
      'uses',
      'direct use',
      'downstream use',
      'downstream use optional',
      'intended uses',
      'intended use',
      'intended uses and limitations',
      'intended use and users',
      'intended users',
    ],
    { section: 'intendedUse' },
  ],
  [
    ['out of scope use', 'out of scope uses', 'misuse and out of scope use', 'out of scope use cases'],
    { section: 'outOfScopeUses' },
  ],
  [
    [
      'training data',
      'training and evaluation data',
      'testing data',
      'data',
      'datasets',
      'evaluation data',
      'preprocessing',
      'training data and preprocessing',
    ],
    { section: 'data' },
  ],
  [
    [
      'evaluation',
      'evaluation results',
      'results',
      'training results',
      'metrics',
      'testing data factors and metrics',
      'factors',
      'quantitative analyses',
      'performance',
    ],
    { section: 'evaluation' },
  ],
  [['fairness', 'fairness considerations', 'bias', 'bias and fairness'], { section: 'fairness' }],
  [
    ['model examination', 'explainability', 'explainability considerations', 'interpretability'],
    { section: 'explainability' },
  ],
  [['human oversight', 'human in the loop'], { section: 'humanOversight' }],
  [['assumptions'], { section: 'assumptions' }],
  [
    [
      'limitations',
      'bias risks and limitations',
      'risks and limitations',
      'caveats and recommendations',
      'known limitations',
    ],
    { section: 'limitations' },
  ],
  [
    [
      'risks',
      'known risks and mitigations',
      'recommendations',
      'ethical considerations',
      'risks and mitigations',
    ],
    { section: 'risks' },
  ],
  [['monitoring', 'monitoring plan'], { section: 'monitoring' }],
  [['change log', 'changelog', 'changes', 'version history', 'release notes'], { section: 'changeLog' }],
];
export const HEADING_TARGET = new Map<string, Target>(
  HEADINGS.flatMap(([names, t]) => names.map((n) => [n, t])),
);
for (const s of CARD_SECTIONS) HEADING_TARGET.set(norm(s.title), { section: s.key });

export const PLACEHOLDER = /^\s*\[?more information needed\]?\s*$/i;

export function fromHeadings(body: string, warnings: string[]): Record<string, Record<string, unknown>> {
  const chunks: { target: Target; heading: string | null; lines: string[] }[] = [];
  const stack: { level: number; target: Target }[] = [];
  let current: { target: Target; heading: string | null; lines: string[] } = {
    target: { section: 'overview' },
    heading: null,
    lines: [],
  };
  chunks.push(current);
  let fence = false;
  let sawTitle = false;
  for (const line of body.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const h = fence ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) {
      if (!PLACEHOLDER.test(line)) current.lines.push(line);
      continue;
    }
    const level = h[1]!.length;
    const title = h[2]!;
    if (level === 1 && !sawTitle) {
      sawTitle = true; // the model's name
      continue;
    }
    while (stack.length && stack.at(-1)!.level >= level) stack.pop();
    const mapped = HEADING_TARGET.get(norm(title));
    const inherited = stack.at(-1)?.target;
    const target = mapped ?? (inherited ? { section: inherited.section } : { section: 'overview' as const });
    stack.push({ level, target });
    // A heading that names the section is dropped; an unknown one is kept inside its parent's text.
    current = { target, heading: mapped ? null : `${'#'.repeat(Math.max(level, 3))} ${title}`, lines: [] };
    chunks.push(current);
    if (!mapped && !inherited) warnings.push(`section '${title}' has no counterpart; kept in the overview`);
  }

  const out: Record<string, Record<string, unknown>> = {};
  const texts = new Map<keyof ModelCardContent, string[]>();
  const hyper: { key: string; value: string }[] = [];
  const addText = (section: keyof ModelCardContent, text: string) => {
    if (!texts.has(section)) texts.set(section, []);
    texts.get(section)!.push(text);
  };
  for (const c of chunks) {
    const text = c.lines.join('\n').trim();
    if (!text && !c.heading) continue;
    const section = c.target.section;
    out[section] ??= {};
    if (c.target.field === 'hyperparameters') {
      const rest: string[] = [];
      for (const l of c.lines) {
        const m = /^\s*[-*]\s+`?([^:`]+?)`?\s*:\s*(.*)$/.exec(l);
        if (m) hyper.push({ key: m[1]!.trim().slice(0, 200), value: m[2]!.trim().slice(0, 2000) });
        else if (l.trim()) rest.push(l);
      }
      if (rest.length) addText(section, rest.join('\n').trim());
      continue;
    }
    if ((c.target.field === 'architecture' || c.target.field === 'trainingProcedure') && !c.heading) {
      if (text && text.length <= 5_000 && out[section]![c.target.field] === undefined) {
        out[section]![c.target.field] = text;
        continue;
      }
    }
    const block = c.heading ? (text ? `${c.heading}\n\n${text}` : '') : text;
    if (block) addText(section, block);
  }
  const sectionOf = (key: keyof ModelCardContent) => {
    out[key] ??= {};
    return out[key];
  };
  if (hyper.length) sectionOf('modelDetails').hyperparameters = hyper;
  for (const [section, parts] of texts) sectionOf(section).text = parts.join('\n\n');
  return out;
}
