// Rebuilds evals/trade.sqlite (the eighth eval suite's database) from src/agent/eval/trade-db.ts.
import { rmSync } from 'node:fs';
import { buildTradeDatabase } from '../src/agent/eval/trade-db.js';
const file = new URL('../evals/trade.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildTradeDatabase(file);
console.log(`wrote ${file}`);
