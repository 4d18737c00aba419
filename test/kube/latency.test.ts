import { describe, expect, it } from 'vitest';
import { accountingNotes, apiInstant, clientInstant, parseApiTime, PHASES, phaseTable, phaseValue, type PodTimeline } from '../../src/kube/latency.js';

const phase = (name: string) => PHASES.find((p) => p.name === name)!;

describe('kube latency phases', () => {
  it('parses API timestamps with their resolution', () => {
    expect(parseApiTime('2026-11-28T22:00:01Z')).toEqual({ ns: 1795903201000000000n, resolutionNs: 1e9 });
    const micro = parseApiTime('2026-11-28T22:00:01.123456Z')!;
    expect(micro.ns).toBe(1795903201123456000n);
    expect(micro.resolutionNs).toBe(1000);
    expect(parseApiTime('yesterday')).toBeNull();
    // MicroTime keeps 1 µs resolution even when its digits end in zeros
    expect(apiInstant('2026-11-28T22:00:01.100000Z', 'scheduler-event', 'x')!.resolutionNs).toBe(1000);
  });

  it('computes client-clock phases to the nanosecond', () => {
    const t: PodTimeline = { createSent: clientInstant(1_000n, 'a'), createAcked: clientInstant(3_501_000n, 'b'), watchStarted: clientInstant(900_001_000n, 'c') };
    expect(phaseValue(t, phase('create'))).toEqual({ status: 'measured', ns: 3_500_000, resolutionNs: 1 });
    expect(phaseValue(t, phase('wall'))).toEqual({ status: 'measured', ns: 900_000_000, resolutionNs: 1 });
  });

  it('never derives a sub-second figure from one-second timestamps', () => {
    const t: PodTimeline = {
      created: apiInstant('2026-11-28T22:00:01Z', 'api-server', 'creationTimestamp'),
      scheduled: apiInstant('2026-11-28T22:00:01.250000Z', 'scheduler-event', 'eventTime'),
      containersStarted: apiInstant('2026-11-28T22:00:02Z', 'kubelet', 'startedAt'),
    };
    const v = phaseValue(t, phase('create_to_schedule'));
    expect(v.status).toBe('resolution-limited');
    if (v.status === 'resolution-limited') {
      expect(v.resolutionNs).toBe(1e9);
      expect(v.lowerNs).toBe(0);
      expect(v.upperNs).toBe(250_000_000 + 1000);
    }
    expect(phaseValue(t, phase('schedule_to_start')).status).toBe('resolution-limited');
  });

  it('computes a long phase from one-second timestamps when the resolution supports it', () => {
    const t: PodTimeline = {
      created: apiInstant('2026-11-28T22:00:00Z', 'api-server', 'c'),
      ready: apiInstant('2026-11-28T22:00:30Z', 'kubelet', 'r'),
    };
    expect(phaseValue(t, phase('create_to_ready'))).toEqual({ status: 'measured', ns: 30e9, resolutionNs: 1e9 });
  });

  it('refuses phases across clock domains and reports absent ends', () => {
    const t: PodTimeline = { createSent: clientInstant(1n, 'a'), watchStarted: apiInstant('2026-11-28T22:00:02Z', 'kubelet', 'x') };
    expect(phaseValue(t, phase('wall')).status).toBe('mixed-clocks');
    expect(phaseValue({}, phase('create'))).toEqual({ status: 'absent', missing: 'createSent' });
  });

  it('tables phases with clock sources and accounts for every pod', () => {
    const pods: PodTimeline[] = [0, 1, 2].map((i) => ({
      createSent: clientInstant(0n, 'sent'),
      createAcked: clientInstant(BigInt(1e6 * (i + 1)), 'acked'),
      created: apiInstant('2026-11-28T22:00:00Z', 'api-server', 'c'),
      scheduled: apiInstant('2026-11-28T22:00:00.500000Z', 'scheduler-event', 's'),
    }));
    const t = phaseTable(pods);
    expect(t.values.map((v) => v['create'])).toEqual([1e6, 2e6, 3e6]);
    const create = t.metrics.find((m) => m.name === 'create')!;
    expect(create.clock.source).toBe('client-monotonic');
    expect(create.clock.resolution).toBe(1);
    expect(t.metrics.some((m) => m.name === 'create_to_schedule')).toBe(false);
    expect(t.accounting['create_to_schedule']).toMatchObject({ measured: 0, resolutionLimited: 3 });
    expect(accountingNotes(t.accounting).find((l) => l.startsWith('phase create_to_schedule'))).toMatch(/3 resolution-limited \(timestamps of 1,000 ms resolution/);
  });
});
