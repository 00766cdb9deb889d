// Shift-start prewarm: summaries for every patient generated ahead, paced, on exactly one instance per slot.
import { randomUUID } from 'node:crypto';
import { canSeeWard, type Principal } from '../access/policy';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Logger } from '../log';
import { actorOf, PREWARM_ACTOR, type Actor, type SummaryServiceDeps } from './summary-core';
import { prepareWardBatch } from './ward-summaries';

export interface PrewarmOptions {
  days: number;
  concurrency: number;
  /** Most summaries started per minute across the prewarm (provider rate limits). */
  perMinute: number;
  instance: string;
  /** Paces model calls; shared by every prewarm of the process when given, else one per ward run. */
  pace?: () => Promise<void>;
}

/** Who asked for an on-demand prewarm: named in every row it causes, under the request's id. */
export interface PrewarmRequester {
  actor: Actor;
  requestId: string;
}

export interface PrewarmOutcome {
  ran: boolean;
  summaries: number;
  failures: number;
  fromCache: number;
}

/** Starts at most `perMinute` a minute, evenly spaced. */
export function pacer(perMinute: number): () => Promise<void> {
  const gapMs = 60_000 / perMinute;
  let nextAt = 0;
  return () => {
    const now = Date.now();
    const at = Math.max(now, nextAt);
    nextAt = at + gapMs;
    return at <= now ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

/**
 * Prewarms one ward for one slot ("2026-11-25T07:00Europe/London", or "manual:<uuid>"). The instance whose
 * INSERT of the slot row succeeds runs it; the others return `ran: false` at once. A scheduled run acts as
 * `shiftnote-prewarm`; an on-demand one as its requester, in the prewarm_run row and every audit row it causes.
 */
export async function prewarmWard(
  deps: SummaryServiceDeps,
  wardId: string,
  slot: string,
  o: PrewarmOptions,
  requester?: PrewarmRequester,
): Promise<PrewarmOutcome> {
  const actor = requester?.actor ?? PREWARM_ACTOR;
  const claimed = await deps.db.prewarmRun.createMany({
    data: [{ wardId, slot, startedBy: o.instance, requestedBy: actor.sub }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) return { ran: false, summaries: 0, failures: 0, fromCache: 0 };
  const batch = await prepareWardBatch(deps, actor, null, {
    wardId,
    days: o.days,
    requestId: requester?.requestId ?? `prewarm-${randomUUID()}`,
    concurrency: o.concurrency,
    auditReads: false,
    pace: o.pace ?? pacer(o.perMinute),
    deadline: 'summary',
  });
  const outcome = { ran: true, summaries: 0, failures: 0, fromCache: 0 };
  await batch.run((result) => {
    if (result.status === 'error') outcome.failures++;
    else {
      outcome.summaries++;
      if (result.summary.source === 'cache') outcome.fromCache++;
    }
  });
  await deps.db.prewarmRun.update({
    where: { wardId_slot: { wardId, slot } },
    data: { summaries: outcome.summaries, failures: outcome.failures, endedAt: new Date() },
  });
  return outcome;
}

/** An on-demand prewarm: checked before it starts, then run in the background or awaited. */
export interface PrewarmStarted {
  slot: string;
  /** Settles when the prewarm has run. */
  done: Promise<PrewarmOutcome>;
}

export interface PrewarmService {
  /** A prewarm of one of the principal's wards (403 otherwise, 404 for no such ward), as the principal. */
  start(principal: Principal, wardId: string, days: number, requestId: string): Promise<PrewarmStarted>;
}

export function prewarmService(deps: SummaryServiceDeps, options: Omit<PrewarmOptions, 'days' | 'pace'>): PrewarmService {
  // One pace for every on-demand prewarm of this process: many requests must not multiply the provider load.
  const pace = pacer(options.perMinute);
  return {
    async start(principal, wardId, days, requestId) {
      if (!canSeeWard(principal, wardId)) throw new ForbiddenError('not one of your wards');
      if ((await deps.db.ward.count({ where: { id: wardId } })) === 0) throw new NotFoundError('ward');
      const slot = `manual:${randomUUID()}`;
      const done = prewarmWard(deps, wardId, slot, { ...options, days, pace }, { actor: actorOf(principal), requestId });
      return { slot, done };
    },
  };
}

/** The next occurrence of any "HH:MM" in `times`, in time zone `tz`, strictly after `from`. */
export function nextShiftStart(times: string[], tz: string, from: Date): { at: Date; slot: string } {
  let best: { at: Date; slot: string } | null = null;
  for (const time of times) {
    const [hh, mm] = time.split(':').map(Number);
    for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
      const at = zonedTime(from, dayOffset, hh, mm, tz);
      if (at > from && (!best || at < best.at)) {
        best = { at, slot: `${localDate(at, tz)}T${time}@${tz}` };
        break;
      }
    }
  }
  if (!best) throw new Error('no shift start times configured');
  return best;
}

function localDate(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** UTC instant of local HH:MM on (the local date of `from`) + dayOffset in `tz`, DST-aware. */
function zonedTime(from: Date, dayOffset: number, hh: number, mm: number, tz: string): Date {
  const [y, m, d] = localDate(from, tz).split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d + dayOffset, hh, mm);
  // Offset of tz at the guess, applied twice to settle across a DST change.
  let at = guess - offsetMs(new Date(guess), tz);
  at = guess - offsetMs(new Date(at), tz);
  return new Date(at);
}

function offsetMs(at: Date, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Runs prewarms for every ward at each shift start until stopped. */
export function schedulePrewarm(
  deps: SummaryServiceDeps,
  o: PrewarmOptions & { times: string[]; timeZone: string },
  logger: Logger,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const next = nextShiftStart(o.times, o.timeZone, new Date());
    // setTimeout holds at most ~24.8 days; shift starts are hours apart.
    timer = setTimeout(() => void fire(next.slot), next.at.getTime() - Date.now());
    timer.unref();
    logger.info({ slot: next.slot }, 'next prewarm scheduled');
  };
  const fire = async (slot: string) => {
    try {
      const wards = await deps.db.ward.findMany({ select: { id: true } });
      for (const ward of wards) {
        const outcome = await prewarmWard(deps, ward.id, slot, o);
        if (outcome.ran) logger.info({ wardId: ward.id, slot, ...outcome }, 'prewarm finished');
      }
    } catch (err) {
      logger.error({ slot, err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'prewarm failed');
    } finally {
      arm();
    }
  };
  arm();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
