// The core must stay pure (shared/DESIGN.md §1): no I/O, no clock, no randomness,
// no imports of the service libraries. This test reads every engine source file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../../engine/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const forbiddenImport = /(?:from|import)\s*\(?\s*['"](knex|pg|pg-[\w-]+|bullmq|ioredis|koa|@koa\/[\w-]+|nodemailer|pino|fs|path|crypto|http|https|net|os|child_process|worker_threads|node:[\w/]+)['"]/;
const impureCall = /Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(|process\.(env|hrtime|nextTick)|setTimeout\(|setInterval\(|crypto\.randomUUID|\beval\(|new Function\(/;

describe('engine purity', () => {
  const files = sources(root);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s imports nothing impure and reads no clock', (_name, file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const offending = lines
      .map((text, i) => ({ line: i + 1, text }))
      .filter(({ text }) => !text.trim().startsWith('//') && !text.trim().startsWith('*'))
      .filter(({ text }) => forbiddenImport.test(text) || impureCall.test(text));
    expect(offending).toEqual([]);
  });
});
