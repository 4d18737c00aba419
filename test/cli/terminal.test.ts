import { afterEach, describe, expect, it } from 'vitest';
import { setWide, takeWideFlag, terminalWidth } from '../../src/output/terminal.js';

describe('terminal width', () => {
  afterEach(() => setWide(false));

  it('is unlimited on a pipe, the TTY\'s columns on a terminal, COLUMNS when set', () => {
    expect(terminalWidth({}, { isTTY: false })).toBe(Infinity);
    expect(terminalWidth({}, { isTTY: true, columns: 97 })).toBe(97);
    expect(terminalWidth({ COLUMNS: '80' }, { isTTY: false })).toBe(80);
    expect(terminalWidth({ COLUMNS: '120' }, { isTTY: true, columns: 97 })).toBe(120);
    expect(terminalWidth({ COLUMNS: 'wide' }, { isTTY: false })).toBe(Infinity);
  });

  it('--wide is taken out of argv wherever it stands before "--", and makes the width unlimited', () => {
    expect(takeWideFlag(['run', 'cold-start', '--wide', '--quiet'])).toEqual(['run', 'cold-start', '--quiet']);
    expect(terminalWidth({ COLUMNS: '80' }, { isTTY: true, columns: 80 })).toBe(Infinity);
    expect(takeWideFlag(['run', '--', '--wide'])).toEqual(['run', '--', '--wide']);
    expect(terminalWidth({ COLUMNS: '80' }, { isTTY: false })).toBe(80);
  });
});
