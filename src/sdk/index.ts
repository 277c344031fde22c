import { auditPackageApi } from './audit-package.ts';
import { type AssayClientOptions, Transport } from './client.ts';
import { evidenceApi } from './evidence.ts';
import { auditApi, identityApi } from './identity.ts';
import { datasetsApi, deploymentsApi, modelsApi, versionsApi } from './inventory.ts';
import { transferApi } from './transfer.ts';

export { AssayApiError, type AssayClientOptions, type Query } from './client.ts';

/**
 * The typed Assay client: one property per feature, every answer validated against the zod
 * contracts in src/contracts.
 *
 * @example const assay = new AssayClient({ baseUrl: 'http://localhost:7420', token });
 *          const { items } = await assay.users.list();
 */
export class AssayClient {
  readonly transport: Transport;
  readonly auth: ReturnType<typeof identityApi>;
  readonly users: ReturnType<typeof identityApi>['users'];
  readonly tokens: ReturnType<typeof identityApi>['tokens'];
  readonly audit: ReturnType<typeof auditApi>;
  readonly transfer: ReturnType<typeof transferApi>;
  readonly models: ReturnType<typeof modelsApi>;
  readonly versions: ReturnType<typeof versionsApi>;
  readonly datasets: ReturnType<typeof datasetsApi>;
  readonly deployments: ReturnType<typeof deploymentsApi>;
  readonly evidence: ReturnType<typeof evidenceApi>;
  readonly auditPackages: ReturnType<typeof auditPackageApi>;

  constructor(options: AssayClientOptions) {
    this.transport = new Transport(options);
    this.auth = identityApi(this.transport);
    this.users = this.auth.users;
    this.tokens = this.auth.tokens;
    this.audit = auditApi(this.transport);
    this.transfer = transferApi(this.transport);
    this.models = modelsApi(this.transport);
    this.versions = versionsApi(this.transport);
    this.datasets = datasetsApi(this.transport);
    this.deployments = deploymentsApi(this.transport);
    this.evidence = evidenceApi(this.transport);
    this.auditPackages = auditPackageApi(this.transport);
  }

  /** The server's health (no token needed). */
  health(): Promise<{ status: string; version: string }> {
    return this.transport.call('GET', '/api/health');
  }
}
