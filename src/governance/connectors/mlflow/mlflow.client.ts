/**
 * MLflow's model registry REST API (mlflow/protos/model_registry.proto, endpoints under
 * /api/2.0/mlflow), read with fetch: registered models with their tags and aliases, and every
 * version with its artifact location (`source`), run, stage, status, tags and aliases.
 */

export interface MlflowTag {
  key: string;
  value?: string;
}

export interface MlflowRegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: MlflowTag[];
  aliases?: { alias: string; version: string }[];
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: MlflowTag[];
  aliases?: string[];
}

/** An MLflow answer that was not 2xx, or not the shape the proto defines. */
export class MlflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MlflowError';
  }
}

/** A client for one MLflow tracking server. */
export class MlflowClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly fetchImpl: typeof fetch = (...a) => globalThis.fetch(...a),
  ) {}

  private async get<T>(path: string, query: Record<string, string>): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/2.0/mlflow/${path}?${new URLSearchParams(query)}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new MlflowError(`cannot reach MLflow at ${this.baseUrl}: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 300);
      try {
        const e = JSON.parse(text) as { error_code?: string; message?: string };
        if (e.error_code) detail = `${e.error_code}: ${e.message ?? ''}`;
      } catch {}
      throw new MlflowError(`MLflow ${path} answered ${res.status} (${detail})`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MlflowError(`MLflow ${path} answered with something other than JSON`);
    }
  }

  /** Every registered model, page by page (`registered-models/search`). */
  async registeredModels(): Promise<MlflowRegisteredModel[]> {
    const all: MlflowRegisteredModel[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.get<{ registered_models?: MlflowRegisteredModel[]; next_page_token?: string }>(
        'registered-models/search',
        { max_results: '100', ...(pageToken ? { page_token: pageToken } : {}) },
      );
      for (const m of page.registered_models ?? []) {
        if (typeof m.name !== 'string') throw new MlflowError('a registered model without a name');
        all.push(m);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return all;
  }

  /** Every version of one registered model (`model-versions/search` with `name='…'`). */
  async versions(name: string): Promise<MlflowModelVersion[]> {
    const all: MlflowModelVersion[] = [];
    let pageToken: string | undefined;
    const filter = `name='${name.replace(/'/g, "\\'")}'`;
    do {
      const page = await this.get<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>(
        'model-versions/search',
        { filter, max_results: '1000', ...(pageToken ? { page_token: pageToken } : {}) },
      );
      for (const v of page.model_versions ?? []) {
        if (typeof v.version !== 'string')
          throw new MlflowError(`a version of '${name}' without a version number`);
        all.push(v);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return all;
  }
}
