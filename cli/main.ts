// The `camau` command: one entry per subcommand, each with its own --help.
import { readFile } from 'node:fs/promises';
import { simulate } from './simulate.js';
import { formatDiagnostics, loadModel } from './models.js';
import { replay, verify, verifyBundle } from './history.js';
import { serve } from './serve.js';
import { openRuntime } from '../runtime/open.js';
import { DataFolderInUse } from '../db/pglite-lock.js';
import { deployBpmn, deployDmn } from '../runtime/commands/deploy-definition.js';
import { startCase } from '../runtime/commands/start-case.js';
import { resolveIncident } from '../runtime/commands/resolve-incident.js';
import { readSettings, writeSettings, type SettingsView } from '../runtime/commands/settings.js';
import { completeTask } from '../runtime/commands/complete-task.js';
import { signOff } from '../runtime/commands/sign-off.js';
import { accessFor } from '../runtime/access.js';
import { systemAccess } from '../db/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { startWorkers } from '../workers/main.js';
import { queuesFromEnv } from '../workers/queues/open.js';
import { mailerFromEnv } from '../workers/notifications/index.js';
import { devKey, devToken } from '../api/auth.js';
import { seedDemo, DEMO_USERS } from '../workflows/demo/seed.js';
import { seedDemoCases } from '../workflows/demo/cases.js';
import { deployBundled } from '../workflows/deploy.js';

interface Args {
  positional: string[];
  flag(name: string): string | undefined;
  has(name: string): boolean;
}

interface Command {
  usage: string;
  help: string;
  run(args: Args): Promise<number>;
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function withRuntime(fn: (rt: Runtime) => Promise<number>): Promise<number> {
  const rt = await openRuntime();
  try {
    return await fn(rt);
  } finally {
    await rt.db.close();
  }
}

const untilSignal = () => new Promise<void>((resolve) => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve());
});

