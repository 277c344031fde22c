import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fullCard, SHA } from '../../../../test/support/documentation-cards.ts';
import { modelCardContentSchema } from '../../../contracts/documentation.ts';
import { cardFromHuggingFace, cardToHuggingFace, huggingFaceTask } from './huggingface.ts';

const meta = {
  modelName: 'Retail credit PD',
  versionLabel: '4.0',
  license: 'apache-2.0',
  language: ['en'],
  tags: ['credit', 'tier-1'],
  task: huggingFaceTask('classification'),
};

function frontMatter(readme: string): Record<string, unknown> {
  const end = readme.indexOf('\n---\n', 3);
  return parseYaml(readme.slice(4, end + 1));
}

describe('Hugging Face model card export', () => {
  it('writes front matter with license, language, tags, datasets and model-index results', () => {
    const readme = cardToHuggingFace(fullCard(), meta);
    expect(readme.startsWith('---\n')).toBe(true);
    const front = frontMatter(readme) as {
      license: string;
      language: string[];
      tags: string[];
      datasets: string[];
      'model-index': {
        name: string;
        results: {
          task: { type: string };
          dataset: { name: string; type: string; config?: string };
          metrics: { type: string; value: number | null; name: string; args?: Record<string, unknown> }[];
        }[];
      }[];
    };
    expect(front.license).toBe('apache-2.0');
    expect(front.language).toEqual(['en']);
    expect(front.tags).toEqual(['assay', 'credit', 'tier-1']);
    expect(front.datasets).toEqual(['loans-train', 'loans-holdout', 'external']);
    const [entry] = front['model-index'];
    expect(entry!.name).toBe('Retail credit PD');
    const first = entry!.results[0]!;
    expect(first.task.type).toBe('tabular-classification');
    expect(first.dataset).toEqual({ type: 'loans-holdout', name: 'loans-holdout' });
    expect(first.metrics[0]).toEqual({
      type: 'roc_auc',
      value: 0.8123456789,
      name: 'ROC AUC',
      args: {
        ci_lower: 0.79,
        ci_upper: 0.83,
        confidence_level: 0.95,
        evidence_id: 'ev_1',
        evidence_sha256: SHA,
      },
    });
    const female = entry!.results[1]!;
    expect(female.dataset.config).toBe('sex=female');
    expect(female.metrics.map((m) => m.type)).toEqual(['selection_rate', 'count']);
    // Sections as Markdown headings.
    expect(readme).toContain('\n## Known risks and mitigations\n');
    expect(readme).toContain('\n### Training hyperparameters\n\n- max_depth: 6\n');
  });

  it('round-trips: export then import gives the same content', () => {
    const card = fullCard();
    const readme = cardToHuggingFace(card, meta);
    const back = cardFromHuggingFace(readme);
    expect(back.shape).toBe('assay');
    expect(back.warnings).toEqual([]);
    expect(back.content).toEqual(card);
    expect(back.metadata).toMatchObject({
      modelName: 'Retail credit PD',
      license: 'apache-2.0',
      language: ['en'],
      tags: ['credit', 'tier-1'],
      task: { type: 'tabular-classification' },
    });
    // And the export of the import is byte-identical.
    expect(cardToHuggingFace(back.content, meta)).toBe(readme);
  });

  it('round-trips an empty card and Windows line endings', () => {
    const empty = modelCardContentSchema.parse({});
    const readme = cardToHuggingFace(empty, { modelName: 'm', versionLabel: '1' });
    expect(cardFromHuggingFace(readme).content).toEqual(empty);
    const crlf = cardToHuggingFace(fullCard(), meta).replace(/\n/g, '\r\n');
    expect(cardFromHuggingFace(crlf).content).toEqual(fullCard());
  });

  it('round-trips arbitrary content (property test)', () => {
    // Text built from the pieces that could confuse the reader: markers, list dashes, headings,
    // blank lines, indentation, backslashes.
    const piece = fc.constantFrom(
      'a',
      'text',
      ' ',
      '  ',
      '\n',
      '\n\n',
      '- ',
      '## ',
      '### Heading',
      '<!-- assay:section overview -->',
      '<!-- assay:field items -->',
      '\\',
      '---',
      '|',
      ': ',
      '- Mitigation: ',
      '- id: ',
      '- note: ',
      '`',
    );
    const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    const short = text.map((t) => t.trim()).filter((t) => t.length > 0);
    const key = fc.stringMatching(/^[a-z_]{1,12}$/);
    const content = fc.record({
      overview: fc.record({ text }),
      intendedUse: fc.record({ text, users: fc.array(short, { maxLength: 3 }) }),
      modelDetails: fc.record({
        text,
        architecture: fc.option(text, { nil: null }),
        trainingProcedure: fc.option(text, { nil: null }),
        hyperparameters: fc.array(fc.record({ key, value: text }), { maxLength: 3 }),
      }),
      data: fc.record({
        text,
        training: fc.array(
          fc.record({
            name: short,
            id: fc.option(key, { nil: null }),
            note: fc.option(text, { nil: null }),
          }),
          { maxLength: 3 },
        ),
        evaluation: fc.constant([]),
      }),
      risks: fc.record({
        text,
        items: fc.array(fc.record({ risk: short, mitigation: text }), { maxLength: 3 }),
      }),
      changeLog: fc.record({
        text,
        previousVersion: fc.option(key, { nil: null }),
        items: fc.array(short, { maxLength: 3 }),
      }),
    });
    fc.assert(
      fc.property(content, (c) => {
        const card = modelCardContentSchema.parse(c);
        const back = cardFromHuggingFace(cardToHuggingFace(card, meta));
        expect(back.content).toEqual(card);
      }),
      { numRuns: 300 },
    );
  });
});

