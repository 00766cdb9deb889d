// The compact view of a summary (`view=compact`): what a dashboard row shows — the summary, the latest NEWS2 with its
// band and trend, the window's NEWS2 series as numbers only, adherence and flags — about 1 KB instead of 20–40 KB.
import { z } from 'zod';
import { NoteFlagSchema } from '../clinical/notes';
import { RiskBandSchema } from '../clinical/news2';
import type { SummaryResponse } from '../services/summary-core';

/**
 * The compact view's media type: another representation of the same resource, so the documented `application/json`
 * body (and every typed client built from it) stays the full contract body.
 */
export const COMPACT_JSON = 'application/vnd.shiftnote.compact+json';

export const viewQuery = z.enum(['full', 'compact']).optional().meta({
  description:
    '`compact`: the summary, the latest NEWS2 with band and trend, the NEWS2 series as numbers only, adherence and flags (CompactSummary, sent as `application/vnd.shiftnote.compact+json`) — for dashboards. Default `full`: the whole contract body with every fact.',
});
export type SummaryView = z.infer<typeof viewQuery>;

export const compactSummarySchema = z
  .object({
    view: z.literal('compact'),
    patientId: z.uuid(),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    summary: z.string().meta({ description: 'As in the full view: every number in it was checked against the facts.' }),
    source: z.enum(['llm', 'fallback', 'cache']),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    generatedAt: z.iso.datetime(),
    auditEventId: z.uuid().meta({ description: 'Id of the `summary.read` audit row (a compact read is audited as any other).' }),
    grounded: z.boolean().meta({ description: 'grounding.ok of the full view.' }),
    unsupported: z.array(z.string()).meta({ description: 'grounding.unsupported of the full view.' }),
    news2: z.object({
      scale: z.union([z.literal(1), z.literal(2)]),
      latest: z
        .object({ total: z.number().int(), band: RiskBandSchema, partial: z.boolean(), hoursAgo: z.number() })
        .nullable()
        .meta({ description: 'The latest set in the window, null when there is none.' }),
      trend: z.object({ direction: z.enum(['rising', 'falling', 'stable', 'unknown']), recentMean: z.number().nullable() }),
    }),
    series: z.object({ hoursAgo: z.array(z.number()), total: z.array(z.number().int()) }).meta({
      description:
        "Every NEWS2 set in the window, oldest first, as two aligned arrays: when (hours before the window's end) and its total.",
    }),
    adherence: z.object({
      overallPct: z.number().int().nullable(),
      due: z.number().int(),
      given: z.number().int(),
      criticalMissed: z.array(z.string()).meta({ description: 'Drugs of a critical class with a dose missed or refused.' }),
    }),
    flags: z.object({
      observationsOverdue: z.boolean(),
      hoursSinceLastObservation: z.number().nullable(),
      notes: z
        .array(z.object({ flag: NoteFlagSchema, count: z.number().int() }))
        .meta({ description: 'Flagged notes of the window, by flag.' }),
    }),
  })
  .meta({ id: 'CompactSummary' });
export type CompactSummary = z.infer<typeof compactSummarySchema>;

export function compactSummary(s: SummaryResponse): CompactSummary {
  const { news2, vitals, adherence, notes } = s.facts;
  const latest = news2.latest;
  const flagged = new Map<CompactSummary['flags']['notes'][number]['flag'], number>();
  for (const note of notes) if (note.flag) flagged.set(note.flag, (flagged.get(note.flag) ?? 0) + 1);
  return {
    view: 'compact',
    patientId: s.patientId,
    window: s.window,
    summary: s.summary,
    source: s.source,
    provider: s.provider,
    model: s.model,
    generatedAt: s.generatedAt,
    auditEventId: s.auditEventId,
    grounded: s.grounding.ok,
    unsupported: s.grounding.unsupported,
    news2: {
      scale: news2.scale,
      latest: latest ? { total: latest.total, band: latest.band, partial: latest.partial, hoursAgo: latest.hoursAgo } : null,
      trend: { direction: news2.trend.direction, recentMean: news2.trend.recentMean },
    },
    series: { hoursAgo: news2.scores.map((x) => x.hoursAgo), total: news2.scores.map((x) => x.total) },
    adherence: { overallPct: adherence.overallPct, due: adherence.due, given: adherence.given, criticalMissed: adherence.criticalMissed },
    flags: {
      observationsOverdue: vitals.overdue,
      hoursSinceLastObservation: vitals.hoursSinceLastObservation,
      notes: [...flagged].map(([flag, count]) => ({ flag, count })),
    },
  };
}
