// Rebuilds evals/rental.sqlite (the seventh eval suite's database) from src/agent/eval/rental-db.ts.
import { rmSync } from 'node:fs';
import { buildRentalDatabase } from '../src/agent/eval/rental-db.js';
const file = new URL('../evals/rental.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildRentalDatabase(file);
console.log(`wrote ${file}`);
