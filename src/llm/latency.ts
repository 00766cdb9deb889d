// Rolling window of a provider's recent successful latencies, for the adaptive hedge delay (p95).

/** Successful answers observed before the p95 replaces the configured hedge delay. */
export const HEDGE_MIN_SAMPLES = 20;

export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;
  private cachedP95: number | null = null;

  constructor(
    size = 100,
    /** Samples needed before the p95 is trusted. */
    private readonly minSamples = HEDGE_MIN_SAMPLES,
  ) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
    this.cachedP95 = null;
  }

  /** p95 of the window, or null before minSamples. Sorted lazily: only hedged calls ask. */
  p95(): number | null {
    if (this.count < this.minSamples) return null;
    if (this.cachedP95 === null) {
      const sorted = this.samples.slice(0, this.count).sort();
      this.cachedP95 = sorted[Math.min(this.count - 1, Math.ceil(this.count * 0.95) - 1)];
    }
    return this.cachedP95;
  }
}
