// Rebuilds evals/school.sqlite (the fifth eval suite's database) from src/agent/eval/school-db.ts.
import { rmSync } from 'node:fs';
import { buildSchoolDatabase } from '../src/agent/eval/school-db.js';
const file = new URL('../evals/school.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildSchoolDatabase(file);
console.log(`wrote ${file}`);
