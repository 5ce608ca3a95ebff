// One process at a time on a PGlite data folder: a second opener is refused with a message that
// names the folder and the holder; the lock goes with close(), and one left by a dead process is
// taken over. PGlite takes seconds to start on a busy machine, hence the long timeouts.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Database } from '../../db/connection.js';
import { DataFolderInUse } from '../../db/pglite-lock.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'camau-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('PGlite data folder lock', () => {
  it('refuses a second opener while the first holds the folder, and frees it on close', async () => {
    const dir = fresh();
    const first = Database.open({ dataDir: dir });
    await first.knex.raw('select 1');
    let refused: unknown;
    try {
      Database.open({ dataDir: dir });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DataFolderInUse);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    await first.close();
    expect(existsSync(join(dir, 'camau.lock'))).toBe(false);
    const again = Database.open({ dataDir: dir });
    await again.knex.raw('select 1');
    await again.close();
  }, 120_000);

  it('takes over a lock left by a process that has died', async () => {
    const dir = fresh();
    // A real pid that no longer exists: a child that has already exited.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'camau.lock'), child.stdout);
    const db = Database.open({ dataDir: dir });
    await db.knex.raw('select 1');
    await db.close();
  }, 120_000);

  it('leaves in-memory databases alone', async () => {
    const a = Database.open({ dataDir: 'memory' });
    const b = Database.open({ dataDir: 'memory' });
    // Both are usable at once; each is queried before it closes, so no PGlite start-up outlives the test.
    await Promise.all([a.knex.raw('select 1'), b.knex.raw('select 1')]);
    await Promise.all([a.close(), b.close()]);
  }, 120_000);
});