/** A README as the transformers Trainer writes it, with model-index from the evaluation. */
const TRAINER_README = `---
license: apache-2.0
base_model: distilbert-base-uncased
tags:
- generated_from_trainer
datasets:
- emotion
metrics:
- accuracy
- f1
model-index:
- name: distilbert-base-uncased-finetuned-emotion
  results:
  - task:
      name: Text Classification
      type: text-classification
    dataset:
      name: emotion
      type: emotion
      config: split
      split: validation
      args: split
    metrics:
    - name: Accuracy
      type: accuracy
      value: 0.9265
    - name: F1
      type: f1
      value: 0.9264884482650423
language:
- en
pipeline_tag: text-classification
---

<!-- This model card has been generated automatically according to the information the Trainer had access to. You
should probably proofread and complete it, then remove this comment. -->

# distilbert-base-uncased-finetuned-emotion

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the emotion dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2165
- Accuracy: 0.9265

## Model description

More information needed

## Intended uses & limitations

Classifies English tweets into six emotions.

## Training and evaluation data

The emotion dataset of English Twitter messages.

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
- train_batch_size: 64
- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08
- num_epochs: 2

### Training results

| Training Loss | Epoch | Step | Validation Loss | Accuracy | F1     |
|:-------------:|:-----:|:----:|:---------------:|:--------:|:------:|
| 0.8084        | 1.0   | 250  | 0.3157          | 0.9045   | 0.9017 |

### Framework versions

- Transformers 4.35.2
- Pytorch 2.1.0+cu118
`;

/** The Hub's model card template, partly filled, with numbers written as text. */
const TEMPLATE_README = `---
license: mit
language: en
tags: [tabular, credit]
model-index:
- name: credit-scorer
  results:
  - task: {type: tabular-classification}
    dataset: {type: german_credit, name: German Credit, split: test}
    metrics:
    - {type: roc_auc, value: "0.78 ± 0.02"}
    - {type: accuracy, value: not measured}
---

# Model Card for credit-scorer

A gradient-boosted scorer for consumer credit.

## Model Details

### Model Description

Trained with LightGBM on the German Credit data.

- **Developed by:** Example Bank
- **Model type:** Gradient-boosted trees

## Uses

### Direct Use

Pre-screening of consumer loan applications.

### Out-of-Scope Use

Mortgage underwriting.

## Bias, Risks, and Limitations

Older applicants are under-represented.

### Recommendations

[More Information Needed]

## Training Details

### Training Data

German Credit, 1,000 rows.

## Evaluation

### Results

ROC AUC 0.78 on the test split.

## Model Examination

SHAP values per feature.

## Glossary

PD: probability of default.
`;

