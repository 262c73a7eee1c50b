/**
 * A bounded map that forgets the least recently used entries first (a Map keeps insertion order).
 * The bound is on the total weight of the entries: one per entry by default, or what `weigh` says
 * (say, the bytes of the strings held), so a cache of texts is bounded in memory, not in count.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly max: number,
    private readonly weigh: (value: V, key: K) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (hit === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Keeps `value` unless it alone weighs more than the bound; older entries make room. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value, key);
    if (weight > this.max) return;
    this.map.set(key, { value, weight });
    this.total += weight;
    while (this.total > this.max) this.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.total -= entry.weight;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The total weight of the entries kept. */
  get weight(): number {
    return this.total;
  }
}
