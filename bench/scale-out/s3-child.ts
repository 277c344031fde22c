// An s3rver (test/support/s3-server.ts) in a process of its own, as an S3 service is in a real
// deployment: the reader and the server then use separate cores. Prints the store options as one
// JSON line on stdout, and stops (removing its directory) when its stdin closes or on SIGTERM.
import { startTestS3 } from '../../test/support/s3-server.ts';

const s3 = await startTestS3(process.argv[2] || 'assay-bench');
process.stdout.write(`${JSON.stringify({ options: s3.options, env: s3.env })}\n`);
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await s3.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
