// Prints each eval scenario's facts and fallback: what the cases are written against (npx tsx eval/grounding/print-facts.ts).
import { buildFacts, defaultClinicalOptions } from '../../src/clinical';
import { fallbackSentences } from '../../src/clinical/fallback';
import { NOW, scenarios, scenarioWeek } from '../../eval/grounding/scenarios';
for (const s of scenarios) {
  const f = buildFacts(scenarioWeek(s), NOW, defaultClinicalOptions);
  console.log('=====', s.key);
  const l = f.news2.latest!,
    m = f.news2.max!;
  console.log(
    'latest',
    l.total,
    l.band,
    l.anySingleThree,
    'partial',
    l.partial,
    l.missing,
    JSON.stringify(l.rejected),
    l.hoursAgo,
    JSON.stringify(l.subScores),
    l.response.minimumMonitoring,
  );
  console.log('values', JSON.stringify(l.values));
  console.log('max', m.observationId === l.observationId ? 'same' : `${m.total} ${m.band} ${m.hoursAgo}h ${JSON.stringify(m.values)}`);
  console.log(
    'scores',
    f.news2.scores.map((x) => `${x.total}${x.partial ? 'p' : ''}@${x.hoursAgo}`).join(' '),
    'trend',
    JSON.stringify(f.news2.trend),
    'scale',
    f.news2.scale,
  );
  console.log('vitals overdue', f.vitals.overdue, f.vitals.hoursSinceLastObservation, 'count', f.vitals.observationCount);
  const a = f.adherence;
  console.log(
    'adh',
    a.overallPct,
    `due ${a.due} given ${a.given} missed ${a.missed} refused ${a.refused} held ${a.held}`,
    'critMissed',
    a.criticalMissed,
  );
  for (const med of a.meds)
    console.log(
      '  med',
      med.drug,
      med.drugClass,
      med.critical,
      `due ${med.due} given ${med.given} missed ${med.missed} refused ${med.refused} pct ${med.pct} run ${med.currentMissedRun}/${med.longestMissedRun}`,
    );
  console.log('notes', f.notes.map((n) => n.flag).join(','));
  console.log(
    fallbackSentences(f)
      .map((x) => '   > ' + x.text)
      .join('\n'),
  );
}
