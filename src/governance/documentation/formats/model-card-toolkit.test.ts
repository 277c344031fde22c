import { describe, expect, it } from 'vitest';
import { cardFromModelCardToolkit } from './model-card-toolkit.ts';

/** A schema 0.0.2 document as the toolkit's `ModelCard.to_json()` writes it. */
const V002 = {
  schema_version: '0.0.2',
  model_details: {
    name: 'Consumer credit scorer',
    overview: 'Scores consumer loan applications for probability of default.',
    documentation: 'Logistic regression on bureau and application features.',
    owners: [{ name: 'Credit Risk Modelling', contact: 'crm@example.org' }],
    version: { name: 'v2.1', date: '2026-02-01', diff: 'Added bureau inquiries feature.' },
    licenses: [{ identifier: 'proprietary' }],
    references: [{ reference: 'https://wiki.example.org/credit-scorer' }],
    citations: [{ style: 'text', citation: 'Credit Risk Modelling (2026)' }],
    path: 'models/credit/scorer',
  },
  model_parameters: {
    model_architecture: 'Logistic regression with WoE binning',
    data: [
      {
        name: 'applications-2019-2024',
        description: 'Training applications',
        sensitive: { sensitive_data: ['age', 'postcode'] },
      },
      {
        name: 'applications-2025',
        description: 'Out-of-time test set',
        link: 'https://data.example.org/a25',
      },
    ],
    input_format: 'one application per row',
    output_format_map: [{ key: 'pd', value: 'probability in [0, 1]' }],
  },
  quantitative_analysis: {
    performance_metrics: [
      {
        type: 'roc_auc',
        value: '0.78',
        slice: 'overall',
        confidence_interval: { lower_bound: '0.76', upper_bound: '0.80' },
      },
      { type: 'selection_rate', value: 0.31, slice: 'sex_female' },
      { type: 'selection_rate', value: 0.36, slice: 'age:65+' },
      { type: 'recall', value: 0.6, threshold: '0.5' },
    ],
    graphics: { collection: [{ name: 'ROC', image: 'iVBORw0KGgo=' }] },
  },
  considerations: {
    users: [{ description: 'Credit officers' }],
    use_cases: [{ description: 'Pre-screening of consumer loans' }],
    limitations: [{ description: 'Thin-file applicants' }, { description: 'Not for business loans' }],
    tradeoffs: [{ description: 'A lower threshold raises recall and declines' }],
    ethical_considerations: [
      { name: 'Postcode may proxy for ethnicity', mitigation_strategy: 'Quarterly disparate-impact review' },
    ],
  },
};

/** A schema 0.0.1 document: plain strings, data as {train, eval}. */
const V001 = {
  schema_version: '0.0.1',
  model_details: {
    name: 'Fraud detector',
    overview: 'Flags card transactions for review.',
    version: { name: 'v1.0', date: '08/28/2025' },
    license: 'Apache-2.0',
    references: ['https://example.org/fraud'],
    citation: 'Fraud team',
  },
  model_parameters: {
    data: {
      train: { name: 'tx-2024', graphics: {} },
      eval: { name: 'tx-2025q1', graphics: { collection: [] } },
    },
  },
  considerations: {
    users: ['Fraud analysts'],
    use_cases: ['Real-time transaction screening'],
    limitations: ['New merchants'],
  },
};

describe('Model Card Toolkit import', () => {
  it('maps a 0.0.2 document onto the card sections', () => {
    const { content, metadata, warnings } = cardFromModelCardToolkit(V002);
    expect(metadata).toEqual({
      modelName: 'Consumer credit scorer',
      version: 'v2.1',
      schemaVersion: '0.0.2',
    });
    expect(warnings).toEqual([]);
    expect(content.overview.text).toMatch(/^Scores consumer loan applications/);
    expect(content.overview.text).toContain('- Credit Risk Modelling (crm@example.org)');
    expect(content.overview.text).toContain('**Licenses:**\n\n- proprietary');
    expect(content.overview.text).toContain('https://wiki.example.org/credit-scorer');
    expect(content.modelDetails.text).toBe(
      'Logistic regression on bureau and application features.\n\nInput format: one application per row\n\nOutput pd: probability in [0, 1]',
    );
    expect(content.modelDetails.architecture).toBe('Logistic regression with WoE binning');
    expect(content.data.training).toEqual([
      {
        name: 'applications-2019-2024',
        id: null,
        note: 'Training applications\nSensitive data: age, postcode',
      },
    ]);
    expect(content.data.evaluation).toEqual([
      {
        name: 'applications-2025',
        id: null,
        note: 'Out-of-time test set\nLink: https://data.example.org/a25',
      },
    ]);
    expect(content.evaluation.metrics).toEqual([
      {
        name: 'roc_auc',
        value: 0.78,
        lower: 0.76,
        upper: 0.8,
        confidenceLevel: null,
        group: null,
        dataset: 'applications-2025',
        evidenceId: null,
        sha256: null,
      },
      expect.objectContaining({
        name: 'selection_rate',
        value: 0.31,
        group: { attribute: 'sex', value: 'female' },
      }),
      expect.objectContaining({
        name: 'selection_rate',
        value: 0.36,
        group: { attribute: 'age', value: '65+' },
      }),
      expect.objectContaining({ name: 'recall @ threshold 0.5', value: 0.6, group: null }),
    ]);
    expect(content.intendedUse).toEqual({
      text: '- Pre-screening of consumer loans',
      users: ['Credit officers'],
    });
    expect(content.limitations).toEqual({
      text: '**Trade-offs:**\n\n- A lower threshold raises recall and declines',
      items: ['Thin-file applicants', 'Not for business loans'],
    });
    expect(content.risks.items).toEqual([
      { risk: 'Postcode may proxy for ethnicity', mitigation: 'Quarterly disparate-impact review' },
    ]);
    expect(content.changeLog.text).toBe('Added bureau inquiries feature.');
  });

  it('maps a 0.0.1 document (plain strings, data by train / eval) and JSON text', () => {
    const { content, metadata } = cardFromModelCardToolkit(JSON.stringify(V001));
    expect(metadata.schemaVersion).toBe('0.0.1');
    expect(content.data.training.map((d) => d.name)).toEqual(['tx-2024']);
    expect(content.data.evaluation.map((d) => d.name)).toEqual(['tx-2025q1']);
    expect(content.intendedUse.users).toEqual(['Fraud analysts']);
    expect(content.limitations.items).toEqual(['New merchants']);
    expect(content.overview.text).toContain('**Licenses:**\n\n- Apache-2.0');
    expect(content.overview.text).toContain('**Citations:**\n\n- Fraud team');
  });

  it('refuses what is not a Model Card Toolkit document, and warns about the rest', () => {
    expect(() => cardFromModelCardToolkit('{not json')).toThrow(/not JSON/);
    expect(() => cardFromModelCardToolkit([1, 2])).toThrow(/expected a JSON object/);
    expect(() =>
      cardFromModelCardToolkit({ quantitative_analysis: { performance_metrics: [{ value: 1 }] } }),
    ).toThrow(/quantitative_analysis.performance_metrics.0.type/);
    const { warnings, content } = cardFromModelCardToolkit({
      model_card: {},
      quantitative_analysis: { performance_metrics: [{ type: 'auc', value: 'n/a' }] },
    });
    expect(warnings).toEqual([
      "'model_card' is not a Model Card Toolkit field; skipped",
      "metric auc: value 'n/a' is not a number; imported as empty",
    ]);
    expect(content.evaluation.metrics[0]!.value).toBeNull();
  });
});
