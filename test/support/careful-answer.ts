// A careful model for tests: reads the prompt's facts and answers with references that say what matters, so grounding accepts it.
import { openaiReply, type FakeStep } from './fake-upstream';

interface PromptFacts {
  news2: {
    latest: { band: string; partial: boolean; missing: string[]; rejected: { field: string; value: number | null }[] } | null;
  };
  vitals: { overdue: boolean };
  adherence: { meds: { drug: string; critical: boolean; missed: number; refused: number }[] };
}

const labels: Record<string, [string, string]> = {
  respiratoryRate: ['respiratory rate', '/min'],
  spo2: ['SpO2', '%'],
  systolicBp: ['systolic BP', ' mmHg'],
  diastolicBp: ['diastolic BP', ' mmHg'],
  heartRate: ['pulse', '/min'],
  temperatureC: ['temperature', ' °C'],
};

const missingLabels: Record<string, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  systolicBp: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

/** The user message of an OpenAI or Anthropic request body: the prompt's JSON data. */
function promptOf(body: unknown): { facts: PromptFacts } | null {
  const messages = (body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  const user = messages.find((m) => m.role === 'user');
  const content =
    typeof user?.content === 'string'
      ? user.content
      : Array.isArray(user?.content)
        ? (user.content[0] as { text?: string })?.text
        : undefined;
  try {
    return content ? (JSON.parse(content) as { facts: PromptFacts }) : null;
  } catch {
    return null;
  }
}

/** The answer (JSON text) a careful model gives to this request: the latest NEWS2, overdue, rejected values, critical medicines. */
export function carefulAnswer(requestBody: unknown): string {
  const prompt = promptOf(requestBody);
  if (!prompt) return JSON.stringify({ sentences: [{ text: 'No facts were given.' }] });
  const { news2, vitals, adherence } = prompt.facts;
  const sentences: string[] = [];
  const latest = news2.latest;
  if (!latest) sentences.push('No observations were recorded in the window: observations are overdue.');
  else {
    sentences.push(`Latest {news2.latest.total} (${latest.partial ? 'at least ' : ''}{news2.latest.band} risk), {news2.latest.hoursAgo}.`);
    if (vitals.overdue) sentences.push('Observations are overdue: the last set was {vitals.hoursSinceLastObservation}.');
    // A partial set is said with what was not recorded (oxygen has no name of its own in a claim).
    const missing = latest.missing.filter((field) => field !== 'airOrOxygen').map((field) => missingLabels[field] ?? field);
    if (latest.partial && missing.length) sentences.push(`At the latest set ${missing.join(' and ')} were not recorded.`);
    if (latest.rejected.length) {
      const values = latest.rejected.map(({ field, value }) => `${labels[field][0]} ${value}${labels[field][1]}`);
      sentences.push(`Rejected as impossible at the latest set: ${values.join(' and ')}.`);
    }
  }
  const critical = adherence.meds.flatMap((med, i) =>
    med.critical && med.missed + med.refused > 0
      ? [`${med.drug}: {adherence.meds.${i}.missed} missed, {adherence.meds.${i}.refused} refused`]
      : [],
  );
  if (critical.length) sentences.push(`${critical.join('; ')}.`);
  return JSON.stringify({ sentences: sentences.map((text) => ({ text })) });
}

/** A fake upstream step that answers every request as a careful model would (OpenAI shape). */
export const carefulReply = (): FakeStep => ({ reply: (request) => openaiReply(carefulAnswer(request.json)) });
