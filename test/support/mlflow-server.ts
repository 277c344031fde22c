import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An MLflow-compatible model registry server for tests, answering the read endpoints the connector
 * uses with the message shapes of MLflow's published API definition
 * (github.com/mlflow/mlflow, mlflow/protos/model_registry.proto at commit 05e6cc9b8487945522c87e3f1a9ffc04eb2ecc2d):
 * `GET /api/2.0/mlflow/registered-models/search` (max_results, page_token → registered_models,
 * next_page_token) and `GET /api/2.0/mlflow/model-versions/search` (filter `name='…'`, max_results,
 * page_token → model_versions, next_page_token); RegisteredModel {name, creation_timestamp,
 * last_updated_timestamp, description, latest_versions, tags[{key,value}], aliases[{alias,version}]},
 * ModelVersion {name, version (a string), creation_timestamp, last_updated_timestamp, current_stage,
 * description, source, run_id, status (READY…), tags, aliases[string]}; proto3-JSON style: unset
 * fields are left out; errors as {error_code, message}. Tests change the registry through `models`.
 */
export interface FakeVersion {
  version: string;
  source: string;
  run_id?: string;
  current_stage?: string;
  tags?: { key: string; value: string }[];
  description?: string;
}
export interface FakeModel {
  description?: string;
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
  versions: FakeVersion[];
}

export interface MlflowTestServer {
  url: string;
  models: Map<string, FakeModel>;
  /** Every request path (with query), to check paging and filters. */
  requests: string[];
  close(): Promise<void>;
}

export async function startMlflowServer(pageSize = 2): Promise<MlflowTestServer> {
  const models = new Map<string, FakeModel>();
  const requests: string[] = [];
  const created = 1_767_225_600_000;
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const versionJson = (name: string, v: FakeVersion, aliases: string[]) => ({
    name,
    version: v.version,
    creation_timestamp: created,
    last_updated_timestamp: created,
    current_stage: v.current_stage ?? 'None',
    ...(v.description ? { description: v.description } : {}),
    source: v.source,
    ...(v.run_id ? { run_id: v.run_id } : {}),
    status: 'READY',
    ...(v.tags?.length ? { tags: v.tags } : {}),
    ...(aliases.length ? { aliases } : {}),
  });
  const page = <T>(items: T[], token: string | null, max: number) => {
    const start = token ? Number(Buffer.from(token, 'base64').toString()) : 0;
    const size = Math.min(max, pageSize);
    const next =
      start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
    return { slice: items.slice(start, start + size), next };
  };
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    const max = Number(u.searchParams.get('max_results') ?? '100');
    if (req.method === 'GET' && u.pathname === '/api/2.0/mlflow/registered-models/search') {
      const names = [...models.keys()].sort();
      const { slice, next } = page(names, u.searchParams.get('page_token'), max);
      return send(res, 200, {
        ...(slice.length
          ? {
              registered_models: slice.map((name) => {
                const m = models.get(name)!;
                return {
                  name,
                  creation_timestamp: created,
                  last_updated_timestamp: created,
                  ...(m.description ? { description: m.description } : {}),
                  ...(m.tags?.length ? { tags: m.tags } : {}),
                  ...(m.aliases?.length ? { aliases: m.aliases } : {}),
                };
              }),
            }
          : {}),
        ...(next ? { next_page_token: next } : {}),
      });
    }
    if (req.method === 'GET' && u.pathname === '/api/2.0/mlflow/model-versions/search') {
      const m = /^name='((?:[^'\\]|\\.)*)'$/.exec(u.searchParams.get('filter') ?? '');
      if (!m) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'unsupported filter' });
      const name = m[1]!.replace(/\\'/g, "'");
      const model = models.get(name);
      const versions = model ? [...model.versions].sort((a, b) => Number(b.version) - Number(a.version)) : [];
      const { slice, next } = page(versions, u.searchParams.get('page_token'), max);
      return send(res, 200, {
        ...(slice.length
          ? {
              model_versions: slice.map((v) =>
                versionJson(
                  name,
                  v,
                  (model?.aliases ?? []).filter((a) => a.version === v.version).map((a) => a.alias),
                ),
              ),
            }
          : {}),
        ...(next ? { next_page_token: next } : {}),
      });
    }
    send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint found for ${u.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    models,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
