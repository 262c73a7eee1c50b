import { Lru } from '../../src/lib/lru';

test('forgets the least recently used entry first', () => {
  const lru = new Lru<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  expect(lru.get('a')).toBe(1);
  lru.set('c', 3);
  expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  expect(lru.size).toBe(2);
});

test('bounded by weight: heavy entries push out several light ones, one heavier than the bound is not kept', () => {
  const lru = new Lru<string, string>(10, (v, k) => v.length + k.length);
  lru.set('a', 'xx'); // 3
  lru.set('b', 'xx'); // 3
  lru.set('c', 'xx'); // 3
  expect(lru.weight).toBe(9);
  lru.set('d', 'xxxxxx'); // 7: a and b go
  expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.get('d')]).toEqual([undefined, undefined, 'xx', 'xxxxxx']);
  expect(lru.weight).toBe(10);
  lru.set('e', 'x'.repeat(20));
  expect(lru.get('e')).toBeUndefined();
  expect(lru.weight).toBe(10);
});

test('replacing, deleting and clearing keep the weight right', () => {
  const lru = new Lru<string, string>(100, (v) => v.length);
  lru.set('a', 'xxxx');
  lru.set('a', 'xx');
  expect(lru.weight).toBe(2);
  lru.delete('a');
  lru.delete('missing');
  expect(lru.weight).toBe(0);
  lru.set('b', 'xxx');
  lru.clear();
  expect([lru.size, lru.weight]).toEqual([0, 0]);
});

test('a hit entry is never the next to go: hits deep in a big cache move it, hits near the newest end need not', () => {
  const lru = new Lru<number, number>(100);
  for (let i = 0; i < 100; i++) lru.set(i, i);
  // 0 is the oldest: a hit moves it, so 1 goes first.
  expect(lru.get(0)).toBe(0);
  lru.set(100, 100);
  expect([lru.get(0), lru.get(1)]).toEqual([0, undefined]);
  // Hit the newest entries over and over while others arrive: none of them is ever forgotten.
  for (let i = 101; i < 1000; i++) {
    lru.set(i, i);
    for (let k = i - 5; k <= i; k++) expect(lru.get(k)).toBe(k);
  }
  expect(lru.size).toBe(100);
  // Each of the last 100 entries set is still there; everything before them is gone.
  for (let i = 900; i < 1000; i++) expect(lru.get(i)).toBe(i);
  expect(lru.get(899)).toBeUndefined();
});
