import { useState } from 'preact/hooks';

/**
 * What a person types, kept in this tab until it is sent or they sign out: when a session
 * runs out and the sign-in page comes in between, they return to the same form with the
 * same text. Session storage only: it ends with the tab and is never sent anywhere.
 */

const PREFIX = 'lotse.draft:';

/** `sent(next)` ends the draft; the form then shows `next` (what was saved), else `initial` again. */
export function useDraft<T>(key: string, initial: T): [T, (value: T) => void, (next?: T) => void] {
  const storageKey = PREFIX + key;
  const [value, setValue] = useState<T>(() => {
    const raw = sessionStorage.getItem(storageKey);
    return raw === null ? initial : (JSON.parse(raw) as T);
  });
  const set = (next: T) => {
    setValue(next);
    sessionStorage.setItem(storageKey, JSON.stringify(next));
  };
  const sent = (next: T = initial) => {
    sessionStorage.removeItem(storageKey);
    setValue(next);
  };
  return [value, set, sent];
}

/** At sign-out nothing typed stays behind. */
export function forgetDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}
