import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelLineage } from '../../web/src/app/api.ts';
import { capabilitiesOf } from '../../web/src/app/capabilities.ts';
import { listQueryOf } from '../../web/src/app/inventory-adapters.ts';
import { toValidationReport } from '../../web/src/app/report-adapter.ts';
import { matchPath } from '../../web/src/app/router.tsx';
import { csvCell, toCsv } from '../../web/src/inventory/csv-export.ts';
import {
  DEFAULT_COLUMNS,
  toggleSort,
  viewFromQuery,
  viewToQuery,
} from '../../web/src/inventory/inventory-view.ts';
import { lineageGraphOf } from '../../web/src/model/lineage-graph-data.ts';

/** Parses one CSV line the way a spreadsheet would (quotes, doubled quotes). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe('CSV export', () => {
  it('neutralises formula-like cells', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
      const cell = csvCell(evil);
      const value = parseCsvLine(cell)[0]!;
      expect(value.startsWith("'"), evil).toBe(true);
      expect(value.slice(1)).toBe(evil);
    }
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(['a', 'b'])).toBe('a; b');
  });

  it('round-trips any single-line text through quoting', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !/[\r\n]/.test(s)),
          { minLength: 1, maxLength: 5 },
        ),
        (cells) => {
          const line = cells.map(csvCell).join(',');
          const back = parseCsvLine(line).map((v, i) => (/^[=+\-@\t]/.test(cells[i]!) ? v.slice(1) : v));
          expect(back).toEqual(cells);
        },
      ),
    );
  });

  it('writes a header row and one CRLF line per row', () => {
    const csv = toCsv([{ header: 'Name', value: (r: { n: string }) => r.n }], [{ n: 'a,b' }, { n: 'c' }]);
    expect(csv).toBe('Name\r\n"a,b"\r\nc\r\n');
  });
});

describe('inventory view in the URL', () => {
  const known = [...DEFAULT_COLUMNS, 'tags', 'vendor'];
  it('round-trips filters, sort and columns', () => {
    const q = new URLSearchParams(
      'q=credit&status=production&tier=tier1&vendor=true&sort=-name&cols=name,tags,vendor',
    );
    const view = viewFromQuery(q, known);
    expect(view).toMatchObject({
      q: 'credit',
      status: 'production',
      tier: 'tier1',
      vendor: 'true',
      sort: '-name',
    });
    expect(view.columns).toEqual(['name', 'tags', 'vendor']);
    const back = new URLSearchParams();
    for (const [k, v] of Object.entries(viewToQuery(view))) if (v) back.set(k, v);
    expect(viewFromQuery(back, known)).toEqual(view);
  });

  it('drops unknown columns and bad flags, keeps URLs short for defaults', () => {
    const view = viewFromQuery(new URLSearchParams('cols=name,evil&genai=maybe'), known);
    expect(view.columns).toEqual(['name']);
    expect(view.genai).toBe('');
    const defaults = viewToQuery(viewFromQuery(new URLSearchParams(), known));
    expect(Object.values(defaults).every((v) => v === null)).toBe(true);
  });

  it('toggles sort direction on the same key and starts ascending on a new one', () => {
    expect(toggleSort('name', 'name')).toBe('-name');
    expect(toggleSort('-name', 'name')).toBe('name');
    expect(toggleSort('-name', 'tier')).toBe('tier');
  });
});

describe('routes', () => {
  it('matches and decodes parameters', () => {
    expect(matchPath('/models/:key', '/models/credit%2Fpd')).toEqual({ key: 'credit/pd' });
    expect(matchPath('/models/:key', '/models/a/versions')).toBeNull();
    expect(matchPath('/models/:key/versions/:label/report', '/models/a/versions/1.2/report')).toEqual({
      key: 'a',
      label: '1.2',
    });
  });
});

describe('role capabilities', () => {
  it('gives an auditor no action at all, whatever the token scope', () => {
    for (const scope of ['read', 'write', 'admin'] as const) {
      const can = capabilitiesOf('auditor', scope);
      const reads = ['readAudit', 'viewPolicy', 'readReconciliation'];
      const actions = Object.entries(can).filter(([k]) => !reads.includes(k));
      expect(
        actions.every(([, v]) => v === false),
        scope,
      ).toBe(true);
    }
  });
  it('never offers writes through a read token', () => {
    const can = capabilitiesOf('admin', 'read');
    expect(can.createModel || can.editInventory || can.decide || can.manageUsers).toBe(false);
  });
  it('lets approvers decide but not validate, and validators the reverse', () => {
    expect(capabilitiesOf('approver', 'write')).toMatchObject({ decide: true, validate: false });
    expect(capabilitiesOf('validator', 'write')).toMatchObject({ decide: false, validate: true });
  });
});

describe('lineage graph', () => {
  const lineage: ModelLineage = {
    datasets: [
      { id: 'd1', name: 'raw', role: 'reference', sha256: null, containsPii: true, derivedFrom: [] },
      { id: 'd2', name: 'clean', role: 'training', sha256: null, containsPii: false, derivedFrom: ['d1'] },
      { id: 'd3', name: 'test', role: 'test', sha256: null, containsPii: false, derivedFrom: ['d1', 'd3'] },
    ],
    versions: [
      {
        label: '1.0',
        status: 'approved',
        frozen: true,
        createdAt: '2026-01-01T00:00:00Z',
        createdBy: 'ana',
        changeSummary: null,
        materialChange: false,
        artifactUri: null,
        artifactSha256: null,
        codeRef: null,
        trainingDatasets: ['clean'],
        evaluationDatasets: ['d3'],
        deployments: [
          {
            id: 'p1',
            environment: 'production',
            endpoint: null,
            startedAt: '2026-01-02T00:00:00Z',
            endedAt: null,
          },
        ],
      },
    ],
  };
  it('places ancestors left of the datasets, the version next, deployments last; cuts cycles', () => {
    const { nodes, edges } = lineageGraphOf(lineage, '1.0');
    const layer = (id: string) => nodes.find((n) => n.id === id)!.layer;
    expect(layer('d1')).toBeLessThan(layer('d2'));
    expect(layer('d2')).toBeLessThan(layer('version:1.0'));
    expect(layer('version:1.0')).toBeLessThan(layer('deployment:p1'));
    expect(edges).toContainEqual({ from: 'd1', to: 'd2' });
    expect(edges.filter((e) => e.from === 'd1' && e.to === 'd3')).toHaveLength(1);
    expect(new Set(edges.map((e) => `${e.from}>${e.to}`)).size).toBe(edges.length);
  });
  it('is empty for an unknown version', () => {
    expect(lineageGraphOf(lineage, 'nope').nodes).toEqual([]);
  });
});

describe('inventory list query', () => {
  it('maps the console sort to the API sort and order, and drops what the API cannot filter by', () => {
    expect(listQueryOf({ sort: '-updatedAt', tier: '2', vendor: false, q: 'credit' })).toEqual({
      sort: 'updatedAt',
      order: 'desc',
      tier: 2,
      vendor: false,
      q: 'credit',
    });
    expect(listQueryOf({ sort: 'owner', tier: 'tier1' })).toEqual({});
    expect(listQueryOf({ sort: 'name' })).toEqual({ sort: 'name', order: 'asc' });
  });
});

describe('validation report view', () => {
  const doc = {
    schema: 'assay.validation/v1' as const,
    engine: { name: 'assay' as const, version: '0.1.0' },
    created_at: '2026-11-20T10:00:00Z',
    inputs: [{ role: 'data' as const, path: 'x.csv', sha256: 'a'.repeat(64), rows: 6032, columns: [] }],
    config: {
      label: 'y',
      score: 's',
      prediction: null,
      task: 'binary' as const,
      threshold: 0.5,
      positive_label: '1',
      weight: null,
      groups: ['sex'],
      features: [],
      categorical: [],
      min_group_size: 30,
    },
    performance: {
      task: 'binary' as const,
      label: 'y',
      score: 's',
      prediction: null,
      multiclass: null,
      mean_absolute_error: null,
      mean_squared_error: null,
      root_mean_squared_error: null,
      r2: null,
      mean_absolute_percentage_error: null,
      positive_label: '1',
      threshold: 0.5,
      weight: null,
      count: 6032,
      accuracy: 0.85,
      balanced_accuracy: null,
      precision: 0.7,
      recall: 0.6,
      f1: 0.65,
      roc_auc: 0.9,
      average_precision: 0.8,
      log_loss: 0.3,
      brier_score: 0.1,
      ece: 0.02,
      confusion_matrix: { tn: 1, fp: 2, fn: 3, tp: 4 },
      calibration_curve: { bin: [0, 1], prob_true: [0.05, 0.2], prob_pred: [0.04, 0.15], count: [10, 20] },
      roc_curve: null,
      precision_recall_curve: null,
      note: null,
    },
    fairness: {
      sex: {
        groups: {
          Female: {
            count: 1960,
            selection_rate: 0.11,
            true_positive_rate: null,
            false_positive_rate: null,
            accuracy: null,
            impact_ratio: 0.74,
            too_small: false,
          },
          Male: {
            count: 4072,
            selection_rate: 0.149,
            true_positive_rate: null,
            false_positive_rate: null,
            accuracy: null,
            impact_ratio: 1,
            too_small: false,
          },
        },
        demographic_parity_difference: 0.039,
        demographic_parity_ratio: 0.74,
        equalized_odds_difference: null,
        equalized_odds_ratio: null,
        equal_opportunity_difference: null,
        four_fifths_violation: true,
        small_groups: [],
        min_group_size: 30,
        four_fifths_threshold: 0.8,
      },
    },
    drift: null,
    data_quality: null,
    suggested_findings: null,
    judged_by: null,
  };
  it('keeps defined metrics only, the calibration bins, and the four-fifths disparity per group column', () => {
    const r = toValidationReport(doc, { modelKey: 'm', versionLabel: '1.0', sha256: null });
    expect(r.metrics.map((m) => m.name)).not.toContain('Balanced accuracy');
    expect(r.metrics.find((m) => m.name === 'ROC AUC')?.value).toBe(0.9);
    expect(r.calibration).toEqual([
      { predicted: 0.04, observed: 0.05, count: 10 },
      { predicted: 0.15, observed: 0.2, count: 20 },
    ]);
    expect(r.groups[0]).toMatchObject({ attribute: 'sex', disparity: 0.74, threshold: 0.8 });
    expect(r.groups[0]!.rows.map((g) => g.group)).toEqual(['Female', 'Male']);
    expect(r.datasetRows).toBe(6032);
  });
});
