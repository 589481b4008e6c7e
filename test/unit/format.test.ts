import { describe, expect, it } from 'vitest';
import {
  areaBoth,
  dateTime,
  decimal,
  duration,
  isoDay,
  parseGermanNumber,
  percent,
  relativeDeadline,
} from '../../ui/src/format.js';

describe('deadlines as agency staff read them', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
  it.each([
    [48, 'noch 2 Tage'],
    [47.9, 'noch 2 Tage'],
    [30, 'noch 1 Tag'],
    [5, 'noch 5 Stunden – heute fällig'],
    [0.5, 'heute fällig'],
    [-0.5, 'gerade überfällig'],
    [-3, 'seit 3 Stunden überfällig'],
    [-25, 'seit 1 Tag überfällig'],
    [-72, 'seit 3 Tagen überfällig'],
  ])('%s h → %s', (hours, text) => expect(relativeDeadline(at(hours), now)).toBe(text));
  it('writes dates and times the German way, in Berlin time', () => {
    expect(dateTime('2027-03-12T13:30:00Z')).toBe('12.03.2027, 14:30 Uhr');
  });
});

describe('numbers as Germans type them', () => {
  it.each([
    ['50.000', 50_000],
    ['5.000', 5000],
    ['2,8', 2.8],
    ['1.234,5', 1234.5],
    ['1.234.567', 1_234_567],
    ['45000', 45_000],
    [' 8 ', 8],
    ['1 500', 1500],
    ['0,25', 0.25],
    ['-3', -3],
  ])('"%s" is %s', (text, value) => expect(parseGermanNumber(text)).toEqual({ ok: true, value }));
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['2.8', 'ambiguous'],
    ['1.5', 'ambiguous'],
    ['50.00', 'ambiguous'],
    ['1,2,3', 'ambiguous'],
    ['1.234.5', 'ambiguous'],
    [',5', 'ambiguous'],
    ['viel', 'invalid'],
    ['12 m²', 'invalid'],
    ['1e5', 'invalid'],
  ])('"%s" is refused (%s)', (text, reason) => expect(parseGermanNumber(text)).toEqual({ ok: false, reason }));
  it('writes numbers so that they read back the same', () => {
    for (const n of [50_000, 2.8, 1234.5, 0.25, 7]) {
      const written = decimal(n);
      expect(parseGermanNumber(written)).toEqual({ ok: true, value: n });
    }
    expect(decimal(1234.5)).toBe('1.234,5');
    expect(areaBoth(150_000)).toBe('150.000 m² (15 ha)');
    expect(areaBoth(8_500)).toBe('8.500 m² (0,85 ha)');
  });
  it('shows a suitability of 0–100 as a percentage, not a hundred times too large', () => {
    expect(percent(33)).toBe('33\u00a0%');
    expect(percent(100)).toBe('100\u00a0%');
  });
});

describe('durations and days', () => {
  it.each([
    [30, 'unter einer Minute'],
    [60, '1 Minute'],
    [89, '1 Minute'],
    [300, '5 Minuten'],
    [3600, '1 Stunde'],
    [5400, '1,5 Stunden'],
    [86_400, '1 Tag'],
    [3 * 86_400, '3 Tage'],
    [1.5 * 86_400, '1,5 Tage'],
  ])('%s s → %s', (seconds, text) => expect(duration(seconds)).toBe(text));
  it('names the Berlin calendar day, not the UTC one', () => {
    expect(isoDay('2025-12-31T23:00:00.000Z')).toBe('2026-01-01');
    expect(isoDay(Date.parse('2027-01-01T00:00:00+01:00') - 1)).toBe('2026-12-31');
  });
});
