import { describe, expect, it } from 'vitest';
import { rolloutOrder } from './rollout-policy.js';

interface Device {
  id: string;
  name: string;
  location: string;
}

/** The order as first written: two full sorts by text (the rule, stated directly). */
function referenceOrder(devices: readonly Device[]): Device[] {
  const text = (a: Device, b: Device) =>
    a.location.localeCompare(b.location) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const sorted = [...devices].sort(text);
  const rank = new Map<Device, number>();
  let previous: string | null = null;
  let current = 0;
  for (const device of sorted) {
    current = device.location === previous ? current + 1 : 0;
    previous = device.location;
    rank.set(device, current);
  }
  return sorted.sort((a, b) => rank.get(a)! - rank.get(b)! || text(a, b));
}

describe('rolloutOrder', () => {
  it('takes one device of each location, in location order, before a second of any; by name within', () => {
    const devices = [
      { id: '1', name: 'b', location: 'Berlin' },
      { id: '2', name: 'a', location: 'Berlin' },
      { id: '3', name: 'z', location: 'Amsterdam' },
      { id: '4', name: 'c', location: 'Berlin' },
      { id: '5', name: 'y', location: 'Cairo' },
    ];
    expect(rolloutOrder(devices).map((device) => device.id)).toEqual(['3', '2', '5', '1', '4']);
  });

  it('gives the same order as sorting by text twice, for mixed case, accents, numbers and equal names', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['site', 'Site', 'sité', 'SITE-2', 'site-10', 'site-9', 'Åre', 'zone', ''];
    const devices: Device[] = Array.from({ length: 3000 }, (_, n) => ({
      id: `${random(10)}-${n}`,
      name: `${pieces[random(pieces.length)]}${random(50)}`,
      location: `${pieces[random(pieces.length)]}${random(3) === 0 ? '' : random(20)}`,
    }));
    expect(rolloutOrder(devices)).toEqual(referenceOrder(devices));
  });

  it('orders one big site and 50,000 one-device sites without visiting every site in every round', () => {
    const devices: Device[] = Array.from({ length: 100_000 }, (_, n) => ({
      id: String(n),
      name: `router-${n}`,
      location: n % 2 === 0 ? 'hq' : `branch-${n}`,
    }));
    const started = performance.now();
    const ordered = rolloutOrder(devices);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ordered).toHaveLength(100_000);
    expect(new Set(ordered).size).toBe(100_000);
  });
});
