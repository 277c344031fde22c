import type { Datasheet } from '../../contracts/documentation.ts';
import type {
  CardImportFormat,
  CardImportRequest,
  CardImportResult,
  CardStandardExportFormat,
} from '../../contracts/documentation-formats.ts';
import { cardImportRequestSchema } from '../../contracts/documentation-formats.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { ASSAY_VERSION } from '../../version.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { DocumentationService, DocumentExport } from './documentation.service.ts';
import type { RevisionSelector } from './documentation.store.ts';
import { type CycloneDxDataset, cardToCycloneDx } from './formats/cyclonedx.ts';
import { cycloneDxErrors } from './formats/cyclonedx-schema.ts';
import { cardFromHuggingFace, cardToHuggingFace, huggingFaceTask } from './formats/huggingface.ts';
import { cardFromModelCardToolkit } from './formats/model-card-toolkit.ts';

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

/** `null` for a 404, the value otherwise (other errors propagate). */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/**
 * Model cards in standard formats: export as a Hugging Face README.md or a CycloneDX 1.6 ML-BOM,
 * import from a Hugging Face README.md or Google Model Card Toolkit JSON. Reads and saves through
 * the documentation service, so permissions, revisions and audit are the card's own.
 */
export class DocumentationFormatsService {
  constructor(
    private readonly deps: {
      documentation: DocumentationService;
      models: ModelsService;
      versions: VersionsService;
      datasets: DatasetsService;
    },
  ) {}

  async exportCard(
    caller: Caller,
    key: string,
    label: string,
    format: CardStandardExportFormat,
    sel: RevisionSelector = {},
  ): Promise<DocumentExport> {
    const card = await this.deps.documentation.getCard(caller, key, label, sel);
    const model = await this.deps.models.get(caller.principal, key);
    const base = `model-card-${fileSafe(key)}-${fileSafe(label)}-r${card.revision}`;
    if (format === 'huggingface') {
      // Tags `license:…` and `language:…` become the front matter's license and language.
      const prefixed = (p: string) => model.tags.filter((t) => t.startsWith(p)).map((t) => t.slice(p.length));
      const body = cardToHuggingFace(card.content, {
        modelName: model.name,
        versionLabel: label,
        license: prefixed('license:')[0] ?? null,
        language: prefixed('language:'),
        tags: model.tags.filter((t) => !/^(license|language):/.test(t)),
        task: huggingFaceTask(model.type),
      });
      return { body, contentType: 'text/markdown; charset=utf-8', filename: `${base}.README.md` };
    }
    const version = await this.deps.versions.get(caller, key, label);
    const datasets = new Map<string, CycloneDxDataset>();
    for (const ref of [...card.content.data.training, ...card.content.data.evaluation]) {
      const row = await orNull(this.deps.datasets.find(ref.id ?? ref.name));
      if (!row || datasets.has(row.id)) continue;
      const [record] = await this.deps.datasets.views([row]);
      const datasheet: Datasheet | null =
        (await orNull(this.deps.documentation.getDatasheet(caller, row.id, { publishedOnly: true }))) ??
        (await orNull(this.deps.documentation.getDatasheet(caller, row.id)));
      const entry = { record: record!, datasheet };
      datasets.set(row.id, entry);
      datasets.set(row.name, entry);
    }
    const bom = cardToCycloneDx({
      card,
      model,
      version,
      datasets,
      tool: { name: 'assay', version: ASSAY_VERSION },
    });
    const errors = cycloneDxErrors(bom);
    // A bug, never the caller's fault: refuse to hand out a BOM that does not validate.
    if (errors.length)
      throw new Error(`the CycloneDX export does not validate against the 1.6 schema: ${errors.join('; ')}`);
    return {
      body: `${JSON.stringify(bom, null, 2)}\n`,
      contentType: 'application/vnd.cyclonedx+json; charset=utf-8',
      filename: `${base}.cdx.json`,
    };
  }

  /** Converts a document into card content and, unless `save` is false, stores it as a new revision. */
  async importCard(
    caller: Caller,
    key: string,
    label: string,
    input: CardImportRequest,
  ): Promise<CardImportResult> {
    const req = cardImportRequestSchema.parse(input);
    // The caller must see the version before anything is converted.
    await this.deps.versions.get(caller, key, label);
    const converted = convert(req.format, req.document);
    const saved = req.save
      ? await this.deps.documentation.saveCard(caller, key, label, {
          content: converted.content,
          publish: req.publish,
          note:
            req.note ??
            `imported from ${req.format === 'huggingface' ? 'a Hugging Face model card' : 'Model Card Toolkit JSON'}`,
          baseRevision: req.baseRevision,
        })
      : null;
    return { format: req.format, ...converted, saved };
  }
}

function convert(format: CardImportFormat, document: string | Record<string, unknown>) {
  if (format === 'huggingface') {
    if (typeof document !== 'string')
      throw new ValidationError('a Hugging Face model card is the README.md text (a string)', 'document');
    const { content, metadata, warnings, shape } = cardFromHuggingFace(document);
    return { content, metadata: { ...metadata, shape }, warnings };
  }
  const { content, metadata, warnings } = cardFromModelCardToolkit(document);
  return { content, metadata: { ...metadata }, warnings };
}
