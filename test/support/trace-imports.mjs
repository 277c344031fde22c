// Preload (`node --import ./trace-imports.mjs …`): appends the URL of every module the process
// resolves to the file named by ASSAY_TRACE_IMPORTS, one per line. test/cli-start.test.ts uses it
// to check which modules a CLI command loads.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.ASSAY_TRACE_IMPORTS)}, result.url + '\\n');
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