const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'camau serve',
    help: 'Run the API, the web pages and the workers in one process. Without DATABASE_URL and REDIS_URL it uses PGlite in CAMAU_DATA_DIR (default ./.camau) and in-process queues, and loads the demo region into an empty database. PORT (default 3000) and HOST (default 127.0.0.1) choose where it listens.',
    async run() {
      const stop = await serve(out);
      await untilSignal();
      await stop();
      return 0;
    },
  },
  worker: {
    usage: 'camau worker',
    help: 'Run the outbox relay, the reconciler and the timer and notification workers (BullMQ when REDIS_URL is set, else the embedded driver). Several may run at once. SIGTERM lets active jobs finish.',
    async run() {
      const rt = await openRuntime();
      const queues = queuesFromEnv(rt.db);
      const running = await startWorkers(rt, queues, { mailer: mailerFromEnv(), onError: (where, e) => err(`${where}: ${(e as Error).message}`) });
      out(`camau worker running (${queues.kind} queues)`);
      await untilSignal();
      await running.stop();
      await rt.db.close();
      out('camau worker stopped');
      return 0;
    },
  },
  migrate: {
    usage: 'camau migrate',
    help: 'Bring the database (DATABASE_URL, or PGlite in CAMAU_DATA_DIR) up to date. Migrations only go forward.',
    run: () => withRuntime(async () => { out('database is up to date'); return 0; }),
  },
  deploy: {
    usage: 'camau deploy <model.bpmn|decisions.dmn> [--by <user>]',
    help: 'Deploy a BPMN model, or a DMN file (one definition per decision; business-rule tasks call the latest version). The same source again returns its existing version; a changed one becomes the next version. Prints every diagnostic and exits 1 if the model is rejected.',
    async run(a) {
      if (!a.positional[0]) return usage('deploy');
      const source = await readFile(a.positional[0], 'utf8');
      const deploy = a.positional[0].endsWith('.dmn') ? deployDmn : deployBpmn;
      return withRuntime(async (rt) => {
        const r = await deploy(rt, source, a.flag('--by') ?? 'cli');
        if (!r.ok) {
          out(`${r.error.message}\n${formatDiagnostics((r.error.details?.diagnostics ?? []) as never)}`);
          return 1;
        }
        for (const d of r.value) out(`${d.key} version ${d.version}${d.created ? '' : ' (already deployed)'}`);
        return 0;
      });
    },
  },
  lint: {
    usage: 'camau lint <model.bpmn|decisions.dmn|machine.ts>',
    help: 'Check a model as deployment would and print every diagnostic (element id, rule code, message). Exit 0 when valid, 1 when not.',
    async run(a) {
      if (!a.positional[0]) return usage('lint');
      const loaded = await loadModel(a.positional[0]);
      if (loaded.ok) {
        const keys = [...loaded.definitions.map((d) => d.ref.key), ...Object.keys(loaded.decisions?.decisions ?? {})];
        out(`${a.positional[0]}: ok (${keys.join(', ')})`);
        return 0;
      }
      out(formatDiagnostics(loaded.diagnostics));
      return 1;
    },
  },
  start: {
    usage: 'camau start <process> (--school <id> | --person <id>) [--vars <json>] [--by <user>]',
    help: 'Start a case of a deployed process for a school or a staff member and print its id. The tenant (the employing LA) follows from the school. Runs as an operator (it sees every LA).',
    async run(a) {
      const key = a.positional[0];
      const school = a.flag('--school') ?? a.flag('--tenant');
      const person = a.flag('--person');
      if (!key || !!school === !!person) return usage('start');
      let variables: Record<string, unknown> = {};
      try {
        variables = JSON.parse(a.flag('--vars') ?? '{}');
      } catch (e) {
        err(`--vars is not valid JSON: ${(e as Error).message}`);
        return 2;
      }
      return withRuntime(async (rt) => {
        const r = await startCase(rt, systemAccess('camau start'), { definitionKey: key, ...(school ? { schoolId: school } : { subjectPersonId: person }), variables, actor: { userId: a.flag('--by') ?? 'cli' } });
        if (!r.ok) {
          err(`${r.error.code}: ${r.error.message}`);
          return 1;
        }
        out(r.value.caseId);
        return 0;
      });
    },
  },
  simulate: {
    usage: 'camau simulate <model.bpmn|machine.ts> --scenario <scenario.json>',
    help: 'Run a scenario on a virtual clock. Prints the trace as JSON lines, then "N passed, M failed"; exit 0 only if every expectation held. The scenario\'s "definitions" may list further .bpmn models and the .dmn files whose decisions business-rule tasks call. The format is in shared/SCENARIOS.md.',
    async run(a) {
      const scenario = a.flag('--scenario');
      if (!a.positional[0] || !scenario) return usage('simulate');
      return simulate(a.positional[0], scenario, out);
    },
  },
  replay: {
    usage: 'camau replay <case> [--at <seq>]',
    help: 'Print the state of a case after event <seq> (default: the last): what an auditor steps through.',
    async run(a) {
      const at = a.flag('--at');
      if (!a.positional[0] || (at !== undefined && !/^\d+$/.test(at))) return usage('replay');
      return withRuntime((rt) => replay(rt, a.positional[0], at === undefined ? undefined : Number(at), out));
    },
  },
  verify: {
    usage: 'camau verify <case> | camau verify --bundle <case-bundle.json>',
    help: "Recompute a case's hash chain and replay its events against its stored state: exit 0 when intact, otherwise 1 and the first broken seq. With --bundle, check an exported bundle offline (no database).",
    async run(a) {
      const bundle = a.flag('--bundle');
      if (bundle) return verifyBundle(bundle, out);
      if (!a.positional[0]) return usage('verify');
      return withRuntime((rt) => verify(rt, a.positional[0], out));
    },
  },
  incidents: {
    usage: 'camau incidents [--case <id>]',
    help: 'List open incidents (what is stuck, and why), newest first.',
    run: (a) => withRuntime(async (rt) => {
      const rows = await rt.db.transaction(systemAccess('camau incidents'), (trx) => {
        const q = trx('incidents').where({ status: 'open' }).orderBy('created_at', 'desc').limit(200);
        if (a.flag('--case')) q.where({ case_id: a.flag('--case') });
        return q;
      });
      for (const i of rows) out(`${i.case_id}  ${i.incident_id}  ${i.code}  ${i.element_id ?? ''}  ${i.message}`);
      if (rows.length === 0) out('no open incidents');
      return 0;
    }),
  },
  retry: {
    usage: 'camau retry <case> <incident> [--vars <json>]',
    help: 'Resolve an incident: retry what failed (the element, the job or the call), optionally after setting variables.',
    async run(a) {
      const [caseId, incidentId] = a.positional;
      if (!caseId || !incidentId) return usage('retry');
      let variables: Record<string, unknown> | undefined;
      try {
        variables = a.flag('--vars') ? JSON.parse(a.flag('--vars')!) : undefined;
      } catch (e) {
        err(`--vars is not valid JSON: ${(e as Error).message}`);
        return 2;
      }
      return withRuntime(async (rt) => {
        const r = await resolveIncident(rt, systemAccess('camau retry'), caseId, incidentId, { actor: { system: 'camau retry' } }, variables);
        if (!r.ok) {
          err(`${r.error.code}: ${r.error.message}`);
          return 1;
        }
        out(`retried ${incidentId}; case ${caseId} is now at version ${r.value.version}`);
        return 0;
      });
    },
  },
  settings: {
    usage: 'camau settings get <la> <workflow> | camau settings set <la> <workflow> <name>=<value>... [--by <user>]',
    help: "An LA's policy settings for a workflow (notice days, period lengths, the trigger table, the term dates): the values its new cases start with. `get` prints each setting, its value and its default. `set` changes the values named and keeps the others; `<name>=` puts one back to its default. A value is read as JSON when it is JSON (7, \"P15D\"), else as text (R/P6W). A value that does not fit is refused and nothing is saved. Cases already started keep the values they started with.",
    async run(a) {
      const [verb, la, key, ...pairs] = a.positional;
      if (!la || !key || (verb !== 'get' && verb !== 'set') || (verb === 'set' && pairs.length === 0) || (verb === 'get' && pairs.length > 0)) return usage('settings');
      const changes: Record<string, unknown> = {};
      for (const pair of pairs) {
        const m = /^([A-Za-z]\w*)=(.*)$/.exec(pair);
        if (!m) {
          err(`"${pair}" is not <name>=<value>`);
          return 2;
        }
        changes[m[1]] = m[2] === '' ? undefined : parseValue(m[2]);
      }
      return withRuntime(async (rt) => {
        let r = await readSettings(rt, la, key);
        if (r.ok && verb === 'set') r = await writeSettings(rt, la, key, { ...r.value.laValues, ...changes }, a.flag('--by') ?? 'cli');
        if (!r.ok) {
          err(`${r.error.code}: ${r.error.message}`);
          for (const i of (r.error.details?.issues ?? []) as Array<{ path: string; message: string }>) err(`  ${i.path}: ${i.message}`);
          return 1;
        }
        printSettings(r.value);
        return 0;
      });
    },
  },
  tasks: {
    usage: 'camau tasks [--case <id>] [--user <id>]',
    help: "List open tasks (case, element instance, element, name, who may do it, due date), oldest due first. With --user, only what that user's organisations may see. Runs as an operator.",
    run: (a) => withRuntime(async (rt) => {
      const user = a.flag('--user');
      const access = user ? (await accessFor(rt, user)).access : systemAccess('camau tasks');
      const rows = await rt.db.transaction(access, (trx) => {
        const q = trx('tasks').where({ status: 'open' }).orderBy([{ column: 'due_at', order: 'asc' }, { column: 'created_at', order: 'asc' }]).limit(200);
        if (a.flag('--case')) q.where({ case_id: a.flag('--case') });
        return q;
      });
      for (const t of rows) {
        const who = [t.assignee, ...(t.candidate_groups ?? [])].filter(Boolean).join(',');
        const signoff = t.signoff ? ` sign-off: ${t.signoff.roles.join(' + ')}` : '';
        out(`${t.case_id}  ${t.eid.padEnd(6)} ${t.element_id.padEnd(20)} ${t.names?.cy ? `${t.names.cy} / ${t.names.en}` : t.name}  [${who}]${signoff}${t.due_at ? `  due ${new Date(t.due_at).toISOString()}` : ''}`);
      }
      if (rows.length === 0) out('no open tasks');
      return 0;
    }),
  },
  complete: {
    usage: 'camau complete <case> <element> --by <user> [--vars <json>]',
    help: "Complete the open task at an element (its id in the model, e.g. draftPlan, or an element instance id from `camau tasks`) as a user, with variables. Runs as an operator: the user's organisations decide what they see; the API's role checks are not applied.",
    async run(a) {
      const [caseId, element] = a.positional;
      const by = a.flag('--by');
      if (!caseId || !element || !by) return usage('complete');
      let variables: Record<string, unknown> = {};
      try {
        variables = JSON.parse(a.flag('--vars') ?? '{}');
      } catch (e) {
        err(`--vars is not valid JSON: ${(e as Error).message}`);
        return 2;
      }
      return withRuntime(async (rt) => {
        const { access } = await accessFor(rt, by);
        const eid = await openTask(rt, access, caseId, element);
        if (!eid) return 1;
        return printChange(await completeTask(rt, access, caseId, eid, variables, { actor: { userId: by } }));
      });
    },
  },
  'sign-off': {
    usage: 'camau sign-off <case> <element> --by <user> --role <role> [--return --comment <text>]',
    help: "Approve (or with --return, send back with a comment) a jointly signed task for one role, as a user. The joint sign-off rules hold: one person signs for one role and may not approve what they wrote. Runs as an operator.",
    async run(a) {
      const [caseId, element] = a.positional;
      const by = a.flag('--by');
      const role = a.flag('--role');
      if (!caseId || !element || !by || !role) return usage('sign-off');
      return withRuntime(async (rt) => {
        const { access } = await accessFor(rt, by);
        const eid = await openTask(rt, access, caseId, element);
        if (!eid) return 1;
        const comment = a.flag('--comment');
        return printChange(await signOff(rt, access, caseId, { eid, role, userId: by, decision: a.has('--return') ? 'return' : 'approve', ...(comment ? { comment } : {}) }, { actor: { userId: by, role } }));
      });
    },
  },
  token: {
    usage: 'camau token --user <id> [--ttl 8h]',
    help: 'Print a development bearer token for a user (signed with the local key, CAMAU_DEV_KEY or .camau/dev-jwt.key). Production uses your OIDC issuer instead.',
    async run(a) {
      const user = a.flag('--user');
      if (!user) return usage('token');
      out(await devToken(user, devKey(), a.flag('--ttl') ?? '8h'));
      return 0;
    },
  },
  'seed-demo': {
    usage: 'camau seed-demo',
    help: 'Load the demo region (four LAs, twelve schools, people and a user for every role), deploy the bundled workflows and start the demo cases, each driven to a different stage. Safe to run again: existing cases are left as they are.',
    run: () => withRuntime(async (rt) => {
      await seedDemo(rt.db);
      for (const d of await deployBundled(rt)) out(`deployed ${d}`);
      out('demo users (camau token --user <id>):');
      for (const u of DEMO_USERS) out(`  ${u.id.padEnd(16)} ${u.name} — ${u.roles.map(([r, o]) => `${r} @ ${o}`).join(', ')}`);
      out('demo cases:');
      for (const c of await seedDemoCases(rt)) out(`  ${c.demo.ref.padEnd(12)} ${c.caseId}  ${c.demo.workflow}: ${c.demo.stage.cy} / ${c.demo.stage.en}${c.created ? '' : ' (already there)'}`);
      return 0;
    }),
  },
};

