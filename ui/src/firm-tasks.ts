import { useEffect } from 'preact/hooks';
import { api, useLoad, type Load } from './api.js';
import { isoDay } from './format.js';
import type { components } from './schema.js';

/**
 * What the firms' care asks of the person's agency (GET /v1/firm-tasks): Aufgaben lists it,
 * the navigation counts it with the enquiries' tasks. One shared request, asked again on
 * every page change and after an action on a firm (the api has no live changes of firms).
 */

export type FirmTaskList = components['schemas']['FirmTasks'];
export type FirmTask = FirmTaskList['items'][number];

const fetchFirmTasks = () => api.GET('/v1/firm-tasks');
let asked: ReturnType<typeof fetchFirmTasks> | undefined;
const shown = new Set<() => void>();

export function waitingFirmTasks(fresh = false): ReturnType<typeof fetchFirmTasks> {
  if (fresh || !asked) {
    const now = (asked = fetchFirmTasks());
    void now.then(() => now === asked && shown.forEach((show) => show()));
  }
  return asked;
}

/** The firm tasks, kept current; `enabled` false (not staff) asks nothing. */
export function useFirmTasks(enabled: boolean): Load<FirmTaskList> {
  const load = useLoad(enabled ? () => waitingFirmTasks() : null, [enabled]);
  useEffect(() => {
    shown.add(load.reload);
    return () => void shown.delete(load.reload);
  }, []);
  return load;
}

/**
 * Whether a firm's visit is due now: the api says so, and its day has come. (A change of the
 * firm's facts marks the visit as announced months ahead, domain/care-state.ts's rhythmChanged;
 * such a "due" visit is not due yet, and is not shown as due.)
 */
export const visitDueNow = (visitDue: boolean, nextVisitDue: string) => visitDue && nextVisitDue <= isoDay(Date.now());

/** The tasks as the person should see them: a visit "due" before its day is none. */
export const realFirmTasks = (items: FirmTask[]) =>
  items.filter((x) => x.kind !== 'visit_due' || Date.parse(x.due) <= Date.now());
