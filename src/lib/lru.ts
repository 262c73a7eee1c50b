/**
 * A bounded map that forgets the least recently used entries first (a Map keeps insertion order).
 * The bound is on the total weight of the entries: one per entry by default, or what `weigh` says
 * (say, the bytes of the strings held), so a cache of texts is bounded in memory, not in count.
 *
 * A hit moves its entry to the newest end only when it is not among the newest quarter already:
 * moving is a delete and a set of the key (hashing it twice more, leaving holes the Map compacts),
 * and the same few hot entries are hit over and over. `tick` counts moves and insertions, so an
 * entry's distance from the newest end is at most `tick - its tick`.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number; tick: number }>();
  private total = 0;
  private tick = 0;

  constructor(
    private readonly max: number,
    private readonly weigh: (value: V, key: K) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (hit === undefined) return undefined;
    if (this.tick - hit.tick >= Math.max(1, this.map.size >> 2)) {
      this.map.delete(key);
      this.map.set(key, hit);
      hit.tick = ++this.tick;
    }
    return hit.value;
  }

  /** Keeps `value` unless it alone weighs more than the bound; older entries make room. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value, key);
    if (weight > this.max) return;
    this.map.set(key, { value, weight, tick: ++this.tick });
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
