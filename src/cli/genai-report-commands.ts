import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { GenAiVersionReport } from '../contracts/genai.ts';
import { CliError, ExitCode } from './exit.ts';
import { addRemoteOptions, type RemoteOptions } from './remote.ts';
import { parsePushTarget } from './validate.ts';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`;

/** The comparison of a version's runs with the previous version's, regressions first. */
export function comparisonText(r: GenAiVersionReport): string {
  const head = `${r.model}@${r.version}: ${r.runs.length} GenAI run(s); compared with ${r.comparedWith ?? 'no earlier version'}`;
  const lines = [head];
  if (r.comparedWith && r.comparisons.length === 0)
    lines.push(`  no run of the same tool on ${r.comparedWith} to compare with`);
  for (const c of r.comparisons) {
    lines.push(`  ${c.tool} (evidence ${c.previousEvidenceId} → ${c.currentEvidenceId})`);
    for (const row of c.rows)
      lines.push(
        `    ${row.status.padEnd(10)} ${row.category.padEnd(28)} ${pct(row.previous?.rate).padStart(6)} → ${pct(row.current?.rate).padStart(6)}  ${row.name}`,
      );
  }
  lines.push(r.regressions.length ? `regressions (${r.regressions.length}):` : 'no regressions');
  for (const g of r.regressions) lines.push(`  ${g}`);
  for (const u of r.unreadable) lines.push(`  unreadable evidence ${u.evidenceId}: ${u.reason}`);
  return lines.join('\n');
}

/** `assay genai compare` and `assay genai system-card` (docs/genai.md). */
export function registerGenAiReportCommands(genai: Command): void {
  addRemoteOptions(
    genai
      .command('system-card <key@version>')
      .description("print a version's GenAI system card, or set it from a JSON file (--set)")
      .option(
        '--set <file>',
        'JSON of the card: provider, baseModel, baseModelVersion, tools, retrievalSources, guardrails, humanOversight',
      )
      .option('--system-prompt <file>', "with --set: record this file's SHA-256 as the system prompt hash")
      .option('--json', 'print the card as JSON'),
  ).action(
    async (target: string, opts: RemoteOptions & { set?: string; systemPrompt?: string; json?: boolean }) => {
      if (opts.systemPrompt && !opts.set) throw new CliError('--system-prompt goes with --set');
      const t = parsePushTarget(target);
      let card: Record<string, unknown> | null = null;
      if (opts.set) {
        const text = await readFile(opts.set, 'utf8').catch((e: Error) => {
          throw new CliError(`--set: cannot read ${opts.set}: ${e.message}`);
        });
        try {
          card = JSON.parse(text) as Record<string, unknown>;
        } catch (e) {
          throw new CliError(`--set: ${opts.set} is not JSON: ${(e as Error).message}`);
        }
        if (!card || typeof card !== 'object' || Array.isArray(card))
          throw new CliError('--set must hold a JSON object');
        if (opts.systemPrompt) {
          const { createHash } = await import('node:crypto');
          const prompt = await readFile(opts.systemPrompt).catch((e: Error) => {
            throw new CliError(`--system-prompt: cannot read ${opts.systemPrompt}: ${e.message}`);
          });
          card.systemPromptSha256 = createHash('sha256').update(prompt).digest('hex');
        }
      }
      const { withClient } = await import('./remote.ts');
      const result = await withClient(opts, (client) =>
        card
          ? client.genai.setSystemCard(t.modelKey, t.versionLabel, card as never)
          : client.genai.systemCard(t.modelKey, t.versionLabel),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const { systemCardParagraphs } = await import('../governance/genai/system-card.ts');
      process.stdout.write(
        `${result.model}@${result.version} (set by ${result.updatedBy} at ${result.updatedAt}, revision ${result.rowVersion})\n\n${systemCardParagraphs(result).join('\n\n')}\n`,
      );
    },
  );
  addRemoteOptions(
    genai
      .command('compare <key@version>')
      .description(
        "compare a version's GenAI runs with the previous version's (per tool), naming regressions",
      )
      .option('--against <label>', 'compare with this version instead of the previous one')
      .option('--json', 'print the report as JSON')
      .option('--fail-on-regression', 'exit 1 when a category regressed'),
  ).action(
    async (
      target: string,
      opts: RemoteOptions & { against?: string; json?: boolean; failOnRegression?: boolean },
    ) => {
      const { withClient } = await import('./remote.ts');
      const t = parsePushTarget(target);
      const report = await withClient(opts, (client) =>
        client.genai.report(t.modelKey, t.versionLabel, opts.against),
      );
      process.stdout.write(
        opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${comparisonText(report)}\n`,
      );
      if (opts.failOnRegression && report.regressions.length > 0) process.exitCode = ExitCode.failed;
    },
  );
}
