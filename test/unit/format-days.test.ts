import { describe, expect, it } from 'vitest';
import { germanDay, parseGermanDay, todayHere } from '../../ui/src/format.js';

describe('a day as Germans write it', () => {
  it('reads "1.12.2026", "01.12.2026" and ISO, and refuses what is no day', () => {
    expect(parseGermanDay('1.12.2026')).toBe('2026-12-01');
    expect(parseGermanDay(' 01.12.2026 ')).toBe('2026-12-01');
    expect(parseGermanDay('2026-12-01')).toBe('2026-12-01');
    expect(parseGermanDay('29.02.2028')).toBe('2028-02-29');
    for (const wrong of ['31.02.2026', '12/01/2026', '1.12.26', '', 'gestern', '2026-13-01'])
      expect(parseGermanDay(wrong), wrong).toBeNull();
  });

  it('writes it back as TT.MM.JJJJ, and knows today where the person is', () => {
    expect(germanDay('2026-12-01')).toBe('01.12.2026');
    expect(todayHere(new Date(2026, 11, 7, 0, 30))).toBe('2026-12-07');
  });
});
