// Finds PostgreSQL and Redis for the integration tests, or starts local ones, or explains.
import { spawnSync } from 'node:child_process';
import net from 'node:net';

const DEFAULT_DB = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

function reachable(url) {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432));
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port, timeout: 1500 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

function tryStart(what) {
  const cmd = what === 'postgres'
    ? 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main start'
    : 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';
  spawnSync('bash', ['-c', cmd], { stdio: 'ignore' });
}

const HOWTO = {
  postgres: 'PostgreSQL is not reachable. Set DATABASE_URL, or install and start it: apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  redis: 'Redis is not reachable. Set REDIS_URL, or install and start it: apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
};

export async function ensureServices() {
  const env = { ...process.env };
  env.TEST_DATABASE_URL = process.env.DATABASE_URL || DEFAULT_DB;
  env.TEST_REDIS_URL = process.env.REDIS_URL || DEFAULT_REDIS;
  for (const [what, url] of [['postgres', env.TEST_DATABASE_URL], ['redis', env.TEST_REDIS_URL]]) {
    if (await reachable(url)) continue;
    const local = new URL(url).hostname === '127.0.0.1' || new URL(url).hostname === 'localhost';
    if (local) {
      tryStart(what);
      for (let i = 0; i < 20 && !(await reachable(url)); i++) await new Promise((r) => setTimeout(r, 500));
      if (await reachable(url)) continue;
    }
    console.error(HOWTO[what]);
    process.exit(2);
  }
  return env;
}
