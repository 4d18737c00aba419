/** Chart building blocks without a browser: round ticks that hold the data, binary byte ticks, colours per runtime, wrapping. */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/core/rng.js';
import { makeAxis } from '../../src/output/charts/axis.js';
import { NATIVE_COLOUR, runtimeColours } from '../../src/output/charts/colours.js';
import { textWidth, wrapText } from '../../src/output/charts/text.js';
import { binaryTicks, decimalTicks, isOneTwoFive, logTicks, MAX_INTERVALS } from '../../src/output/charts/ticks.js';

const MIB = 1024 ** 2;

describe('ticks', () => {
  it('bytes: 19.1 MiB gets 0, 4, …, 20 MiB, never 976.6 KiB / 1.9 / 4.8 MiB', () => {
    const axis = makeAxis(0, 19.1 * MIB, 'bytes');
    expect(axis.ticks).toEqual([0, 4, 8, 12, 16, 20].map((m) => m * MIB));
    expect(axis.ticks.map(axis.label)).toEqual(['0 MiB', '4 MiB', '8 MiB', '12 MiB', '16 MiB', '20 MiB']);
    const small = makeAxis(0, 1.5 * MIB, 'bytes');
    expect(small.ticks.map((t) => t / 1024)).toEqual([0, 256, 512, 768, 1024, 1280, 1536]);
    expect(small.ticks.map(small.label)).toEqual(['0 MiB', '0.25 MiB', '0.5 MiB', '0.75 MiB', '1 MiB', '1.25 MiB', '1.5 MiB']);
    const kib = makeAxis(0, 600 * 1024, 'bytes');
    expect(kib.ticks.map(kib.label)).toEqual(['0 KiB', '128 KiB', '256 KiB', '384 KiB', '512 KiB', '640 KiB']);
    expect(makeAxis(0, 6.5 * 1024 * MIB, 'bytes').ticks.map((t) => t / 1024 ** 3)).toEqual([0, 2, 4, 6, 8]);
  });

  it('every axis holds its data, on at most a handful of round ticks (random ranges)', () => {
    const rng = seededRng(7);
    for (let i = 0; i < 2000; i++) {
      const hi = 10 ** (rng() * 14 - 3);
      const lo = rng() < 0.3 ? 0 : hi * rng();
      const dec = decimalTicks(lo, hi);
      const bin = binaryTicks(Math.round(lo), Math.max(1, Math.round(hi)));
      for (const [t, l, h] of [[dec, lo, hi], [bin, Math.round(lo), Math.max(1, Math.round(hi))]] as const) {
        expect(t[0]).toBeLessThanOrEqual(l);
        expect(t[t.length - 1]).toBeGreaterThanOrEqual(h);
        expect(t.length - 1).toBeLessThanOrEqual(MAX_INTERVALS);
        expect(t.length).toBeGreaterThanOrEqual(2);
      }
      expect(isOneTwoFive((dec[1] as number) - (dec[0] as number))).toBe(true);
      expect(Math.log2((bin[1] as number) - (bin[0] as number)) % 1).toBe(0);
      for (const label of bin.map(makeAxis(Math.round(lo), Math.max(1, Math.round(hi)), 'bytes').label)) expect(label).toMatch(/^\d+(\.(25|5|75))? (B|KiB|MiB|GiB)$/);
      if (lo > 0) {
        const log = logTicks(lo, hi);
        expect(log[0]).toBeLessThanOrEqual(lo);
        expect(log[log.length - 1]).toBeGreaterThanOrEqual(hi);
        expect(log.every(isOneTwoFive)).toBe(true);
      }
    }
  });

  it('log durations: 1-2-5 ticks in each tick\'s own unit over two decades or less, decades beyond', () => {
    const a = makeAxis(420e3, 1.1e6, 'ns', true);
    expect(a.ticks.map(a.label)).toEqual(['200 µs', '500 µs', '1 ms', '2 ms']);
    const b = makeAxis(300e3, 45e6, 'ns', true);
    expect(b.ticks.map(b.label)).toEqual(['100 µs', '1 ms', '10 ms', '100 ms']);
    expect(makeAxis(0.3, 80, 'ratio', true).ticks.map(makeAxis(0.3, 80, 'ratio', true).label)).toEqual(['0.1×', '1×', '10×', '100×']);
  });
});

describe('colours and text', () => {
  it('one colour per runtime, whatever the order; native grey; none shared while colours last', () => {
    const names = ['native', 'node-wasi', 'node-wasi-inproc', 'wasmedge@0.15.1/llvm', 'wasmtime', 'iwasm', 'crun-wasm', 'runc', 'wasmer', 'wasmedge-aot'];
    const a = runtimeColours(names);
    const b = runtimeColours([...names].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(a.get('native')).toBe(NATIVE_COLOUR);
    expect(new Set(a.values()).size).toBe(names.length);
  });

  it('wraps text to a width instead of cutting it', () => {
    const label = 'wasmedge@0.15.1/llvm · process PSS (+shim) over a very long label';
    const lines = wrapText(label, 120, 11);
    expect(lines.join('').replace(/ /g, '')).toBe(label.replace(/ /g, '')); // every character kept (a word wider than a line is split)
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(textWidth(l, 11)).toBeLessThanOrEqual(120);
  });
});
