import { type ModelCardContent, modelCardContentSchema } from '../../src/contracts/documentation.ts';

/** Model card contents for the format converters' tests. */
export const SHA = 'a'.repeat(64);
export const SHA2 = 'b'.repeat(64);

/** Every section and field filled, with the awkward bits: multi-line items, markers in text, edges. */
export function fullCard(): ModelCardContent {
  return modelCardContentSchema.parse({
    overview: {
      text: 'Predicts the **probability of default**.\n\n## Not a section heading\n\n<!-- assay:section limitations -->\n\\<!-- assay:field items -->\n',
    },
    intendedUse: {
      text: 'Supports credit officers.\n\n- a list in the text\n- second',
      users: ['Credit officers', 'Risk analysts\nin the second line'],
    },
    outOfScopeUses: { text: '', items: ['Business lending', '- starts with a dash'] },
    modelDetails: {
      text: '  Leading spaces kept.',
      architecture: 'XGBoost, 400 trees\nmax depth 6',
      trainingProcedure: '',
      hyperparameters: [
        { key: 'max_depth', value: '6' },
        { key: 'eta', value: '' },
        { key: 'objective', value: 'binary:logistic\nwith a second line' },
      ],
    },
    data: {
      text: 'Applications 2019-2025.',
      training: [{ name: 'loans-train', id: 'ds_01', note: 'Applications\n  indented note line' }],
      evaluation: [
        { name: 'loans-holdout', id: null, note: null },
        { name: 'external', id: null, note: '' },
      ],
    },
    evaluation: {
      text: 'Independent validation.',
      evidence: [
        { evidenceId: 'ev_1', sha256: SHA },
        { evidenceId: 'https://example.org/report', sha256: null },
      ],
      metrics: [
        {
          name: 'roc_auc',
          value: 0.8123456789,
          lower: 0.79,
          upper: 0.83,
          confidenceLevel: 0.95,
          dataset: 'loans-holdout',
          evidenceId: 'ev_1',
          sha256: SHA,
        },
        { name: 'log_loss', value: null, dataset: 'loans-holdout' },
        {
          name: 'selection_rate',
          value: 0.3,
          group: { attribute: 'sex', value: 'female' },
          dataset: 'loans-holdout',
        },
        { name: 'count', value: 500, group: { attribute: 'sex', value: 'female' }, dataset: 'loans-holdout' },
        {
          name: 'selection_rate',
          value: 0.4,
          group: { attribute: 'sex', value: 'male' },
          dataset: 'loans-holdout',
        },
        { name: 'roc_auc', value: 0.8, dataset: 'loans-holdout', sha256: SHA2 },
        { name: 'accuracy', value: 1e-7 },
        { name: '2024', value: -3, group: { attribute: 'age band', value: 'a=b' } },
      ],
    },
    fairness: { text: 'Selection rates by sex.' },
    explainability: { text: '' },
    humanOversight: {
      text: 'Every decline is reviewed.',
      reviewers: 'Senior credit officers',
      reviewedDecisions: null,
      overrideProcess: 'Override with a reason code\n\nand a second paragraph',
    },
    assumptions: { text: 'Stable macro.', items: ['Application data is accurate'] },
    limitations: { text: 'Known limits.\n', items: ['Thin-file applicants', 'Not validated before 2019'] },
    risks: {
      text: '',
      items: [
        { risk: 'Population drift', mitigation: 'Monthly PSI\n- Mitigation: not a marker' },
        { risk: 'Proxy discrimination\n- Mitigation: inside the risk', mitigation: '' },
        { risk: 'Trailing', mitigation: ' leading space and trailing newline\n' },
      ],
    },
    monitoring: { text: 'Monthly.', metrics: ['PSI', 'AUC'], frequency: 'monthly' },
    changeLog: { text: 'First version.', previousVersion: '3.9', items: ['Initial release'] },
  });
}
