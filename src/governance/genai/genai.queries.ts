import type { Kysely } from 'kysely';
import { genaiSystemCardInputSchema } from '../../contracts/genai-system-card.ts';
import type { Database } from '../../platform/db/schema.ts';
import { systemCardRow } from './genai.store.ts';
import { systemCardParagraphs } from './system-card.ts';

// Read model for the documentation feature: what a version's GenAI system card adds to its model card.

/** The version's GenAI system card as Markdown paragraphs for the model card, or [] when none is set. */
export async function genaiCardParagraphs(tx: Kysely<Database>, versionId: string): Promise<string[]> {
  const row = await systemCardRow(tx, versionId);
  return row ? systemCardParagraphs(genaiSystemCardInputSchema.parse(JSON.parse(row.content_json))) : [];
}
