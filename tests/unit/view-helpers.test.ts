import { formatSats } from '../../src/web/view-helpers';

test.each([0, 1, 2, 12, 999, 1000, 1234, 21000, 100000, 999999, 1000000, 1234567890, 2 ** 53 - 1, -1, -1500, 1.5])(
  'formatSats(%p) writes the number as en-US does',
  (n) => {
    expect(formatSats(n)).toBe(`${n.toLocaleString('en-US')} sat${n === 1 ? '' : 's'}`);
  },
);
