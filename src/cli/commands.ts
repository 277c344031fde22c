import type { Command } from 'commander';
import { registerAdoptCommand } from './adopt-command.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerAuditPackageCommands } from './audit-package-commands.ts';
import { registerDecisionCommands } from './decision-commands.ts';
import { registerDocumentationCommands } from './documentation-commands.ts';
import { registerDocumentationFormatCommands } from './documentation-format-commands.ts';
import { registerExceptionCommands } from './exception-commands.ts';
import { registerGateCommands } from './gate-commands.ts';
import { registerIdentityCommands } from './identity-commands.ts';
import { registerLineageCommands } from './lineage-commands.ts';
import { registerModelCommands } from './model-commands.ts';
import { registerReviewCommands } from './review-commands.ts';
import { registerServe } from './serve.ts';
import { registerTransferCommands } from './transfer-commands.ts';
import { registerValidateCommand } from './validate.ts';

/**
 * The one list of CLI command groups. Each feature's command module exports a `register*` function
 * that adds its commands to the program; add one line here per module.
 */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerAuditCommands(program);
  registerIdentityCommands(program);
  registerModelCommands(program);
  registerLineageCommands(program);
  registerTransferCommands(program);
  registerAuditPackageCommands(program);
  registerValidateCommand(program);
  registerGateCommands(program);
  registerExceptionCommands(program);
  registerReviewCommands(program);
  registerDecisionCommands(program);
  registerAdoptCommand(program);
  registerDocumentationCommands(program);
  registerDocumentationFormatCommands(program);
}
