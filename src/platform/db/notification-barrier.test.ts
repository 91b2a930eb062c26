import { describe, expect, it } from 'vitest';
import { NotificationBarrier } from './notification-barrier.js';

/** A barrier whose round trips the test answers by hand, on a clock the test moves. */
function manual() {
  const sent: ((value: boolean) => void)[] = [];
  let time = 0;
  const barrier = new NotificationBarrier(
    () => new Promise<boolean>((resolve) => sent.push(resolve)),
    () => time,
  );
  return {
    barrier,
    sent,
    setTime: (value: number) => {
      time = value;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NotificationBarrier', () => {
  it('shares round trips, but each caller waits for one sent after it asked', async () => {
    const { barrier, sent } = manual();
    const first = [barrier.fresh(), barrier.fresh()];
    await settle();
    expect(sent).toHaveLength(1);
    let laterDone = false;
    const later = [barrier.fresh(), barrier.fresh()];
    void Promise.all(later).then(() => {
      laterDone = true;
    });
    await settle();
    expect(sent).toHaveLength(1);
    sent[0]!(true);
    expect(await Promise.all(first)).toEqual([true, true]);
    await settle();
    expect(laterDone).toBe(false);
    expect(sent).toHaveLength(2);
    sent[1]!(true);
    expect(await Promise.all(later)).toEqual([true, true]);
  });

  it('answers at once for a moment a successful round trip was sent after, and waits otherwise', async () => {
    const { barrier, sent, setTime } = manual();
    setTime(10);
    const first = barrier.fresh(5);
    await settle();
    sent[0]!(true);
    expect(await first).toBe(true);
    // Sent at 10: covers requests that arrived at 10 or before, without another round trip.
    expect(await barrier.fresh(10)).toBe(true);
    expect(await barrier.fresh(3)).toBe(true);
    expect(sent).toHaveLength(1);
    setTime(20);
    const later = barrier.fresh(11);
    await settle();
    expect(sent).toHaveLength(2);
    sent[1]!(true);
    expect(await later).toBe(true);
  });

  it('is not fresh while the listener is down or the round trip fails, and a failure proves nothing', async () => {
    const { barrier, sent, setTime } = manual();
    setTime(10);
    const down = barrier.fresh(5);
    await settle();
    sent[0]!(false);
    expect(await down).toBe(false);
    const again = barrier.fresh(5);
    await settle();
    expect(sent).toHaveLength(2);
    sent[1]!(true);
    expect(await again).toBe(true);
    expect(await new NotificationBarrier(() => Promise.reject(new Error('gone'))).fresh()).toBe(false);
  });
});
