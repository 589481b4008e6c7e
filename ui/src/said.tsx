import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from './parts.js';

/**
 * What an action answered, said where it was taken: a KERN alert (success or the
 * problem) that screen readers announce and that gets the focus, so that the next Tab
 * goes on from the answer and not from a button that is gone (or from <body>).
 */
export interface Said {
  text: string;
  ok: boolean;
  /** A link after the text ("Zur neuen Anfrage"). */
  link?: { href: string; text: string };
  /** Neither done nor refused: a note of what follows ("wird noch erstellt"). */
  note?: boolean;
}

export function useSaid() {
  const [said, setSaid] = useState<(Said & { n: number }) | null>(null);
  const say = (text: string, ok = true, link?: Said['link']) =>
    setSaid((s) => ({ text, ok, link, n: (s?.n ?? 0) + 1 }));
  const note = (text: string) => setSaid((s) => ({ text, ok: true, note: true, n: (s?.n ?? 0) + 1 }));
  const clear = () => setSaid(null);
  return { said, say, note, clear };
}

/** The answer, focused each time it is said anew. */
export function SaidAlert({ said }: { said: (Said & { n: number }) | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (said) ref.current?.focus();
  }, [said?.n]);
  if (!said) return null;
  return (
    <Alert kind={said.note ? 'info' : said.ok ? 'success' : 'danger'} innerRef={ref} tabIndex={-1}>
      {said.text}
      {said.link && (
        <>
          {' '}
          <a class="kern-link" href={said.link.href}>
            {said.link.text}
          </a>
        </>
      )}
    </Alert>
  );
}
