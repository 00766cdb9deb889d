// Provider order for one call: failover (weight desc, weight 0 last) or weighted (random first pick, then failover order).

export interface Routable {
  readonly name: string;
  readonly weight: number;
  /** False while the provider's breaker is open: not a candidate for the weighted first pick. */
  healthy(): boolean;
}

export class Router<P extends Routable> {
  private readonly failoverOrder: readonly P[];
  private readonly weighted: readonly P[];

  constructor(
    providers: readonly P[],
    private readonly strategy: 'failover' | 'weighted',
    private readonly random: () => number,
  ) {
    // Array.prototype.sort is stable: equal weights keep their configured order.
    this.failoverOrder = [...providers].sort((a, b) => b.weight - a.weight);
    this.weighted = this.failoverOrder.filter((p) => p.weight > 0);
  }

  order(exclude?: readonly string[], only?: string): readonly P[] {
    if (only !== undefined) return this.failoverOrder.filter((p) => p.name === only && !exclude?.includes(p.name));
    const base = exclude && exclude.length > 0 ? this.failoverOrder.filter((p) => !exclude.includes(p.name)) : this.failoverOrder;
    if (this.strategy === 'failover') return base;
    const first = this.pickWeighted(exclude);
    if (!first) return base;
    const rest = base.filter((p) => p !== first);
    rest.unshift(first);
    return rest;
  }

  private pickWeighted(exclude?: readonly string[]): P | undefined {
    let total = 0;
    for (const p of this.weighted) if (this.eligible(p, exclude)) total += p.weight;
    if (total === 0) return undefined;
    let r = this.random() * total;
    let last: P | undefined;
    for (const p of this.weighted) {
      if (!this.eligible(p, exclude)) continue;
      r -= p.weight;
      if (r < 0) return p;
      last = p;
    }
    return last; // only when random() returned 1 or rounding left a remainder
  }

  private eligible(p: P, exclude?: readonly string[]): boolean {
    return p.healthy() && !(exclude && exclude.includes(p.name));
  }
}
