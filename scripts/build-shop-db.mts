// Rebuilds evals/shop.sqlite (the second eval suite's database) from src/agent/eval/shop-db.ts.
import { rmSync } from 'node:fs';
import { buildShopDatabase } from '../src/agent/eval/shop-db.js';
const file = new URL('../evals/shop.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildShopDatabase(file);
console.log(`wrote ${file}`);
