import { AssayApiError } from '../../../src/sdk/index.ts';
import { errorMessage } from '../components/DataState.tsx';

const SIGNER: Record<string, string> = {
  owner: 'the owner of a model cannot sign its approval.',
  developer: 'a developer of a model cannot sign its approval.',
  submitter: 'whoever submitted the review cannot sign its decision.',
  validator: 'whoever validated the review cannot sign its decision.',
  already_signed: 'you have already signed this decision; another person must add the next signature.',
  role_not_required: 'the policy does not ask your role to sign decisions for this tier.',
  role_full: 'every signature the policy asks of your role is already there.',
};

/** The server's rule behind a refusal (the error envelope's `details.rule`), if any. */
function ruleOf(error: unknown): { rule: string | null; details: Record<string, unknown> } {
  if (error instanceof AssayApiError) {
    const rule = error.details.rule;
    return { rule: typeof rule === 'string' ? rule : null, details: error.details };
  }
  return { rule: null, details: {} };
}

/**
 * Explains a refusal in plain words: separation-of-duties refusals say who may act instead, rule
 * refusals say what to do first; anything else keeps the server's message.
 */
export function plainRefusal(error: unknown): string {
  const msg = errorMessage(error);
  const { rule, details } = ruleOf(error);
  switch (rule) {
    case 'separation_of_duties':
      return separationOfDuties(details, msg);
    case 'acceptance_role':
      return `The policy does not let your role accept this risk: ${msg}.`;
    case 'closure_evidence':
      return 'A finding closes only with closure evidence: move it to "ready for verification" with the evidence first.';
    case 'sign_off': {
      const why = SIGNER[String(details.violation)] ?? msg;
      return `Separation of duties: ${why} Someone independent of building and submitting this version must sign.`;
    }
    case 'validator_required':
      return 'Assign an independent validator to this review first; validation cannot start without one.';
    case 'checklist':
      return `The evidence checklist is not complete (${msg.replace(/^the checklist is not complete: /, 'missing ')}); an approval needs every item satisfied.`;
    case 'binding_changed':
      return 'The version, its evidence or its open findings changed since the first signature, so the signatures no longer match; propose a new decision.';
  }
  if (/separation|maker|checker|independen|same (user|person)/i.test(msg))
    return `Separation of duties: ${msg} Someone who did not build or validate this version must sign.`;
  if (/conflict|row version|changed/i.test(msg))
    return `Someone changed this meanwhile; reload and try again. (${msg})`;
  if (error instanceof AssayApiError && error.status === 403) return `You may not do this: ${msg}.`;
  return msg;
}

/** The one separation-of-duties rule (`details.violation`, `details.step`), in plain words. */
function separationOfDuties(details: Record<string, unknown>, msg: string): string {
  const violation = String(details.violation);
  const step = String(details.step);
  if (details.earlier === true)
    return `Separation of duties: an earlier step is no longer independent (${msg}). Governance must reassign it or void the decision first.`;
  if (step === 'verify_finding' && violation === 'remediator')
    return 'Separation of duties: whoever remediated a finding cannot also verify it. Ask a validator or a governance colleague to verify and close it.';
  if (step === 'approve_acceptance' && violation === 'requester')
    return 'Separation of duties: whoever requested a risk acceptance cannot approve or reject it. Another person with an accepting role must decide.';
  if (step === 'sign_decision' && SIGNER[violation])
    return `Separation of duties: ${SIGNER[violation]} Someone independent of building, submitting and validating this version must sign.`;
  return `Separation of duties: ${msg.replace(/^separation of duties: /, '')}. Pick someone who did not build, own, submit or validate this version.`;
}
