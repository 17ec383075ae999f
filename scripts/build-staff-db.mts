// Rebuilds evals/staff.sqlite (the ninth eval suite's database) from src/agent/eval/staff-db.ts.
import { rmSync } from 'node:fs';
import { buildStaffDatabase } from '../src/agent/eval/staff-db.js';
const file = new URL('../evals/staff.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildStaffDatabase(file);
console.log(`wrote ${file}`);
