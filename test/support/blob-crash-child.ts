// Run by blob-stores.test.ts as a separate process and killed with SIGKILL mid-write: it opens the
// blob store described by ASSAY_* in its environment, writes an endless stream into it and says
// "writing" on stdout once several MiB have gone in.
import { Readable } from 'node:stream';
import { openBlobStore } from '../../src/platform/blobs/blob-config.ts';
import { loadConfig } from '../../src/platform/config.ts';

const config = loadConfig(process.env);
const store = await openBlobStore(config.blobStore, config.dataDir);
let sent = 0;
const endless = new Readable({
  read() {
    sent += 1024 * 1024;
    if (sent === 12 * 1024 * 1024) process.stdout.write('writing\n');
    setTimeout(() => this.push(Buffer.alloc(1024 * 1024, sent % 251)), sent > 12 * 1024 * 1024 ? 50 : 0);
  },
});
await store.put(endless, Number.MAX_SAFE_INTEGER);
