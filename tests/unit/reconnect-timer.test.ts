import { createReconnectTimer } from '../../src/lib/reconnect-timer';

describe('reconnect timer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('one reconnect at a time, doubling up to the cap, back to the first delay after a success', () => {
    const reconnect = jest.fn();
    const retry = createReconnectTimer({ initialMs: 100, maxMs: 300, reconnect });
    expect(retry.schedule()).toBe(100);
    expect(retry.schedule()).toBeNull(); // a second failure report while one is pending
    jest.advanceTimersByTime(100);
    expect(reconnect).toHaveBeenCalledTimes(1);
    expect(retry.schedule()).toBe(200);
    jest.advanceTimersByTime(200);
    expect(retry.schedule()).toBe(300);
    jest.advanceTimersByTime(300);
    expect(retry.schedule()).toBe(300);
    jest.advanceTimersByTime(300);
    retry.succeeded();
    expect(retry.schedule()).toBe(100);
    expect(reconnect).toHaveBeenCalledTimes(4);
  });

  test('cancel stops a pending reconnect and lets a later schedule run again', () => {
    const reconnect = jest.fn();
    const retry = createReconnectTimer({ initialMs: 100, maxMs: 1000, reconnect });
    retry.schedule();
    retry.cancel();
    jest.advanceTimersByTime(1000);
    expect(reconnect).not.toHaveBeenCalled();
    expect(retry.schedule()).not.toBeNull();
    jest.advanceTimersByTime(1000);
    expect(reconnect).toHaveBeenCalledTimes(1);
  });

  test('jitter keeps each delay within a quarter of the backoff step', () => {
    const retry = createReconnectTimer({ initialMs: 1000, maxMs: 1000, jitter: true, reconnect: () => undefined });
    for (let i = 0; i < 20; i += 1) {
      const d = retry.schedule()!;
      expect(d).toBeGreaterThanOrEqual(750);
      expect(d).toBeLessThanOrEqual(1250);
      retry.cancel();
    }
  });
});
