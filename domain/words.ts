/**
 * Words as people type them, for every search Lotse answers: lower case, without accents,
 * ß as ss, anything but letters and digits a space. "Glashütte", "glashutte" and
 * "GLASHÜTTE" read the same; `spelled` also gives the transcription "glashuette".
 */

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** ä, ö, ü written ae, oe, ue, as a keyboard without them does. */
export const spelled = (text: string) =>
  normalise(text.toLowerCase().replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue'));

/** The words of a text, each as typed (normalised), and as transcribed where that differs. */
export function wordsOf(text: string): string[] {
  return [...new Set([...normalise(text).split(' '), ...spelled(text).split(' ')].filter(Boolean))];
}

/** The shortest start of a word a search takes, and the longest it tells apart. */
export const SHORTEST = 3;
export const LONGEST = 24;

/** Every start of the word a person may have typed ("mue", "muel", "muell", "mueller"), up to LONGEST. */
export function startsOf(word: string): string[] {
  const out: string[] = [];
  for (let n = SHORTEST; n <= Math.min(word.length, LONGEST); n++) out.push(word.slice(0, n));
  return out;
}
