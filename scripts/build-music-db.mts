// Rebuilds evals/music.sqlite (the sixth eval suite's database) from src/agent/eval/music-db.ts.
import { rmSync } from 'node:fs';
import { buildMusicDatabase } from '../src/agent/eval/music-db.js';
const file = new URL('../evals/music.sqlite', import.meta.url).pathname;
rmSync(file, { force: true });
buildMusicDatabase(file);
console.log(`wrote ${file}`);
