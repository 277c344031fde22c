/** Row types of GenAI evaluation (migration 0095). */

/** The GenAI system card of one model version: `content_json` is a `genaiSystemCardInputSchema` value. */
export interface GenAiSystemCardsTable {
  version_id: string;
  model_id: string;
  content_json: string;
  updated_at: string;
  /** Username of who set it last. */
  updated_by: string;
  row_version: number;
}

export interface GenAiTables {
  genai_system_cards: GenAiSystemCardsTable;
}
