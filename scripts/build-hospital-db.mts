// Rebuilds evals/hospital.sqlite (the third eval suite's database) from src/agent/eval/hospital-db.ts.
import { rmSync } from 'node:fs';
import { buildHospitalDatabase } from '../src/agent/eval/hospital-db.js';
const file = new URL('../evals/hospital.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildHospitalDatabase(file);
console.log(`wrote ${file}`);
