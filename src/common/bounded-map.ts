/**
 * A Map that keeps at most `maxSize` entries: setting a new key when it is
 * full drops the oldest one first (a Map iterates in insertion order). For
 * in-process caches that must not grow with the number of clients.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly maxSize: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.maxSize && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
