/**
 * Where the person came from within the app, so that "Zurück" goes back there (to the
 * Anfragen with their filters, to the Leads) and says so, not always to the Aufgaben.
 */
let current: string | null = null;
let previous: string | null = null;

/** Called with every address the app shows (main.tsx), after the page for it rendered. */
export function arrivedAt(url: string) {
  if (url === current) return;
  previous = current;
  current = url;
}

/**
 * The page the person came from to `here`. A page renders before the router says it
 * arrived: until then the page before is still `current`.
 */
export function cameFrom(here: string): string | null {
  return current === here ? previous : current;
}
