import type { ExceptionAllowance, ExceptionReport } from '../contracts/exceptions.ts';
import { ExceptionReportService } from '../governance/exceptions/exception-report.service.ts';
import type { ExceptionsService } from '../governance/exceptions/exceptions.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { demoServices } from './demo-services.ts';

const DAY = 86_400_000;

/**
 * The models the workflow demo approves through reviews and signed decisions: the seed takes them
 * only as far as validation, and the workflow's decisions (and, for production, the gate) take
 * them on.
 */
export const WORKFLOW_APPROVED: ReadonlySet<string> = new Set([
  'income-propensity',
  'retail-credit-pd',
  'aml-transaction-monitoring',
  'motor-claims-severity',
  'churn-retail-banking',
  'card-fraud-realtime',
  'next-best-offer',
]);

/**
 * The legacy models: approved or in production before Assay, never validated in it. Each carries
 * a recorded exception, asked for by its owner and approved by governance, so that its status and
 * production deployment stand on something an auditor can read. `renewal` is the exception
 * renewed later in the demo (null: the renewal was asked for but nobody approved it yet, so the
 * model shows in the exception report without cover).
 */
export const LEGACY_EXCEPTIONS: readonly {
  key: string;
  reason: string;
  renewal: {
    /** When the renewal is asked for, in days before the seed's end. */
    daysBeforeEnd: number;
    /** How long the renewal runs from then. */
    days: number;
    reason: string;
    approved: boolean;
  } | null;
}[] = [
  {
    key: 'sanctions-name-screening',
    reason:
      'Vendor screening engine in production since 2019, before the model risk policy; it may not be switched off (sanctions obligations). Validation of 9.4.1 planned with the vendor.',
    renewal: {
      daysBeforeEnd: 200,
      days: 330,
      reason:
        'Vendor validation pack for 9.4.1 delivered late; independent validation booked for next quarter. Compliance samples 200 alerts a week meanwhile.',
      approved: true,
    },
  },
  {
    key: 'customer-segmentation',
    reason:
      'Segmentation used for reporting since 2024, inherited from the analytics team before model risk scope was extended to marketing models.',
    renewal: {
      daysBeforeEnd: 190,
      days: 300,
      reason:
        'Low-impact segmentation kept in production while the 2026 re-segmentation is validated; no customer decision depends on it.',
      approved: true,
    },
  },
  {
    key: 'cash-demand-forecast',
    reason:
      'ATM cash forecast in production since 2023; validation deferred to the 2026 plan because a forecast error only moves cash between depots.',
    renewal: {
      daysBeforeEnd: 12,
      days: 180,
      reason:
        'Validation slipped behind the liquidity model; asking for six more months with the weekly forecast-error report as a control.',
      approved: false,
    },
  },
  {
    key: 'home-insurance-pricing',
    reason:
      'Vendor pricing engine running under the 2025 tariff filing; the regulator-approved tariff is the control until the vendor model is validated.',
    renewal: {
      daysBeforeEnd: 170,
      days: 330,
      reason:
        'Tariff filing renewed for 2026; vendor model documentation requested under the contract, validation starts when it arrives.',
      approved: true,
    },
  },
  {
    key: 'doc-ocr-kyc',
    reason:
      'Vendor OCR approved for the KYC staging pilot by the 2024 outsourcing committee, before the model risk policy covered vendor tools.',
    renewal: {
      daysBeforeEnd: 180,
      days: 300,
      reason:
        'Staging pilot extended while the vendor completes its bias testing on non-Latin scripts; no production use.',
      approved: true,
    },
  },
  {
    key: 'merchant-risk',
    reason:
      'Merchant onboarding scorecard approved by the acquiring credit committee in 2024; validation under the model risk policy is scheduled.',
    renewal: {
      daysBeforeEnd: 175,
      days: 300,
      reason:
        'Validation moved behind the fraud model refresh; the scorecard stays in staging with manual review of every declined merchant.',
      approved: true,
    },
  },
  {
    key: 'fx-rate-nowcast',
    reason:
      'Desk nowcast used for decision support only, run under the trading desk sign-off until its planned decommissioning.',
    renewal: null,
  },
  {
    key: 'branch-footfall',
    reason:
      'Staff-scheduling forecast used by branch operations, run under the operations sign-off until its planned decommissioning.',
    renewal: null,
  },
];

/** What a legacy model's exception allows, by the status it reaches. */
export function legacyAllowances(status: string): ExceptionAllowance[] {
  return status === 'approved'
    ? ['status_approved']
    : ['production_deployment', 'status_approved', 'status_production'];
}

/**
 * Records a legacy model's exception: asked for by `owner`, approved by a governance officer who
 * is neither the owner nor a developer of the model. Returns the exception's id.
 */
export async function recordLegacyException(
  exceptions: ExceptionsService,
  requester: Caller,
  approver: Caller,
  e: {
    key: string;
    version: string;
    status: string;
    reason: string;
    until: Date;
    approve: boolean;
    note: string;
  },
): Promise<string> {
  const requested = await exceptions.request(requester, {
    modelKey: e.key,
    versionLabel: e.version,
    allows: legacyAllowances(e.status),
    reason: e.reason,
    until: e.until.toISOString(),
  });
  if (e.approve) await exceptions.approve(approver, requested.id, e.note);
  return requested.id;
}

/** `days` after `from`. */
export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY);
}

/** The exception report over the seeded store at the clock's now (the seed test and the docs read it). */
export async function demoExceptionReport(db: Db, clock: Clock): Promise<ExceptionReport> {
  const { exceptions, gate, decisions } = demoServices(db, clock);
  return new ExceptionReportService(db, clock, { exceptions, gate, decisions }).compute();
}