describe('Hugging Face model card import', () => {
  it('reads a Trainer-generated README: metrics from model-index, hyperparameters, sections by heading', () => {
    const { content, metadata, shape } = cardFromHuggingFace(TRAINER_README);
    expect(shape).toBe('headings');
    expect(metadata).toMatchObject({
      modelName: 'distilbert-base-uncased-finetuned-emotion',
      license: 'apache-2.0',
      language: ['en'],
      tags: ['generated_from_trainer'],
      baseModel: ['distilbert-base-uncased'],
      pipelineTag: 'text-classification',
      task: { type: 'text-classification', name: 'Text Classification' },
    });
    expect(content.evaluation.metrics).toEqual([
      expect.objectContaining({
        name: 'accuracy',
        value: 0.9265,
        dataset: 'emotion (split, validation)',
        group: null,
      }),
      expect.objectContaining({ name: 'f1', value: 0.9264884482650423 }),
    ]);
    expect(content.modelDetails.hyperparameters).toEqual([
      { key: 'learning_rate', value: '2e-05' },
      { key: 'train_batch_size', value: '64' },
      { key: 'optimizer', value: 'Adam with betas=(0.9,0.999) and epsilon=1e-08' },
      { key: 'num_epochs', value: '2' },
    ]);
    expect(content.overview.text).toContain('fine-tuned version of');
    expect(content.overview.text).not.toContain('generated automatically');
    expect(content.intendedUse.text).toBe('Classifies English tweets into six emotions.');
    expect(content.data.text).toBe('The emotion dataset of English Twitter messages.');
    expect(content.data.training).toEqual([{ name: 'emotion', id: null, note: null }]);
    expect(content.data.evaluation).toEqual([{ name: 'emotion (split, validation)', id: null, note: null }]);
    expect(content.evaluation.text).toContain('| Training Loss |');
    // "More information needed" placeholders are not content.
    expect(content.modelDetails.text).not.toMatch(/more information needed/i);
    expect(content.modelDetails.text).toContain('Transformers 4.35.2');
  });

  it("reads the Hub template's headings into the matching sections", () => {
    const { content, warnings, metadata } = cardFromHuggingFace(TEMPLATE_README);
    expect(metadata.language).toEqual(['en']);
    expect(metadata.tags).toEqual(['tabular', 'credit']);
    expect(content.overview.text).toContain('gradient-boosted scorer');
    expect(content.overview.text).toContain('PD: probability of default.');
    expect(content.modelDetails.text).toContain('Trained with LightGBM');
    expect(content.intendedUse.text).toBe('Pre-screening of consumer loan applications.');
    expect(content.outOfScopeUses.text).toBe('Mortgage underwriting.');
    expect(content.limitations.text).toBe('Older applicants are under-represented.');
    expect(content.risks.text).toBe('');
    expect(content.data.text).toBe('German Credit, 1,000 rows.');
    expect(content.evaluation.text).toBe('ROC AUC 0.78 on the test split.');
    expect(content.explainability.text).toBe('SHAP values per feature.');
    expect(content.evaluation.metrics.map((m) => [m.name, m.value, m.dataset])).toEqual([
      ['roc_auc', 0.78, 'German Credit (test)'],
      ['accuracy', null, 'German Credit (test)'],
    ]);
    expect(warnings).toEqual([
      "metric roc_auc: value '0.78 ± 0.02' read as 0.78",
      'metric accuracy: value "not measured" is not a number; imported as empty',
    ]);
  });

  it('refuses front matter that is not YAML, and a card that does not fit', () => {
    expect(() => cardFromHuggingFace('---\nlicense: [unclosed\n---\n# x\n')).toThrow(/not valid YAML/);
    expect(() => cardFromHuggingFace('---\n- a list\n---\n')).toThrow(/mapping/);
    expect(() => cardFromHuggingFace(`# m\n\n## Limitations\n\n${'x'.repeat(100_001)}\n`)).toThrow(
      /does not fit a model card: limitations.text/,
    );
  });
});
