import { Marked, type Tokens } from 'marked';
import {
  CARD_SECTIONS,
  type CardMetric,
  type Completeness,
  DATASHEET_SECTIONS,
  type Datasheet,
  type DatasheetContent,
  type ModelCard,
  type ModelCardContent,
} from '../../contracts/documentation.ts';

/**
 * Markdown and self-contained HTML of model cards and datasheets. Pure. The HTML loads nothing
 * (inline CSS, no scripts, no images fetched) and escapes everything: raw HTML in a section's
 * Markdown is shown as text, links other than http(s)/mailto/# are dropped, images become links.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function safeHref(href: string): string | null {
  const h = href.trim();
  return /^(https?:|mailto:|#)/i.test(h) ? h : null;
}

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${text}</a>` : text;
    },
    image(token: Tokens.Image): string {
      const href = safeHref(token.href);
      const label = `[image: ${escapeHtml(token.text || token.href)}]`;
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
    },
  },
});

/** Markdown text as safe HTML. */
export function markdownToSafeHtml(text: string): string {
  if (!text.trim()) return '';
  return markdown.parse(text, { async: false }) as string;
}

/** A value for a Markdown table cell (one line, pipes escaped). */
function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return String(v).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function fmt(n: number | null): string {
  if (n === null) return '—';
  return Number.isInteger(n) ? String(n) : n.toPrecision(4).replace(/\.?0+$/, '');
}

function metricRow(m: CardMetric): string[] {
  const ci = m.lower !== null || m.upper !== null ? `[${fmt(m.lower)}, ${fmt(m.upper)}]` : '';
  const level = m.confidenceLevel !== null ? ` (${Math.round(m.confidenceLevel * 100)}%)` : '';
  return [
    m.name,
    m.group ? `${m.group.attribute} = ${m.group.value}` : 'overall',
    fmt(m.value),
    ci ? `${ci}${level}` : '',
    m.dataset ?? '',
    m.evidenceId ? `${m.evidenceId}${m.sha256 ? ` (sha256 ${m.sha256.slice(0, 12)}…)` : ''}` : '',
  ];
}

