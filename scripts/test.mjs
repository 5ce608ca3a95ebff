#!/usr/bin/env node
// The one test command (README): type-check, then every jest project.
// Integration suites need PostgreSQL and Redis: from DATABASE_URL / REDIS_URL, or the local
// defaults (127.0.0.1:5432 user postgres, 127.0.0.1:6379). If neither answers, this script
// tries to start throwaway servers from the Debian packages and otherwise says how to get them;
// it never skips the real-service tests.
import { spawnSync } from 'node:child_process';
import { ensureServices } from './services.mjs';

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const env = await ensureServices();
run('npx', ['tsc', '--noEmit']);
run(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)], env);
