// npm run eval:red-team: each false sentence of red-team.txt grounded alone against its scenario's facts; prints those
// still accepted (no finding) and the count. A sentence is judged alone: what the whole answer leaves out is not.
import fs from 'node:fs';
import path from 'node:path';
import { buildFacts, defaultClinicalOptions, type Facts } from '../../src/clinical';
import { groundAnswer } from '../../src/clinical/grounding';
import { NOW, scenarios, scenarioWeek } from './scenarios';

const lines = fs
  .readFileSync(path.join(__dirname, 'red-team.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));
const facts = new Map<string, Facts>();
let accepted = 0;
for (const line of lines) {
  const bar = line.indexOf('|');
  const key = line.slice(0, bar).trim();
  const text = line.slice(bar + 1).trim();
  const scenario = scenarios.find((s) => s.key === key);
  if (!scenario) throw new Error(`unknown scenario: ${key}`);
  if (!facts.has(key)) facts.set(key, buildFacts(scenarioWeek(scenario), NOW, defaultClinicalOptions));
  const { check } = groundAnswer([{ text, facts: [] }], facts.get(key)!);
  if ((check.findings ?? []).length === 0) {
    accepted++;
    console.log(`accepted  [${key}] ${text}`);
  }
}
console.log(`\n${accepted} of ${lines.length} false sentences accepted; ${lines.length - accepted} rejected`);
