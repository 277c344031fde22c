import { describe, expect, it } from 'vitest';
import { fullCard, SHA } from '../../../../test/support/documentation-cards.ts';
import {
  DATASHEET_SCHEMA,
  type Datasheet,
  datasheetContentSchema,
  MODEL_CARD_SCHEMA,
  type ModelCard,
  modelCardContentSchema,
} from '../../../contracts/documentation.ts';
import type { Dataset } from '../../../contracts/inventory.ts';
import { type CycloneDxDataset, cardToCycloneDx } from './cyclonedx.ts';
import { cycloneDxErrors } from './cyclonedx-schema.ts';

const card = (content = fullCard()): ModelCard => ({
  schema: MODEL_CARD_SCHEMA,
  id: 'card_01',
  modelKey: 'retail-credit-pd',
  modelName: 'Retail credit PD',
  versionLabel: '4.0',
  revision: 3,
  status: 'published',
  note: null,
  content,
  sha256: 'c'.repeat(64),
  createdBy: 'olivia',
  createdAt: '2026-03-01T10:00:00.000Z',
});

const dataset: Dataset = {
  id: 'ds_01',
  name: 'loans-train',
  role: 'training',
  locationUri: 's3://bank/loans/train.parquet',
  sha256: 'd'.repeat(64),
  schema: [
    { name: 'income', type: 'DOUBLE' },
    { name: 'name', type: 'VARCHAR' },
  ],
  rowCount: 120_000,
  owner: 'dana',
  containsPii: true,
  piiColumns: ['name'],
  derivedFrom: [],
  retentionNote: '7 years after the loan ends',
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  rowVersion: 1,
};

const datasheet: Datasheet = {
  schema: DATASHEET_SCHEMA,
  id: 'sheet_01',
  datasetId: 'ds_01',
  datasetName: 'loans-train',
  revision: 2,
  status: 'published',
  note: null,
  content: datasheetContentSchema.parse({
    motivation: { text: 'Collected to model default risk.' },
    composition: { text: 'One row per application.', rowCount: 120_000, columns: ['income', 'name'] },
    collection: { text: 'Loan origination system.' },
    piiAndRetention: {
      text: 'Names are personal data.',
      containsPii: true,
      piiColumns: ['name'],
      retention: '7 years',
    },
  }),
  sha256: 'e'.repeat(64),
  createdBy: 'dana',
  createdAt: '2026-02-01T00:00:00.000Z',
};

function build(content = fullCard()) {
  const datasets = new Map<string, CycloneDxDataset>([['ds_01', { record: dataset, datasheet }]]);
  return cardToCycloneDx({
    card: card(content),
    model: {
      name: 'Retail credit PD',
      type: 'classification',
      description: 'PD model',
      tags: ['credit'],
      tier: 1,
      status: 'production',
      vendor: false,
      vendorName: null,
      links: { repository: 'https://git.example.org/pd' },
    },
    version: {
      artifactUri: 's3://bank/models/pd-4.0.pkl',
      artifactSha256: 'f'.repeat(64),
      codeRepo: 'https://git.example.org/pd',
      codeCommit: 'abc1234',
      registryRef: 'mlflow:pd/4',
    },
    datasets,
    tool: { name: 'assay', version: '0.1.0' },
  });
}

type Bom = {
  serialNumber: string;
  components: {
    type: string;
    'bom-ref': string;
    name: string;
    modelCard?: {
      modelParameters: {
        task: string;
        approach: { type: string };
        modelArchitecture: string;
        datasets: { ref: string }[];
      };
      quantitativeAnalysis: {
        performanceMetrics: { type: string; value?: string; slice?: string; confidenceInterval?: unknown }[];
      };
      considerations: Record<string, unknown>;
      properties: { name: string; value: string }[];
    };
    data?: Record<string, unknown>[];
    properties?: { name: string; value: string }[];
  }[];
  dependencies: { ref: string; dependsOn: string[] }[];
};

