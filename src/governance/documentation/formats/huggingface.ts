/**
 * Hugging Face model card (README.md): YAML front matter (license, language, tags, datasets,
 * metrics, `model-index` with the evaluation results) and a Markdown body with one `##` section
 * per card section.
 *
 * Export → import gives back the same card content: the body marks each section and each
 * structured field with an HTML comment (`<!-- assay:section limitations -->`,
 * `<!-- assay:field items -->`; invisible on the Hub), structured lists are written as Markdown
 * lists in a fixed shape, and the metrics travel in `model-index` (groups as the result's dataset
 * `config` `attribute=value`, confidence intervals and evidence in the metric's `args`).
 * A README without the markers (any card from the Hub) is read by its headings.
 */

export type { CardSectionId } from '../../../contracts/documentation.ts';
export { cardToHuggingFace, huggingFaceTask } from './huggingface-export.ts';
export { cardFromHuggingFace } from './huggingface-import.ts';
export type {
  HuggingFaceExportOptions,
  HuggingFaceImport,
  HuggingFaceMetadata,
} from './huggingface-layout.ts';
