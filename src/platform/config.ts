import path from 'node:path';
import { loadSsoConfig, type SsoConfig } from './auth/sso/sso-config.ts';
import { type BlobStoreConfig, blobConfigFromEnv } from './blobs/blob-config.ts';
import { ValidationError } from './errors.ts';

/** Everything the server reads from its environment, parsed once at start. */
export interface AssayConfig {
  /** Directory of the embedded store, blobs and keys. */
  dataDir: string;
  /** `postgres://…` to use PostgreSQL; undefined for the embedded SQLite store in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL: send statements as named prepared statements (ASSAY_PG_PREPARED_STATEMENTS=0 turns it off; src/platform/db/pg-prepared.ts). */
  pgPreparedStatements: boolean;
  host: string;
  port: number;
  /** Largest JSON request body, in bytes. */
  bodyLimit: number;
  /** Largest uploaded file, in bytes. */
  uploadLimit: number;
  /** Seed the demo portfolio into an empty store on start. */
  seedDemo: boolean;
  /** Comma-separated inventory fields completeness requires (ASSAY_COMPLETENESS_FIELDS); unset = defaults. */
  completenessFields: string | undefined;
  /** Days before an approval expires that the scheduler opens its periodic review (ASSAY_PERIODIC_REVIEW_LEAD_DAYS). */
  periodicReviewLeadDays: number;
  /** Scheduler tick interval in ms for `serve` (ASSAY_SCHEDULER_INTERVAL_MS; 0 turns it off). */
  schedulerIntervalMs: number;
  /** Ed25519 private key (PKCS#8 PEM) that signs audit packages (ASSAY_SIGNING_KEY_FILE); unset = generated in dataDir/keys. */
  signingKeyFile: string | undefined;
  /** Directory outside dataDir where every audit checkpoint is also written (ASSAY_CHECKPOINT_DIR); unset = none. */
  checkpointDir: string | undefined;
  /** Scheduled audit checkpoints at most this often, when the head moved (ASSAY_CHECKPOINT_INTERVAL_MS; 0 = none). */
  checkpointIntervalMs: number;
  /** Where evidence files and documents are kept (ASSAY_BLOB_STORE, ASSAY_S3_*; docs/deployment.md). */
  blobStore: BlobStoreConfig;
  /** The Ed25519 signing key itself as PKCS#8 PEM (ASSAY_SIGNING_KEY); takes the place of a key file. */
  signingKeyPem: string | undefined;
  /** Key-encryption key (base64 of 32 bytes, ASSAY_SIGNING_KEK): signing keys live encrypted in the database. */
  signingKek: string | undefined;
  /** Alert routes (a monitoring plan's webhook / Alertmanager URLs) may target private addresses (ASSAY_ALERT_ROUTES_ALLOW_PRIVATE=1). */
  alertRoutesAllowPrivate: boolean;
  /** Single sign-on (ASSAY_OIDC_*; docs/sso.md); undefined = password sign-in only. */
  sso: SsoConfig | undefined;
  /**
   * Background jobs (docs/deployment.md, "Workers"): seconds before a running job whose process
   * died is delivered again (ASSAY_JOB_TIMEOUT_SECONDS), jobs run at once per process
   * (ASSAY_JOB_CONCURRENCY), and whether `assay serve` runs jobs itself (ASSAY_SERVER_RUNS_JOBS=0
   * leaves them to `assay worker`; PostgreSQL only: on SQLite the server always runs them).
   */
  jobs: {
    timeoutSeconds: number;
    concurrency: number;
    serverRuns: boolean;
    sweepSeconds: number;
    pollSeconds: number;
  };
  /** MLflow registry sync (ASSAY_MLFLOW_*; docs/connectors.md); undefined = off. */
  mlflow:
    | { url: string; token: string | undefined; webhookSecret: string | undefined; syncIntervalMs: number }
    | undefined;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`${name} must be a non-negative integer, got '${raw}'`, name);
  return n;
}

function mlflowUrl(raw: string): string {
  if (!/^https?:\/\/[^/]/.test(raw))
    throw new ValidationError(`ASSAY_MLFLOW_URL must be an http(s) URL, got '${raw}'`, 'ASSAY_MLFLOW_URL');
  return raw.replace(/\/+$/, '');
}

/** Reads the configuration from environment variables (documented in README.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AssayConfig {
  const databaseUrl = env.ASSAY_DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ValidationError(
      'ASSAY_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)',
      'ASSAY_DATABASE_URL',
    );
  }
  return {
    dataDir: path.resolve(env.ASSAY_DATA_DIR || '.assay'),
    databaseUrl,
    host: env.ASSAY_HOST || '127.0.0.1',
    port: intFromEnv(env, 'ASSAY_PORT', 7420),
    bodyLimit: intFromEnv(env, 'ASSAY_BODY_LIMIT', 1024 * 1024),
    uploadLimit: intFromEnv(env, 'ASSAY_UPLOAD_LIMIT', 256 * 1024 * 1024),
    seedDemo: env.ASSAY_SEED_DEMO !== '0',
    completenessFields: env.ASSAY_COMPLETENESS_FIELDS || undefined,
    periodicReviewLeadDays: intFromEnv(env, 'ASSAY_PERIODIC_REVIEW_LEAD_DAYS', 60),
    schedulerIntervalMs: intFromEnv(env, 'ASSAY_SCHEDULER_INTERVAL_MS', 60_000),
    pgPreparedStatements: env.ASSAY_PG_PREPARED_STATEMENTS !== '0',
    signingKeyFile: env.ASSAY_SIGNING_KEY_FILE ? path.resolve(env.ASSAY_SIGNING_KEY_FILE) : undefined,
    checkpointDir: env.ASSAY_CHECKPOINT_DIR ? path.resolve(env.ASSAY_CHECKPOINT_DIR) : undefined,
    checkpointIntervalMs: intFromEnv(env, 'ASSAY_CHECKPOINT_INTERVAL_MS', 3_600_000),
    blobStore: blobConfigFromEnv(env, databaseUrl),
    signingKeyPem: env.ASSAY_SIGNING_KEY || undefined,
    signingKek: env.ASSAY_SIGNING_KEK || undefined,
    alertRoutesAllowPrivate: env.ASSAY_ALERT_ROUTES_ALLOW_PRIVATE === '1',
    sso: loadSsoConfig(env),
    jobs: {
      timeoutSeconds: Math.max(1, intFromEnv(env, 'ASSAY_JOB_TIMEOUT_SECONDS', 900)),
      concurrency: Math.max(1, intFromEnv(env, 'ASSAY_JOB_CONCURRENCY', 2)),
      serverRuns: !databaseUrl || env.ASSAY_SERVER_RUNS_JOBS !== '0',
      sweepSeconds: Math.max(1, intFromEnv(env, 'ASSAY_JOB_SWEEP_SECONDS', 30)),
      pollSeconds: Math.max(1, intFromEnv(env, 'ASSAY_JOB_POLL_SECONDS', 1)),
    },
    mlflow: env.ASSAY_MLFLOW_URL
      ? {
          url: mlflowUrl(env.ASSAY_MLFLOW_URL),
          token: env.ASSAY_MLFLOW_TOKEN || undefined,
          webhookSecret: env.ASSAY_MLFLOW_WEBHOOK_SECRET || undefined,
          syncIntervalMs: intFromEnv(env, 'ASSAY_MLFLOW_SYNC_INTERVAL_MS', 900_000),
        }
      : undefined,
  };
}