describe('CycloneDX 1.6 ML-BOM export', () => {
  it('validates against the official CycloneDX 1.6 JSON schema', () => {
    const bom = build();
    expect(cycloneDxErrors(bom)).toEqual([]);
    // An empty card, with no model or version facts, is valid too.
    const empty = cardToCycloneDx({
      card: card(modelCardContentSchema.parse({})),
      tool: { name: 'assay', version: '0' },
    });
    expect(cycloneDxErrors(empty)).toEqual([]);
  });

  it('the validator refuses what the schema refuses (so the test above can fail)', () => {
    const bom = build() as unknown as Bom;
    bom.components[0]!.type = 'ml-model';
    expect(cycloneDxErrors(bom).join('\n')).toMatch(
      /\/components\/0\/type must be equal to one of the allowed values/,
    );
    const extra = build() as unknown as Bom;
    (extra.components[0]!.modelCard!.considerations as Record<string, unknown>).outOfScope = ['x'];
    expect(cycloneDxErrors(extra).join('\n')).toMatch(/must NOT have additional properties \(outOfScope\)/);
    const serial = build() as unknown as Bom;
    serial.serialNumber = 'not-a-uuid';
    expect(cycloneDxErrors(serial).join('\n')).toMatch(/serialNumber must match pattern/);
  });

  it('carries the model card: parameters, datasets, metrics, considerations', () => {
    const bom = build() as unknown as Bom;
    const [model, ...data] = bom.components;
    expect(model!.type).toBe('machine-learning-model');
    expect(model!['bom-ref']).toBe('model:retail-credit-pd@4.0');
    const mc = model!.modelCard!;
    expect(mc.modelParameters).toMatchObject({
      task: 'classification',
      approach: { type: 'supervised' },
      modelArchitecture: 'XGBoost, 400 trees\nmax depth 6',
      datasets: [{ ref: 'dataset:ds_01' }, { ref: 'dataset:loans-holdout' }, { ref: 'dataset:external' }],
    });
    expect(mc.quantitativeAnalysis.performanceMetrics[0]).toEqual({
      type: 'roc_auc',
      value: '0.8123456789',
      slice: 'loans-holdout',
      confidenceInterval: { lowerBound: '0.79', upperBound: '0.83' },
    });
    expect(mc.quantitativeAnalysis.performanceMetrics[1]).toEqual({
      type: 'log_loss',
      slice: 'loans-holdout',
    });
    expect(mc.quantitativeAnalysis.performanceMetrics[2]).toEqual({
      type: 'selection_rate',
      value: '0.3',
      slice: 'loans-holdout: sex=female',
    });
    expect(mc.considerations).toEqual({
      users: ['Credit officers', 'Risk analysts\nin the second line'],
      useCases: ['Supports credit officers.\n\n- a list in the text\n- second'],
      technicalLimitations: ['Thin-file applicants', 'Not validated before 2019'],
      ethicalConsiderations: [
        { name: 'Population drift', mitigationStrategy: 'Monthly PSI\n- Mitigation: not a marker' },
        { name: 'Proxy discrimination\n- Mitigation: inside the risk' },
        { name: 'Trailing', mitigationStrategy: ' leading space and trailing newline\n' },
      ],
      fairnessAssessments: [
        { groupAtRisk: 'sex: female, male', harms: 'Selection rates by sex.' },
        { groupAtRisk: 'age band: a=b', harms: 'Selection rates by sex.' },
      ],
    });
    const cardProps = Object.fromEntries(mc.properties.map((p) => [p.name, p.value]));
    expect(cardProps['assay:card:hyperparameter:max_depth']).toBe('6');
    expect(cardProps['assay:card:humanOversight:reviewers']).toBe('Senior credit officers');
    expect(cardProps['assay:card:monitoring:frequency']).toBe('monthly');
    // Evidence as external references with their hashes.
    expect(JSON.stringify(model)).toContain('"url":"urn:assay:evidence:ev_1"');
    expect(JSON.stringify(model)).toContain(SHA);

    // The registered dataset carries its datasheet; the others are named only.
    const train = data.find((d) => d['bom-ref'] === 'dataset:ds_01')!;
    expect(train.type).toBe('data');
    expect(train.data![0]).toMatchObject({
      type: 'dataset',
      name: 'loans-train',
      classification: 'personal data (PII)',
      sensitiveData: ['column name: personal data'],
      governance: { owners: [{ contact: { name: 'dana' } }] },
      contents: { url: 's3://bank/loans/train.parquet' },
    });
    const trainProps = Object.fromEntries(train.properties!.map((p) => [p.name, p.value]));
    expect(trainProps).toMatchObject({
      'assay:dataset:usage': 'training',
      'assay:datasheet:revision': '2',
      'assay:datasheet:collection': 'Loan origination system.',
      'assay:datasheet:retention': '7 years',
    });
    const holdout = data.find((d) => d['bom-ref'] === 'dataset:loans-holdout')!;
    expect(holdout.properties).toContainEqual({
      name: 'assay:dataset:inventory',
      value: 'not in the inventory',
    });
    expect(bom.dependencies[0]).toEqual({
      ref: 'model:retail-credit-pd@4.0',
      dependsOn: ['dataset:ds_01', 'dataset:loans-holdout', 'dataset:external'],
    });
  });

  it('is deterministic: the same revision gives the same bytes and serial number', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
    const other = fullCard();
    other.overview.text = 'changed';
    expect((build(other) as { serialNumber: string }).serialNumber).not.toBe(
      (build() as { serialNumber: string }).serialNumber,
    );
  });
});
