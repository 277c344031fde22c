import type { GenAiSystemCardInput } from '../../contracts/genai-system-card.ts';

/** The GenAI system card as Markdown paragraphs for the model card's model details (pure). */
export function systemCardParagraphs(c: GenAiSystemCardInput): string[] {
  const list = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');
  const out = [
    `**GenAI system.** Foundation model ${c.baseModel}${c.baseModelVersion ? ` (${c.baseModelVersion})` : ''} from ${c.provider}.`,
  ];
  if (c.systemPromptSha256) out.push(`System prompt SHA-256: \`${c.systemPromptSha256}\``);
  if (c.tools.length)
    out.push(
      `Tools:\n${list(
        c.tools.map(
          (t) =>
            `\`${t.name}\`${t.sideEffects ? ' (side effects)' : ''}${t.description ? `: ${t.description}` : ''}`,
        ),
      )}`,
    );
  if (c.retrievalSources.length) out.push(`Retrieval sources:\n${list(c.retrievalSources)}`);
  if (c.guardrails.length) out.push(`Guardrails:\n${list(c.guardrails)}`);
  if (c.humanOversight) out.push(`Human oversight: ${c.humanOversight}`);
  return out;
}
