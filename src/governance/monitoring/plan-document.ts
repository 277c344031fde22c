import { createHash } from 'node:crypto';
import { LineCounter, parseDocument } from 'yaml';
import {
  CHECK_METRICS,
  type CheckKind,
  type MonitoringPlanDocument,
  monitoringPlanDocumentSchema,
  type PlanIssue,
  PREDICTION_FEATURE,
} from '../../contracts/monitoring.ts';
import { ValidationError } from '../../platform/errors.ts';
import { expandAliases, issuesFromZod } from '../policy/policy-document.ts';

/** The largest plan text accepted. */
export const MAX_PLAN_BYTES = 256 * 1024;

/** SHA-256 (hex) of a plan's exact text. */
export function planSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A check with every default filled in: what windows are judged by. */
export interface PlanCheck {
  name: string;
  kind: CheckKind;
  metric: string;
  feature: string | null;
  warning: number | null;
  critical: number | null;
  direction: 'above' | 'below';
  forWindows: number;
  minLabelledRows: number;
}

/** Metrics where a low value is bad (p-values and scores where higher is better). */
const LOW_IS_BAD = new Set([
  'ks_pvalue',
  'chi2_pvalue',
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'average_precision',
  'specificity',
  'rows',
]);

/** Metrics that need a feature. */
const NEEDS_FEATURE = new Set(['missing_share', 'new_category_share']);

/** The default direction of a metric: which side of the threshold is bad. */
export function defaultDirection(metric: string): 'above' | 'below' {
  return LOW_IS_BAD.has(metric) ? 'below' : 'above';
}

/** The plan's checks with defaults (name, direction, minimum labelled rows). */
export function planChecks(doc: MonitoringPlanDocument): PlanCheck[] {
  return doc.checks.map((c) => {
    const feature = c.feature ?? null;
    return {
      name:
        c.name ?? `${c.kind}:${feature ?? c.metric}${feature && c.kind !== 'drift' ? `:${c.metric}` : ''}`,
      kind: c.kind,
      metric: c.metric,
      feature,
      warning: c.warning ?? null,
      critical: c.critical ?? null,
      direction: c.direction ?? defaultDirection(c.metric),
      forWindows: c.forWindows,
      minLabelledRows: c.minLabelledRows ?? 100,
    };
  });
}

/** Rules the schema alone cannot say; each problem names its field path. */
function semanticIssues(doc: MonitoringPlanDocument): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const names = new Map<string, number>();
  const checks = planChecks(doc);
  checks.forEach((c, i) => {
    const at = (field: string) => ['checks', i, field];
    if (!CHECK_METRICS[c.kind].includes(c.metric)) {
      out.push({
        path: at('metric'),
        message: `metric '${c.metric}' is not one of ${c.kind}'s: ${CHECK_METRICS[c.kind].join(', ')}`,
      });
    }
    const wantsFeature = (c.kind === 'drift' && c.metric !== 'drift_share') || NEEDS_FEATURE.has(c.metric);
    if (wantsFeature && c.feature === null) {
      out.push({ path: at('metric'), message: `${c.kind} metric '${c.metric}' needs a feature` });
    }
    if (!wantsFeature && c.feature !== null) {
      out.push({ path: at('feature'), message: `${c.kind} metric '${c.metric}' takes no feature` });
    }
    if (c.feature === PREDICTION_FEATURE && c.kind !== 'drift') {
      out.push({ path: at('feature'), message: `'${PREDICTION_FEATURE}' is only for drift checks` });
    }
    if (c.warning === null && c.critical === null) {
      out.push({ path: at('warning'), message: 'give a warning or a critical threshold (or both)' });
    }
    if (c.warning !== null && c.critical !== null) {
      const inverted = c.direction === 'above' ? c.critical < c.warning : c.critical > c.warning;
      if (inverted) {
        out.push({
          path: at('critical'),
          message: `with direction '${c.direction}' the critical threshold must be ${c.direction === 'above' ? 'at least' : 'at most'} the warning threshold`,
        });
      }
    }
    const seen = names.get(c.name);
    if (seen !== undefined) {
      out.push({ path: at('name'), message: `check name '${c.name}' is already used by checks.${seen}` });
    } else names.set(c.name, i);
    if (c.kind === 'estimated_performance' && !doc.columns.score) {
      out.push({ path: at('kind'), message: 'estimated performance (CBPE) needs columns.score' });
    }
    if (c.kind === 'performance' && !doc.columns.score && !doc.columns.prediction) {
      out.push({ path: at('kind'), message: 'performance needs columns.score or columns.prediction' });
    }
    if (c.feature === PREDICTION_FEATURE && !doc.columns.score && !doc.columns.prediction) {
      out.push({
        path: at('feature'),
        message: 'prediction drift needs columns.score or columns.prediction',
      });
    }
  });
  if (doc.columns.score && doc.columns.prediction) {
    out.push({
      path: ['columns', 'prediction'],
      message: 'give columns.score or columns.prediction, not both',
    });
  }
  if (doc.baseline.type === 'fixed' && Date.parse(doc.baseline.from) >= Date.parse(doc.baseline.to)) {
    out.push({ path: ['baseline', 'to'], message: 'the baseline period must end after it starts' });
  }
  if (doc.features) {
    doc.checks.forEach((c, i) => {
      if (c.feature && c.feature !== PREDICTION_FEATURE && !doc.features?.includes(c.feature)) {
        out.push({ path: ['checks', i, 'feature'], message: `'${c.feature}' is not among features` });
      }
    });
  }
  return out;
}

/**
 * Parses and validates a monitoring plan (YAML, of which JSON is a subset). Throws a
 * ValidationError whose message names the first problem's line and field path, and whose details
 * list every problem.
 */
export function parsePlan(text: string): MonitoringPlanDocument {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) {
    throw new ValidationError(`a monitoring plan may be at most ${MAX_PLAN_BYTES / 1024} KiB`, '(document)');
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let issues: PlanIssue[];
  if (doc.errors.length > 0) {
    issues = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return {
        line: pos.line,
        column: pos.col,
        field: '(syntax)',
        message: e.message.split('\n')[0] ?? e.message,
      };
    });
  } else {
    const parsed = monitoringPlanDocumentSchema.safeParse(expandAliases(doc));
    if (parsed.success) {
      const semantic = semanticIssues(parsed.data);
      if (semantic.length === 0) return parsed.data;
      // located like schema problems: the zod issue form gives the same line lookup
      issues = issuesFromZod(doc, lines, {
        issues: semantic.map((s) => ({ code: 'custom', path: s.path, message: s.message, input: undefined })),
      } as never);
    } else {
      issues = issuesFromZod(doc, lines, parsed.error);
    }
  }
  const first = issues[0];
  const where = first ? `line ${first.line ?? '?'}, field ${first.field}` : 'unknown location';
  throw new ValidationError(
    `monitoring plan is invalid at ${where}: ${first?.message ?? 'unknown error'}`,
    first?.field,
    {
      issues,
    },
  );
}
