import { describe, expect, it } from 'vitest';
import { dateTime, relativeDeadline } from '../../ui/src/format.js';

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
