import type { Datasheet } from '../../contracts/documentation.ts';
import type {
  CardImportFormat,
  CardImportRequest,
  CardImportResult,
  CardStandardExportFormat,
  DatasheetStandardExportFormat,
} from '../../contracts/documentation-formats.ts';
import { cardImportRequestSchema } from '../../contracts/documentation-formats.ts';
import type { Dataset } from '../../contracts/inventory.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { ASSAY_VERSION } from '../../version.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { RevisionSelector } from './documentation.queries.ts';
import type { DocumentationService, DocumentExport } from './documentation.service.ts';
import { croissantErrors, datasheetToCroissant } from './formats/croissant.ts';
import { type CycloneDxDataset, cardToCycloneDx } from './formats/cyclonedx.ts';
import { cycloneDxErrors } from './formats/cyclonedx-schema.ts';
import { cardFromHuggingFace, cardToHuggingFace, huggingFaceTask } from './formats/huggingface.ts';
import { cardFromModelCardToolkit } from './formats/model-card-toolkit.ts';
import { type SpdxDataset, versionToSpdx } from './formats/spdx.ts';
import { spdxErrors } from './formats/spdx-schema.ts';

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

/** Refuses to hand out a standard document that does not validate (a bug, never the caller's fault). */
export function assertValid(what: string, errors: string[]): void {
  if (errors.length) throw new Error(`the ${what} export does not validate: ${errors.join('; ')}`);
}

/**
 * Model cards in standard formats: export as a Hugging Face README.md, a CycloneDX 1.6 ML-BOM or an
 * SPDX 3.0.1 document (AI and Dataset profiles), import from a Hugging Face README.md or Google
 * Model Card Toolkit JSON; datasheets exported as Croissant 1.0. Reads and saves through the
 * documentation service, so permissions, revisions and audit are the documents' own.
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
    if (format === 'spdx') {
      const datasets = new Map<string, SpdxDataset>();
      for (const id of [...version.trainingDatasetIds, ...version.evaluationDatasetIds]) {
        const found = await this.datasetWithSheet(caller, id);
        if (found) datasets.set(id, found);
      }
      const doc = versionToSpdx({
        card,
        model,
        version,
        datasets,
        tool: { name: 'assay', version: ASSAY_VERSION },
      });
      assertValid('SPDX 3.0.1', spdxErrors(doc));
      return {
        body: `${JSON.stringify(doc, null, 2)}\n`,
        contentType: 'application/spdx+json; charset=utf-8',
        filename: `${base}.spdx.json`,
      };
    }
    const datasets = new Map<string, CycloneDxDataset>();
    for (const ref of [...card.content.data.training, ...card.content.data.evaluation]) {
      const found = await this.datasetWithSheet(caller, ref.id ?? ref.name);
      if (!found || datasets.has(found.record.id)) continue;
      datasets.set(found.record.id, found);
      datasets.set(found.record.name, found);
    }
    const bom = cardToCycloneDx({
      card,
      model,
      version,
      datasets,
      tool: { name: 'assay', version: ASSAY_VERSION },
    });
    assertValid('CycloneDX 1.6', cycloneDxErrors(bom));
    return {
      body: `${JSON.stringify(bom, null, 2)}\n`,
      contentType: 'application/vnd.cyclonedx+json; charset=utf-8',
      filename: `${base}.cdx.json`,
    };
  }

  /** A dataset of the inventory with its datasheet (latest published, else latest), or null when unknown. */
  private async datasetWithSheet(
    caller: Caller,
    idOrName: string,
  ): Promise<{ record: Dataset; datasheet: Datasheet | null } | null> {
    const row = await orNull(this.deps.datasets.find(idOrName));
    if (!row) return null;
    const [record] = await this.deps.datasets.views([row]);
    const datasheet: Datasheet | null =
      (await orNull(this.deps.documentation.getDatasheet(caller, row.id, { publishedOnly: true }))) ??
      (await orNull(this.deps.documentation.getDatasheet(caller, row.id)));
    return { record: record!, datasheet };
  }

  /** The datasheet (the revision `sel` picks) as MLCommons Croissant 1.0 JSON-LD. */
  async exportDatasheet(
    caller: Caller,
    idOrName: string,
    format: DatasheetStandardExportFormat,
    sel: RevisionSelector = {},
  ): Promise<DocumentExport> {
    if (format !== 'croissant')
      throw new ValidationError(`unknown datasheet format ${String(format)}`, 'format');
    const datasheet = await this.deps.documentation.getDatasheet(caller, idOrName, sel);
    const record = await this.deps.datasets.get(datasheet.datasetId);
    const doc = datasheetToCroissant({ record, datasheet });
    assertValid('Croissant 1.0', croissantErrors(doc));
    return {
      body: `${JSON.stringify(doc, null, 2)}\n`,
      contentType: 'application/ld+json; charset=utf-8',
      filename: `datasheet-${fileSafe(record.name)}-r${datasheet.revision}.croissant.json`,
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
