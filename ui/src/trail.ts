/**
 * Where the person came from within the app, so that "Zurück" goes back there (to the
 * Anfragen with their filters, to the Leads) and says so, not always to the Aufgaben.
 */
let current: string | null = null;
let previous: string | null = null;

/** Called by the router on every change of page (main.tsx). */
export function arrivedAt(url: string) {
  if (url === current) return;
  previous = current;
  current = url;
}

/** The list page the person came from, if the app showed one before this page. */
export function cameFrom(): string | null {
  return previous;
}