/** Structured parts of a card section as [heading, rows] tables or lists. */
type Block =
  | { kind: 'list'; label: string; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | {
      kind: 'fields';
      fields: [string, string | null][];
    };

function cardBlocks(c: ModelCardContent, key: (typeof CARD_SECTIONS)[number]['key']): Block[] {
  switch (key) {
    case 'intendedUse':
      return [{ kind: 'list', label: 'Intended users', items: c.intendedUse.users }];
    case 'outOfScopeUses':
      return [{ kind: 'list', label: 'Out of scope', items: c.outOfScopeUses.items }];
    case 'modelDetails':
      return [
        {
          kind: 'fields',
          fields: [
            ['Architecture', c.modelDetails.architecture],
            ['Training procedure', c.modelDetails.trainingProcedure],
          ],
        },
        {
          kind: 'table',
          head: ['Hyper-parameter', 'Value'],
          rows: c.modelDetails.hyperparameters.map((h) => [h.key, h.value]),
        },
      ];
    case 'data':
      return [
        {
          kind: 'table',
          head: ['Use', 'Dataset', 'Inventory id', 'Note'],
          rows: [
            ...c.data.training.map((d) => ['training', d.name, d.id ?? '', d.note ?? '']),
            ...c.data.evaluation.map((d) => ['evaluation', d.name, d.id ?? '', d.note ?? '']),
          ],
        },
      ];
    case 'evaluation':
      return [
        {
          kind: 'table',
          head: ['Metric', 'Group', 'Value', 'Confidence interval', 'Dataset', 'Evidence'],
          rows: c.evaluation.metrics.map(metricRow),
        },
        {
          kind: 'list',
          label: 'Evidence cited',
          items: c.evaluation.evidence.map((e) => `${e.evidenceId}${e.sha256 ? ` sha256:${e.sha256}` : ''}`),
        },
      ];
    case 'humanOversight':
      return [
        {
          kind: 'fields',
          fields: [
            ['Reviewers', c.humanOversight.reviewers],
            ['Decisions reviewed', c.humanOversight.reviewedDecisions],
            ['How to override', c.humanOversight.overrideProcess],
          ],
        },
      ];
    case 'assumptions':
      return [{ kind: 'list', label: 'Assumptions', items: c.assumptions.items }];
    case 'limitations':
      return [{ kind: 'list', label: 'Limitations', items: c.limitations.items }];
    case 'risks':
      return [
        {
          kind: 'table',
          head: ['Risk', 'Mitigation'],
          rows: c.risks.items.map((r) => [r.risk, r.mitigation]),
        },
      ];
    case 'monitoring':
      return [
        { kind: 'fields', fields: [['Frequency', c.monitoring.frequency]] },
        { kind: 'list', label: 'Monitored metrics', items: c.monitoring.metrics },
      ];
    case 'changeLog':
      return [
        { kind: 'fields', fields: [['Previous version', c.changeLog.previousVersion]] },
        { kind: 'list', label: 'Changes', items: c.changeLog.items },
      ];
    default:
      return [];
  }
}

function datasheetBlocks(c: DatasheetContent, key: (typeof DATASHEET_SECTIONS)[number]['key']): Block[] {
  if (key === 'composition')
    return [
      {
        kind: 'fields',
        fields: [['Rows', c.composition.rowCount === null ? null : String(c.composition.rowCount)]],
      },
      { kind: 'list', label: 'Columns', items: c.composition.columns },
    ];
  if (key === 'piiAndRetention')
    return [
      {
        kind: 'fields',
        fields: [
          [
            'Contains personal data',
            c.piiAndRetention.containsPii === null ? null : c.piiAndRetention.containsPii ? 'yes' : 'no',
          ],
          ['Retention', c.piiAndRetention.retention],
        ],
      },
      { kind: 'list', label: 'Personal-data columns', items: c.piiAndRetention.piiColumns },
    ];
  return [];
}

function blocksMd(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'list' && b.items.length) {
      out.push(`**${b.label}**\n`, ...b.items.map((i) => `- ${cell(i)}`), '');
    } else if (b.kind === 'table' && b.rows.length) {
      out.push(`| ${b.head.join(' | ')} |`, `| ${b.head.map(() => '---').join(' | ')} |`);
      for (const r of b.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
      out.push('');
    } else if (b.kind === 'fields') {
      const set = b.fields.filter(([, v]) => v !== null && v !== '');
      if (set.length) out.push(...set.map(([k, v]) => `- **${k}:** ${cell(v)}`), '');
    }
  }
  return out.join('\n');
}

function blocksHtml(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'list' && b.items.length) {
      out.push(
        `<p class="label">${escapeHtml(b.label)}</p><ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`,
      );
    } else if (b.kind === 'table' && b.rows.length) {
      out.push(
        `<table><thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
          .map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
    } else if (b.kind === 'fields') {
      const set = b.fields.filter(([, v]) => v !== null && v !== '');
      if (set.length)
        out.push(
          `<dl>${set.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v ?? '')}</dd>`).join('')}</dl>`,
        );
    }
  }
  return out.join('\n');
}

function completenessMd(c: Completeness | undefined): string {
  if (!c) return '';
  const head = `> Completeness for Tier ${c.tier ?? '1 (untiered)'} under policy v${c.policyVersion}: **${c.score}/100**, ${c.passes ? 'passes' : `${c.gaps.length} gap(s)`}`;
  return [head, ...c.gaps.map((g) => `> - ${g.section}: ${g.message} (${g.code})`), ''].join('\n');
}

function completenessHtml(c: Completeness | undefined): string {
  if (!c) return '';
  return `<section class="completeness ${c.passes ? 'ok' : 'gaps'}"><p>Completeness for Tier ${escapeHtml(
    String(c.tier ?? '1 (untiered)'),
  )} under policy v${c.policyVersion}: <strong>${c.score}/100</strong>, ${
    c.passes ? 'passes' : `${c.gaps.length} gap(s)`
  }</p>${
    c.gaps.length
      ? `<ul>${c.gaps.map((g) => `<li>${escapeHtml(`${g.section}: ${g.message} (${g.code})`)}</li>`).join('')}</ul>`
      : ''
  }</section>`;
}

