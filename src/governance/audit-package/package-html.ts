import type { EntityState } from './package-state.ts';

/** What index.html shows. */
export interface IndexContent {
  title: string;
  createdAt: string;
  createdBy: string;
  version: string | null;
  asOf: string | null;
  keyId: string;
  model: Record<string, unknown> | null;
  versions: EntityState[];
  evidence: { state: Record<string, unknown>; path: string | null }[];
  reviews: { state: Record<string, unknown>; checklist: Record<string, unknown> | null }[];
  findings: EntityState[];
  decisions: EntityState[];
  acceptances: EntityState[];
  tiering: EntityState[];
  documents: { label: string; html: string; json: string }[];
  /** SPDX 3.0.1 and Croissant 1.0 documents (package-standard-exports.ts). */
  standard: { label: string; path: string }[];
  eventCount: number;
  events: { seq: number; at: string; actor: string; action: string; entity: string }[];
  files: string[];
}

/** Rows of the event table shown in the HTML (the rest is in the events file). */
export const HTML_EVENT_ROWS = 2000;

function esc(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c) => `<td>${typeof c === 'object' && c && 'html' in c ? (c as { html: string }).html : esc(c)}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const link = (href: string, text: string) => ({ html: `<a href="${esc(href)}">${esc(text)}</a>` });
const code = (text: unknown) => ({ html: `<code>${esc(text)}</code>` });

/** One readable, self-contained page (no scripts, no external resources) over the package's records. */
export function renderIndexHtml(c: IndexContent): string {
  const m = c.model ?? {};
  const s = (e: EntityState) => e.state;
  const sections = [
    `<h1>Audit package: ${esc(c.title)}</h1>
<p>Built ${esc(c.createdAt)} by ${esc(c.createdBy)}${c.version ? `; version <b>${esc(c.version)}</b> only` : ''}${
      c.asOf ? `; state <b>as of ${esc(c.asOf)}</b>` : ''
    }. Signed with key <code>${esc(c.keyId)}</code>. Check it offline with <code>assay verify-package FILE.zip</code>; <a href="manifest.json">manifest.json</a> lists every file with its SHA-256.</p>`,
    `<h2>Model</h2>${table(
      ['key', 'name', 'status', 'tier', 'owner', 'purpose'],
      [[m.key, m.name, m.status, m.tier, m.owner, m.purpose]],
    )}`,
    `<h2>Versions</h2>${table(
      ['label', 'status', 'artifact sha256', 'training datasets', 'evaluation datasets'],
      c.versions
        .map(s)
        .map((v) => [
          v.label,
          v.status,
          code(v.artifactSha256),
          v.trainingDatasetIds,
          v.evaluationDatasetIds,
        ]),
    )}`,
    `<h2>Tiering</h2>${table(
      ['entity', 'state', 'as recorded'],
      c.tiering.map((t) => [t.entityType, t.state, `${t.source.action} at ${t.source.at}`]),
    )}`,
    `<h2>Model card and datasheets</h2>${table(
      ['document', 'HTML', 'JSON'],
      c.documents.map((d) => [d.label, link(d.html, d.html), link(d.json, d.json)]),
    )}`,
    `<h2>Standard exports</h2>${table(
      ['document', 'file'],
      c.standard.map((d) => [d.label, link(d.path, d.path)]),
    )}`,
    `<h2>Evidence</h2>${table(
      ['version', 'type', 'title', 'file', 'sha256', 'bytes', 'uploaded by', 'created', 'superseded'],
      c.evidence.map(({ state: e, path }) => {
        const f = (e.file ?? null) as Record<string, unknown> | null;
        return [
          e.versionLabel,
          e.type,
          e.title,
          path
            ? link(path, String(f?.filename ?? path))
            : e.externalUrl
              ? link(String(e.externalUrl), 'external link')
              : '',
          code(f?.sha256 ?? ''),
          f?.size ?? '',
          e.uploadedBy,
          e.createdAt,
          e.superseded ? `yes (${e.supersededAt ?? ''})` : 'no',
        ];
      }),
    )}`,
    `<h2>Reviews and checklists</h2>${table(
      ['version', 'type', 'gate', 'state', 'validator', 'outcome', 'opened', 'checklist'],
      c.reviews.map(({ state: r, checklist }) => [
        r.versionLabel,
        r.type,
        r.gate,
        r.state,
        r.validator,
        r.outcome,
        r.createdAt,
        checklist
          ? {
              html: `${checklist.complete ? 'complete' : 'incomplete'}<ul>${(
                (checklist.items as Record<string, unknown>[]) ?? []
              )
                .map((i) => `<li>${esc(i.evidenceType)}: ${esc(i.status)}</li>`)
                .join('')}</ul>`,
            }
          : 'not reconstructed for an as-of package',
      ]),
    )}`,
    `<h2>Findings</h2>${table(
      ['version', 'severity', 'state', 'title', 'owner', 'due', 'verified by', 'closed'],
      c.findings
        .map(s)
        .map((f) => [
          f.versionLabel,
          f.severity,
          f.state,
          f.title,
          f.owner,
          f.dueAt,
          f.verifiedBy,
          f.closedAt,
        ]),
    )}`,
    `<h2>Decisions, signers and conditions</h2>${table(
      ['version', 'outcome', 'state', 'rationale', 'signatures', 'conditions', 'expires'],
      c.decisions.map(s).map((d) => [
        d.versionLabel,
        d.outcome,
        d.state,
        d.rationale,
        {
          html: `<ul>${((d.signatures as Record<string, unknown>[]) ?? [])
            .map((g) => `<li>${esc(g.signer)} (${esc(g.role)}) ${esc(g.signedAt)}</li>`)
            .join('')}</ul>`,
        },
        {
          html: `<ul>${((d.conditions as Record<string, unknown>[]) ?? [])
            .map(
              (k) =>
                `<li>${esc(k.text)}: owner ${esc(k.owner)}, due ${esc(k.dueAt)}, ${k.met ? `met by ${esc(k.metBy)} ${esc(k.metAt)}` : 'open'}</li>`,
            )
            .join('')}</ul>`,
        },
        d.expiresAt,
      ]),
    )}`,
    `<h2>Risk acceptances</h2>${table(
      ['state', 'findings', 'rationale', 'requested by', 'approved by', 'expires'],
      c.acceptances
        .map(s)
        .map((a) => [a.state, a.findingIds, a.rationale, a.requestedBy, a.approvedBy, a.expiresAt]),
    )}`,
    `<h2>Audit trail</h2><p>${c.eventCount} events in <a href="audit/events.jsonl">audit/events.jsonl</a>, each with the hash that chains it${
      c.eventCount > c.events.length ? `; the first ${c.events.length} are listed here` : ''
    }.</p>${table(
      ['seq', 'at', 'actor', 'action', 'entity'],
      c.events.map((e) => [e.seq, e.at, e.actor, e.action, e.entity]),
    )}`,
    `<h2>Files</h2><ul>${c.files.map((f) => `<li><a href="${esc(f)}">${esc(f)}</a></li>`).join('')}</ul>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audit package: ${esc(c.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d2430}table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}
th,td{border:1px solid #d5dae1;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f2f4f7}code{font-size:12px;word-break:break-all}
.muted{color:#6b7380}ul{margin:0;padding-left:1.2em}</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
