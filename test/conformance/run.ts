// `npm run conformance`: every betsy runtime case through the simulator and every
// bpmn_constraints case through deployment, a table per group, then three summary lines.
import { loadManifest, runRuntimeCase, runStaticCase, SUITE_BUGS, type CaseResult } from './betsy.js';

const verbose = process.argv.includes('--verbose');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const cases = loadManifest().filter((c) => !only || c.id.includes(only));
const runtime: CaseResult[] = [];
const statics: CaseResult[] = [];
for (const c of cases) {
  if (c.group === 'bpmn_constraints') statics.push(await runStaticCase(c));
  else runtime.push(await runRuntimeCase(c));
}

function table(title: string, results: CaseResult[]): void {
  const groups = [...new Set(results.map((r) => r.group))];
  console.log(`\n${title}`);
  console.log('| group | passed | failed |');
  console.log('|---|---:|---:|');
  for (const g of groups) {
    const rs = results.filter((r) => r.group === g);
    console.log(`| ${g} | ${rs.filter((r) => r.pass).length} | ${rs.filter((r) => !r.pass).length} |`);
  }
  for (const r of results.filter((x) => !x.pass)) {
    const why = SUITE_BUGS[r.id] ? ` (known suite bug: ${SUITE_BUGS[r.id]})` : r.replayBroken ? ' (replay differs from state)' : '';
    console.log(`  FAIL ${r.id}${why}${verbose || !SUITE_BUGS[r.id] ? `: expected [${r.expected.join(';')}] got [${r.actual.join(';')}]` : ''}`);
  }
}

table('Runtime cases (betsy)', runtime);
table('Static cases (bpmn_constraints: deployment must be rejected)', statics);
const count = (rs: CaseResult[]) => [rs.filter((r) => r.pass).length, rs.filter((r) => !r.pass).length];
const [rp, rf] = count(runtime);
const [sp, sf] = count(statics);
console.log(`\nruntime: ${rp} passed, ${rf} failed`);
console.log(`static: ${sp} passed, ${sf} failed`);
console.log(`conformance: ${rp + sp} passed, ${rf + sf} failed`);
