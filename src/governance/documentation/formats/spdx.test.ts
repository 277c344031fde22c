import { describe, expect, it } from 'vitest';
import { fullCard } from '../../../../test/support/documentation-cards.ts';
import {
  DATASHEET_SCHEMA,
  type Datasheet,
  datasheetContentSchema,
  MODEL_CARD_SCHEMA,
  type ModelCard,
} from '../../../contracts/documentation.ts';
import { datasetTypesOf, type SpdxDataset, type SpdxInput, safetyRiskOf, versionToSpdx } from './spdx.ts';
import { spdxErrors, spdxSchemaFiles } from './spdx-schema.ts';

const card: ModelCard = {
  schema: MODEL_CARD_SCHEMA,
  id: 'card_01',
  modelKey: 'retail-credit-pd',
  modelName: 'Retail credit PD',
  versionLabel: '4.0',
  revision: 3,
  status: 'published',
  note: null,
  content: fullCard(),
  sha256: 'c'.repeat(64),
  createdBy: 'olivia',
  createdAt: '2026-03-01T10:00:00.123Z',
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
    collection: { text: 'Loan origination system.' },
    preprocessing: { text: 'Duplicates removed.' },
    uses: { text: 'Credit risk models only.' },
    maintenance: { text: 'Refreshed monthly.' },
    piiAndRetention: { text: 'Names.', containsPii: true, piiColumns: ['name'], retention: '7 years' },
  }),
  sha256: 'e'.repeat(64),
  createdBy: 'dana',
  createdAt: '2026-02-01T00:00:00.000Z',
};

