import type { Command } from 'commander';
import { GENAI_FORMAT, genaiDocumentSchema } from '../contracts/genai.ts';
import { validationEvidenceSchema } from '../contracts/validation-evidence.ts';
import { workflowDecisionsApi } from '../sdk/workflow-decisions.ts';
import { CliError } from './exit.ts';
import { addRemoteOptions, printJson, printRecord, type RemoteOptions, withClient } from './remote.ts';

interface AdoptOptions extends RemoteOptions {
  owner: string;
  review?: string;
  json?: boolean;
}

/**
 * `assay findings adopt EVIDENCE_ID SUGGESTION_ID --owner U`: raises the finding a validation run
 * suggested (a policy threshold breach recorded in its evidence.json) on the version the evidence
 * belongs to, citing the evidence, the metric, the measured value and the rule.
 */
export function registerAdoptCommand(program: Command): void {
  const findings =
    program.commands.find((c) => c.name() === 'findings') ??
    program.command('findings').description('Findings: raise, list, move');
  addRemoteOptions(
    findings
      .command('adopt <evidenceId> <suggestionId>')
      .description('Raise a finding that assay validate suggested (see its evidence.json suggested_findings)')
      .requiredOption('--owner <username>', 'who remediates it')
      .option('--review <id>', 'the review it belongs to')
      .option('--json'),
  ).action(async (evidenceId: string, suggestionId: string, o: AdoptOptions) => {
    const finding = await withClient(o, async (client) => {
      const evidence = await client.evidence.get(evidenceId);
      const text = await client.evidence.content(evidenceId);
      // assay.validation/v1 (assay validate) or assay.genai/v1 (assay redteam, assay genai import).
      let parsed: Pick<
        ReturnType<typeof validationEvidenceSchema.parse>,
        'suggested_findings' | 'judged_by' | 'created_at'
      >;
      try {
        const json = JSON.parse(text);
        if (json?.format === GENAI_FORMAT) {
          const g = genaiDocumentSchema.parse(json);
          parsed = { ...g, created_at: g.source.started_at ?? 'unknown time' };
        } else parsed = validationEvidenceSchema.parse(json);
      } catch {
        throw new CliError(`evidence ${evidenceId} is not an assay.validation/v1 or assay.genai/v1 document`);
      }
      const suggestions = parsed.suggested_findings ?? [];
      const suggestion = suggestions.find((s) => s.id === suggestionId);
      if (!suggestion) {
        const known = suggestions.map((s) => s.id);
        throw new CliError(
          `evidence ${evidenceId} has no suggested finding '${suggestionId}'${known.length ? `; it has: ${known.join(', ')}` : ' (it has none)'}`,
        );
      }
      const description = [
        suggestion.description,
        `Evidence: ${evidence.id} (${evidence.file?.filename ?? 'evidence.json'}, sha256 ${evidence.file?.sha256 ?? 'n/a'}), run of ${parsed.created_at}.`,
        parsed.judged_by
          ? `Policy: ${parsed.judged_by.source}, version ${parsed.judged_by.policy_version ?? 'local'}.`
          : '',
      ]
        .filter((line) => line !== '')
        .join('\n\n');
      return workflowDecisionsApi(client.transport).findings.raise(evidence.modelKey, evidence.versionLabel, {
        title: suggestion.title.slice(0, 300),
        description,
        category: suggestion.category,
        severity: suggestion.severity,
        owner: o.owner,
        ...(o.review ? { reviewId: o.review } : {}),
        // The server returns the finding this suggestion already became instead of a second one.
        suggestion: { evidenceId: evidence.id, suggestionId: suggestion.id },
      });
    });
    if (o.json) printJson(finding);
    else
      printRecord({
        id: finding.id,
        modelKey: finding.modelKey,
        versionLabel: finding.versionLabel,
        title: finding.title,
        severity: finding.severity,
        state: finding.state,
        dueAt: finding.dueAt,
      });
  });
}
