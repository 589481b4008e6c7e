import { Objm, type ObjectStore } from '@nats-io/obj';
import { StorageType } from '@nats-io/jetstream';
import { ReportMeta } from '../domain/programme-figures.js';
import type { NatsConnection } from './nats.js';

/**
 * The programmes' reports (Kennzahlen → Berichte): a NATS object store, replicated like the
 * streams, so that a report lives as long as the installation and needs no file system of its
 * own. Per report its PDF, its spreadsheet and, written last, its description: a report is
 * listed once its files are in. Writing a report again replaces it (a retried activity).
 */

export const REPORTS_BUCKET = 'lotse-reports';
export type ReportKind = 'pdf' | 'xlsx';

const nameOf = (programme: string, reportId: string, ext: ReportKind | 'json') => `${programme}/${reportId}.${ext}`;

export class ReportStore {
  private constructor(private readonly os: ObjectStore) {}

  static async open(nc: NatsConnection, replicas: number): Promise<ReportStore> {
    return new ReportStore(await new Objm(nc).create(REPORTS_BUCKET, { replicas, storage: StorageType.File }));
  }

  async put(meta: ReportMeta, files: Record<ReportKind, Uint8Array>): Promise<void> {
    for (const kind of ['pdf', 'xlsx'] as const)
      await this.os.putBlob({ name: nameOf(meta.programme, meta.reportId, kind) }, files[kind]);
    await this.describe(meta);
  }

  /** Replaces the description (mailed, once it went out). */
  async describe(meta: ReportMeta): Promise<void> {
    const json = new TextEncoder().encode(JSON.stringify(ReportMeta.parse(meta)));
    await this.os.putBlob({ name: nameOf(meta.programme, meta.reportId, 'json') }, json);
  }

  async meta(programme: string, reportId: string): Promise<ReportMeta | null> {
    const blob = await this.os.getBlob(nameOf(programme, reportId, 'json'));
    return blob ? ReportMeta.parse(JSON.parse(new TextDecoder().decode(blob))) : null;
  }

  /** The programme's reports, the newest period first. */
  async list(programme: string): Promise<ReportMeta[]> {
    const infos = (await this.os.list()).filter((i) => i.name.startsWith(`${programme}/`) && i.name.endsWith('.json'));
    const metas = await Promise.all(infos.map((i) => this.meta(programme, i.name.slice(programme.length + 1, -5))));
    return metas
      .filter((m): m is ReportMeta => m !== null)
      .sort((a, b) => b.from.localeCompare(a.from) || b.to.localeCompare(a.to));
  }

  async file(programme: string, reportId: string, kind: ReportKind): Promise<Uint8Array | null> {
    return this.os.getBlob(nameOf(programme, reportId, kind));
  }
}