/** A model card as Markdown. */
export function cardToMarkdown(card: ModelCard, completeness?: Completeness): string {
  const out = [
    `# Model card: ${card.modelName} (${card.modelKey}) version ${card.versionLabel}`,
    '',
    `Revision ${card.revision} (${card.status}), ${card.createdAt} by ${card.createdBy}; content sha256 \`${card.sha256}\`.`,
    '',
    completenessMd(completeness),
  ];
  for (const s of CARD_SECTIONS) {
    const section = card.content[s.key] as { text: string };
    out.push(`## ${s.title}`, '');
    if (section.text.trim()) out.push(section.text.trim(), '');
    const blocks = blocksMd(cardBlocks(card.content, s.key));
    if (blocks) out.push(blocks);
    if (!section.text.trim() && !blocks) out.push('_Not documented._', '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** A datasheet as Markdown. */
export function datasheetToMarkdown(sheet: Datasheet, completeness?: Completeness): string {
  const out = [
    `# Datasheet: ${sheet.datasetName}`,
    '',
    `Revision ${sheet.revision} (${sheet.status}), ${sheet.createdAt} by ${sheet.createdBy}; content sha256 \`${sheet.sha256}\`.`,
    '',
    completenessMd(completeness),
  ];
  for (const s of DATASHEET_SECTIONS) {
    const section = sheet.content[s.key] as { text: string };
    out.push(`## ${s.title}`, '');
    if (section.text.trim()) out.push(section.text.trim(), '');
    const blocks = blocksMd(datasheetBlocks(sheet.content, s.key));
    if (blocks) out.push(blocks);
    if (!section.text.trim() && !blocks) out.push('_Not documented._', '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

const CSS = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#57606a;font-size:.85rem}.label{font-weight:600;margin-bottom:.2rem}.empty{color:#8c959f;font-style:italic}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.completeness{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem}.completeness.ok{border-color:#1a7f37}.completeness.gaps{border-color:#cf222e}
code{font-size:.85em}pre{background:#f6f8fa;padding:.5rem;overflow:auto}@media print{body{margin:0;max-width:none}}`;

function page(title: string, meta: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="meta">${escapeHtml(meta)}</p>
${body}
</body></html>
`;
}

/** A model card as one self-contained HTML page. */
export function cardToHtml(card: ModelCard, completeness?: Completeness): string {
  const parts = [completenessHtml(completeness)];
  for (const s of CARD_SECTIONS) {
    const section = card.content[s.key] as { text: string };
    const text = markdownToSafeHtml(section.text);
    const blocks = blocksHtml(cardBlocks(card.content, s.key));
    parts.push(
      `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${text}${blocks}${
        !text && !blocks ? '<p class="empty">Not documented.</p>' : ''
      }</section>`,
    );
  }
  return page(
    `Model card: ${card.modelName} (${card.modelKey}) version ${card.versionLabel}`,
    `Revision ${card.revision} (${card.status}), ${card.createdAt} by ${card.createdBy}; content sha256 ${card.sha256}`,
    parts.join('\n'),
  );
}

/** A datasheet as one self-contained HTML page. */
export function datasheetToHtml(sheet: Datasheet, completeness?: Completeness): string {
  const parts = [completenessHtml(completeness)];
  for (const s of DATASHEET_SECTIONS) {
    const section = sheet.content[s.key] as { text: string };
    const text = markdownToSafeHtml(section.text);
    const blocks = blocksHtml(datasheetBlocks(sheet.content, s.key));
    parts.push(
      `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${text}${blocks}${
        !text && !blocks ? '<p class="empty">Not documented.</p>' : ''
      }</section>`,
    );
  }
  return page(
    `Datasheet: ${sheet.datasetName}`,
    `Revision ${sheet.revision} (${sheet.status}), ${sheet.createdAt} by ${sheet.createdBy}; content sha256 ${sheet.sha256}`,
    parts.join('\n'),
  );
}
