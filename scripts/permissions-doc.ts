// Writes docs/permissions.md from the rule table and the route guard table.
//   node --import tsx scripts/permissions-doc.ts
import fs from 'node:fs';
import path from 'node:path';
import { renderPermissionsDoc } from '../src/platform/auth/permissions-doc.ts';

const target = path.resolve(import.meta.dirname, '../docs/permissions.md');
fs.writeFileSync(target, renderPermissionsDoc());
process.stdout.write(`wrote ${target}\n`);
