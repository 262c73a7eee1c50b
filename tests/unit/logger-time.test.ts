import pino from 'pino';
import { isoTime } from '../../src/lib/logger';

test("the logger's time field is exactly pino's isoTime, across milliseconds, seconds and days", () => {
  const base = Date.UTC(2026, 10, 29, 23, 59, 58);
  const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1999, 2000, 2005, 86_399_999].map((d) => base + d);
  const spy = jest.spyOn(Date, 'now');
  try {
    for (const t of [...instants, ...instants.reverse()]) {
      spy.mockReturnValue(t);
      expect(isoTime()).toBe(`,"time":"${new Date(t).toISOString()}"`);
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    }
  } finally {
    spy.mockRestore();
  }
});
