import type { Command } from 'commander';

/** One feature's command module: the top-level commands it adds, and how to load it. */
export interface CommandModule {
  /** Top-level command names it registers or extends (checked by test/cli-start.test.ts). */
  readonly commands: readonly string[];
  readonly load: () => Promise<(program: Command) => void>;
}

/**
 * The one list of CLI command groups, in the order of `assay --help`. Each feature's command module
 * exports a `register*` function that adds its commands to the program; add one line here per
 * module. Modules load on demand: `assay gate …` loads only the gate's module, `assay --help` (or a
 * name no module claims) all of them. Modules that extend a command another one creates (`findings
 * adopt`, `models transition`, `card import`) come after it.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { commands: ['serve', 'worker'], load: async () => (await import('./serve.ts')).registerServe },
  { commands: ['blobs'], load: async () => (await import('./blob-commands.ts')).registerBlobCommands },
  { commands: ['jobs'], load: async () => (await import('./job-commands.ts')).registerJobCommands },
  {
    commands: ['audit', 'keys'],
    load: async () => (await import('./audit-commands.ts')).registerAuditCommands,
  },
  {
    commands: ['users', 'tokens', 'whoami'],
    load: async () => (await import('./identity-commands.ts')).registerIdentityCommands,
  },
  { commands: ['login'], load: async () => (await import('./sso-login.ts')).registerLoginCommand },
  { commands: ['models'], load: async () => (await import('./model-commands.ts')).registerModelCommands },
  {
    commands: ['versions', 'datasets', 'deployments'],
    load: async () => (await import('./lineage-commands.ts')).registerLineageCommands,
  },
  {
    commands: ['import', 'export'],
    load: async () => (await import('./transfer-commands.ts')).registerTransferCommands,
  },
  {
    commands: ['export', 'verify-package'],
    load: async () => (await import('./audit-package-commands.ts')).registerAuditPackageCommands,
  },
  { commands: ['validate'], load: async () => (await import('./validate.ts')).registerValidateCommand },
  {
    commands: ['explain'],
    load: async () => (await import('./explain-commands.ts')).registerExplainCommands,
  },
  { commands: ['stress'], load: async () => (await import('./stress-command.ts')).registerStressCommand },
  { commands: ['gate'], load: async () => (await import('./gate-commands.ts')).registerGateCommands },
  {
    commands: ['report', 'exceptions'],
    load: async () => (await import('./exception-commands.ts')).registerExceptionCommands,
  },
  {
    commands: ['tier', 'tierings', 'models', 'reviews', 'evidence'],
    load: async () => (await import('./review-commands.ts')).registerReviewCommands,
  },
  {
    commands: ['findings', 'decisions', 'acceptances', 'scheduler'],
    load: async () => (await import('./decision-commands.ts')).registerDecisionCommands,
  },
  { commands: ['findings'], load: async () => (await import('./adopt-command.ts')).registerAdoptCommand },
  {
    commands: ['tierings', 'tier-overrides', 'acceptances'],
    load: async () => (await import('./tiering-commands.ts')).registerTieringCommands,
  },
  { commands: ['policy'], load: async () => (await import('./policy-commands.ts')).registerPolicyCommands },
  {
    commands: ['webhooks', 'metrics'],
    load: async () => (await import('./webhook-commands.ts')).registerWebhookCommands,
  },
  {
    commands: ['card', 'datasheet'],
    load: async () => (await import('./documentation-commands.ts')).registerDocumentationCommands,
  },
  {
    commands: ['card', 'datasheet'],
    load: async () =>
      (await import('./documentation-format-commands.ts')).registerDocumentationFormatCommands,
  },
  {
    commands: ['compliance'],
    load: async () => (await import('./compliance-commands.ts')).registerComplianceCommands,
  },
  {
    commands: ['redteam', 'genai'],
    load: async () => (await import('./genai-commands.ts')).registerGenAiCommands,
  },
  {
    commands: ['monitor'],
    load: async () => (await import('./monitor-commands.ts')).registerMonitorCommands,
  },
];

/**
 * Registers the modules that define `name` (the first word on the command line), or every module
 * when no module claims it (`--help`, `help`, a typo that commander answers with suggestions).
 */
export async function registerCommands(program: Command, name?: string): Promise<void> {
  const claimed = name ? COMMAND_MODULES.filter((m) => m.commands.includes(name)) : [];
  const modules = claimed.length > 0 ? claimed : COMMAND_MODULES;
  const registers = await Promise.all(modules.map((m) => m.load()));
  for (const register of registers) register(program);
}
