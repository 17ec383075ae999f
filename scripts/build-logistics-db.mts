// Rebuilds evals/logistics.sqlite (the fourth eval suite's database) from src/agent/eval/logistics-db.ts.
import { rmSync } from 'node:fs';
import { buildLogisticsDatabase } from '../src/agent/eval/logistics-db.js';
const file = new URL('../evals/logistics.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildLogisticsDatabase(file);
console.log(`wrote ${file}`);