const train: SpdxDataset = {
  record: {
    id: 'ds_01',
    name: 'loans-train',
    role: 'training',
    locationUri: 's3://bank/loans/train.parquet',
    sha256: 'd'.repeat(64),
    schema: [
      { name: 'income', type: 'DOUBLE' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'opened', type: 'DATE' },
    ],
    rowCount: 120_000,
    owner: 'dana',
    containsPii: true,
    piiColumns: ['name'],
    retentionNote: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  datasheet,
};
const holdout: SpdxDataset = {
  record: {
    ...train.record,
    id: 'ds_02',
    name: 'loans-holdout',
    role: 'validation',
    locationUri: null,
    sha256: null,
    schema: null,
    containsPii: false,
    piiColumns: [],
    owner: null,
  },
  datasheet: null,
};

function input(over: Partial<SpdxInput> = {}): SpdxInput {
  return {
    card,
    model: {
      key: 'retail-credit-pd',
      name: 'Retail credit PD',
      description: 'PD model',
      purpose: 'Estimate default probability',
      intendedUse: null,
      type: 'classification',
      owner: 'olivia',
      developers: ['dev1', 'dev2'],
      vendor: false,
      vendorName: null,
      businessUnit: 'Retail Credit',
      tier: 1,
      euAiActClass: 'high_risk',
      tags: ['credit', 'domain:credit risk'],
    },
    version: {
      label: '4.0',
      artifactUri: 's3://bank/models/pd-4.0.pkl',
      artifactSha256: 'f'.repeat(64),
      codeRepo: 'https://git.example.org/pd',
      codeCommit: 'abc1234',
      trainingDatasetIds: ['ds_01'],
      evaluationDatasetIds: ['ds_02', 'ds_01'],
      frozenAt: '2026-03-02T08:00:00.000Z',
      createdBy: 'olivia',
      createdAt: '2026-02-15T00:00:00.000Z',
    },
    datasets: new Map([
      ['ds_01', train],
      ['ds_02', holdout],
    ]),
    tool: { name: 'assay', version: '0.1.0' },
    ...over,
  };
}

type Graph = Record<string, unknown>[];
const graphOf = (doc: Record<string, unknown>) => doc['@graph'] as Graph;
const byType = (doc: Record<string, unknown>, type: string) => graphOf(doc).filter((e) => e.type === type);

describe('SPDX 3.0.1 AI and Dataset profile export', () => {
  it('validates against the SPDX 3.0.1 JSON schema, with every reference resolved', () => {
    expect(spdxErrors(versionToSpdx(input()))).toEqual([]);
    // A version with no card, no datasets and no tiering is valid too.
    const bare = versionToSpdx(
      input({
        card: null,
        model: {
          ...input().model,
          tier: null,
          euAiActClass: null,
          developers: [],
          owner: null,
          tags: [],
          businessUnit: null,
        },
        version: {
          ...input().version,
          trainingDatasetIds: [],
          evaluationDatasetIds: [],
          artifactUri: null,
          artifactSha256: null,
          codeRepo: null,
          frozenAt: null,
        },
        datasets: new Map(),
      }),
    );
    expect(spdxErrors(bare)).toEqual([]);
  });

  it('the validator refuses what the schema refuses (so the test above can fail)', () => {
    const doc = versionToSpdx(input());
    const ai = byType(doc, 'ai_AIPackage')[0]!;
    const broken = (mutate: (d: Record<string, unknown>, ai: Record<string, unknown>) => void) => {
      const d = structuredClone(doc);
      mutate(d, byType(d, 'ai_AIPackage')[0]!);
      return spdxErrors(d);
    };
    expect(ai.ai_safetyRiskAssessment).toBe('high');
    expect(
      broken((_, a) => {
        a.ai_safetyRiskAssessment = 'extreme';
      }).length,
    ).toBeGreaterThan(0);
    expect(
      broken((_, a) => {
        a.ai_unknownField = 'x';
      }).length,
    ).toBeGreaterThan(0);
    expect(
      broken((d) => {
        d['@context'] = 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld';
      }).length,
    ).toBeGreaterThan(0);
    // SPDX dates have whole seconds and a Z.
    expect(
      broken((_, a) => {
        a.builtTime = '2026-02-15T00:00:00.000Z';
      }).length,
    ).toBeGreaterThan(0);
    expect(
      broken((d) => {
        delete (byType(d, 'dataset_DatasetPackage')[0] as Record<string, unknown>).dataset_datasetType;
      }).length,
    ).toBeGreaterThan(0);
    // A reference to an element that is not in the graph.
    expect(
      broken((_, a) => {
        a.suppliedBy = 'urn:assay:user:nobody';
      }),
    ).toEqual(['suppliedBy "urn:assay:user:nobody" names no element of the graph']);
  });

  it('describes the version as an ai_AIPackage with what Assay knows', () => {
    const doc = versionToSpdx(input());
    const info = graphOf(doc)[0]!;
    expect(info).toMatchObject({
      type: 'CreationInfo',
      specVersion: '3.0.1',
      created: '2026-03-01T10:00:00Z',
      createdBy: ['urn:assay:user:olivia'],
    });
    const ai = byType(doc, 'ai_AIPackage')[0]!;
    expect(ai).toMatchObject({
      spdxId: 'urn:assay:model:retail-credit-pd:version:4.0',
      name: 'Retail credit PD',
      software_packageVersion: '4.0',
      software_primaryPurpose: 'model',
      software_downloadLocation: 's3://bank/models/pd-4.0.pkl',
      verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: 'f'.repeat(64) }],
      suppliedBy: 'urn:assay:user:olivia',
      originatedBy: ['urn:assay:user:dev1', 'urn:assay:user:dev2'],
      releaseTime: '2026-03-02T08:00:00Z',
      ai_autonomyType: 'no',
      ai_domain: ['credit risk'],
      ai_safetyRiskAssessment: 'high',
      ai_standardCompliance: ['EU AI Act (Regulation (EU) 2024/1689): high-risk AI system'],
      ai_typeOfModel: ['classification', 'XGBoost, 400 trees\nmax depth 6'],
      ai_useSensitivePersonalInformation: 'yes',
      ai_limitation: 'Known limits.\n\n- Thin-file applicants\n\n- Not validated before 2019',
    });
    const metrics = ai.ai_metric as { key: string; value?: string }[];
    expect(metrics[0]).toEqual({
      type: 'DictionaryEntry',
      key: 'roc_auc [dataset=loans-holdout]',
      value: '0.8123456789 (95% interval 0.79–0.83)',
    });
    // A metric with no value keeps its key; a repeated key is numbered.
    expect(metrics[1]).toEqual({ type: 'DictionaryEntry', key: 'log_loss [dataset=loans-holdout]' });
    expect(metrics.map((m) => m.key)).toContain('roc_auc [dataset=loans-holdout] (2)');
    expect(new Set(metrics.map((m) => m.key)).size).toBe(metrics.length);
    expect((ai.ai_hyperparameter as { key: string }[]).map((h) => h.key)).toEqual([
      'max_depth',
      'eta',
      'objective',
    ]);
    // A hyperparameter named as a threshold is the decision threshold.
    const withThreshold = structuredClone(card);
    withThreshold.content.modelDetails.hyperparameters.push({ key: 'decision_threshold', value: '0.35' });
    const ai2 = byType(versionToSpdx(input({ card: withThreshold })), 'ai_AIPackage')[0]!;
    expect(ai2.ai_metricDecisionThreshold).toEqual([
      { type: 'DictionaryEntry', key: 'decision_threshold', value: '0.35' },
    ]);
  });

  it('describes each dataset as a dataset_DatasetPackage, linked by trainedOn and testedOn', () => {
    const doc = versionToSpdx(input());
    const [t, h] = byType(doc, 'dataset_DatasetPackage');
    expect(t).toMatchObject({
      spdxId: 'urn:assay:dataset:ds_01',
      name: 'loans-train',
      software_primaryPurpose: 'data',
      software_downloadLocation: 's3://bank/loans/train.parquet',
      originatedBy: ['urn:assay:user:dana'],
      dataset_datasetType: ['categorical', 'numeric', 'structured', 'timestamp'],
      dataset_dataCollectionProcess: 'Loan origination system.',
      dataset_intendedUse: 'Credit risk models only.',
      dataset_dataPreprocessing: ['Duplicates removed.'],
      dataset_datasetUpdateMechanism: 'Refreshed monthly.',
      dataset_hasSensitivePersonalInformation: 'yes',
      description: 'Collected to model default risk.',
    });
    expect(t!.comment).toContain('Personal data columns: name.');
    expect(t!.comment).toContain('Rows: 120000.');
    expect(h).toMatchObject({
      name: 'loans-holdout',
      dataset_datasetType: ['noAssertion'],
      dataset_hasSensitivePersonalInformation: 'no',
    });
    expect(h!.software_downloadLocation).toBeUndefined();
    const rels = byType(doc, 'Relationship');
    expect(rels.map((r) => [r.relationshipType, r.to, r.completeness])).toEqual([
      ['trainedOn', ['urn:assay:dataset:ds_01'], 'complete'],
      ['testedOn', ['urn:assay:dataset:ds_01', 'urn:assay:dataset:ds_02'], 'complete'],
    ]);
    const document = byType(doc, 'SpdxDocument')[0]!;
    expect(document.rootElement).toEqual(['urn:assay:model:retail-credit-pd:version:4.0']);
    expect(document.profileConformance).toEqual(['core', 'software', 'ai', 'dataset']);
    expect((document.element as string[]).length).toBe(graphOf(doc).length - 2);
  });

  it('names a dataset the inventory does not hold and marks the relationship incomplete', () => {
    const doc = versionToSpdx(input({ datasets: new Map([['ds_01', train]]) }));
    expect(spdxErrors(doc)).toEqual([]);
    const ai = byType(doc, 'ai_AIPackage')[0]!;
    expect(ai.ai_informationAboutTraining).toContain('not in the inventory): ds_02');
    expect(byType(doc, 'Relationship').map((r) => r.completeness)).toEqual(['incomplete', 'incomplete']);
  });

  it('maps the tier and EU AI Act class to a safety risk level, and column types to dataset types', () => {
    expect(safetyRiskOf(3, 'prohibited')).toBe('serious');
    expect(safetyRiskOf(4, 'high_risk')).toBe('high');
    expect(safetyRiskOf(1, null)).toBe('high');
    expect(safetyRiskOf(2, 'minimal')).toBe('medium');
    expect(safetyRiskOf(3, null)).toBe('low');
    expect(safetyRiskOf(null, 'limited_risk')).toBe('low');
    expect(safetyRiskOf(null, null)).toBeUndefined();
    expect(datasetTypesOf([{ type: 'BIGINT' }, { type: 'TIMESTAMP WITH TIME ZONE' }])).toEqual([
      'numeric',
      'structured',
      'timestamp',
    ]);
    expect(datasetTypesOf(null)).toEqual(['noAssertion']);
    expect(datasetTypesOf([{ type: null }])).toEqual(['structured']);
    // Without inventory columns, the datasheet's `name (TYPE)` list gives the types.
    const sheetOnly: SpdxDataset = {
      record: { ...train.record, schema: null },
      datasheet: {
        ...datasheet,
        content: {
          ...datasheet.content,
          composition: { text: '', rowCount: null, columns: ['age (BIGINT)', 'notes'] },
        },
      },
    };
    const doc = versionToSpdx(input({ datasets: new Map([['ds_01', sheetOnly]]) }));
    expect(byType(doc, 'dataset_DatasetPackage')[0]!.dataset_datasetType).toEqual(['numeric', 'structured']);
  });

  it('uses only terms the SPDX 3.0.1 JSON-LD context defines', () => {
    const { context } = spdxSchemaFiles();
    const terms = new Set(Object.keys(context['@context'] as Record<string, unknown>));
    const doc = versionToSpdx(input());
    const used = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (!k.startsWith('@')) used.add(k);
          if (k === 'type') used.add(x as string);
          walk(x);
        }
    };
    walk(graphOf(doc));
    expect([...used].filter((t) => !terms.has(t))).toEqual([]);
    expect(used.has('ai_AIPackage') && used.has('dataset_DatasetPackage')).toBe(true);
  });
});
