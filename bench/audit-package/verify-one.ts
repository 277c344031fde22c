/** Verifies one package (the code of `assay verify-package`); prints seconds and peak RSS as JSON. */
import { verifyPackage } from '../../src/governance/audit-package/verify-package.ts';

const t0 = performance.now();
const result = await verifyPackage(process.argv[2]!);
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds: +seconds.toFixed(2),
    ok: result.ok,
    problems: result.problems.length,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
process.exitCode = result.ok ? 0 : 1;