/** The open task of a case at an element (model id) or element instance id, as the user sees it. */
async function openTask(rt: Runtime, access: Parameters<typeof completeTask>[1], caseId: string, element: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) {
    err(`NOT_FOUND: No case ${caseId}`);
    return undefined;
  }
  const rows = await rt.db.transaction(access, (trx) => trx('tasks').where({ case_id: caseId, status: 'open' }).andWhere((q) => q.where({ element_id: element }).orWhere({ eid: element })).orderBy('created_at'));
  if (rows.length === 0) err(`NOT_FOUND: No open task ${element} in case ${caseId} that this user can see`);
  return rows[0]?.eid;
}

function printChange(r: Awaited<ReturnType<typeof completeTask>>): number {
  if (!r.ok) {
    err(`${r.error.code}: ${r.error.message}`);
    return 1;
  }
  const waiting = Object.values(r.value.state.elements).filter((e) => e.wait && e.wait.kind !== 'scope').map((e) => e.el);
  out(`case ${r.value.caseId} is at version ${r.value.version}, ${r.value.state.status}${waiting.length ? `; waiting at ${[...new Set(waiting)].join(', ')}` : ''}`);
  return 0;
}

/** A setting's value from the command line: JSON when it parses (7, true, "P15D"), else the text itself. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function printSettings(v: SettingsView): void {
  out(`${v.workflowKey} settings of ${v.la}${v.updatedBy ? ` (changed by ${v.updatedBy} at ${v.updatedAt})` : ' (all defaults)'}`);
  for (const s of v.settings) {
    const own = s.name in v.laValues;
    const value = own ? v.laValues[s.name] : s.default ?? "the LA's own";
    out(`  ${s.name.padEnd(18)} ${String(value).padEnd(16)} ${own ? `(default ${s.default ?? "the LA's own"})` : '(default)'}  ${s.label.cy} / ${s.label.en}`);
  }
}

function usage(name: string): number {
  err(`usage: ${COMMANDS[name].usage}`);
  return 2;
}

function overview(): string {
  return `camau <command> [--help]\n\n${Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}`).join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    process.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    err(`camau: unknown command "${name}"\n${overview()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${cmd.usage}\n\n${cmd.help}`);
    return 0;
  }
  const args: Args = {
    positional: rest.filter((a, i) => !a.startsWith('--') && !rest[i - 1]?.startsWith('--')),
    flag: (f) => {
      const i = rest.indexOf(f);
      return i >= 0 ? rest[i + 1] : undefined;
    },
    has: (f) => rest.includes(f),
  };
  try {
    return await cmd.run(args);
  } catch (e) {
    // A data folder another process holds is the user's to resolve: say so, without a stack.
    if (e instanceof DataFolderInUse) {
      err(`camau: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
