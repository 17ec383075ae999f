// `npm test`: builds the package (the e2e tests run the built `osiris` bin as a user would), then
// runs every test file under tests/ with node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return testFiles(file);
    return name.endsWith('.test.ts') ? [path.relative(root, file)] : [];
  });
}

const filter = process.argv.slice(2);
const files = testFiles(path.join(root, 'tests')).filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}
run('npm', ['run', 'build', '--silent']);
// A file whose tests have all finished ends even if a native handle (the Temporal runtime's log
// forwarding) would keep its process alive; a test that hangs fails after 20 minutes instead of holding CI.
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=1200000', '--test-reporter=spec', ...files.sort()]);
