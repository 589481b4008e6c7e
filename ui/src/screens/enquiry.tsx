import { api, useLoad } from '../api.js';
import { currentSession } from '../auth.js';
import { area, count, dateTime, euro, relativeDeadline } from '../format.js';
import type { components } from '../schema.js';
import { Item, Loaded } from '../parts.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';
import { Actions } from './actions.js';
import { Privacy } from './privacy.js';

const t = de.enquiry;
const yesNo = (b: boolean | undefined) => (b ? de.enquiry.yes : de.enquiry.no);

/** Anfrage: one enquiry at a glance, what fits and what does not, its history, and what the person may do now. */
export function Enquiry({ id }: { id: string }) {
  const enquiry = useLoad(() => api.GET('/v1/enquiries/{id}', { params: { path: { id } } }), [id]);
  return <Loaded load={enquiry}>{(e) => <EnquiryView e={e} onChange={enquiry.set} />}</Loaded>;
}

function EnquiryView({ e, onChange }: { e: EnquiryState; onChange: (e: EnquiryState) => void }) {
  const name = e.enquiry.codeName ?? e.enquiry.company.name;
  return (
    <article aria-labelledby="anfrage">
      <p class="kern-body">
        <a class="kern-link" href="/">
          {t.back}
        </a>
      </p>
      <h1 id="anfrage" class="kern-heading-large">
        {t.title(name)}
      </h1>
      <Overview e={e} />
      <Actions enquiry={e} session={currentSession()} onChange={onChange} />
      <Requirements e={e} />
      <Sites e={e} />
      <Privacy enquiry={e} session={currentSession()} onChange={onChange} />
      <Timeline id={e.enquiryId} version={e.status + e.deadlines.length + (e.personalDataErasedAt ?? '')} />
    </article>
  );
}

function Overview({ e }: { e: EnquiryState }) {
  return (
    <section aria-labelledby="ueberblick">
      <h2 id="ueberblick" class="kern-heading-medium">
        {t.overview}
      </h2>
      <dl class="kern-description-list">
        <Item term={t.fields.status} value={de.status[e.status] ?? e.status} />
        <Item term={t.fields.kind} value={de.kinds[e.kind] ?? e.kind} />
        <Item term={t.fields.receivedBy} value={`${e.receivedBy}, ${dateTime(e.receivedAt)}`} />
        <Item term={t.fields.responsible} value={e.responsibleAgency ?? '–'} />
        <Item term={t.fields.handling} value={e.handlingAgencies.join(', ') || '–'} />
        <Item
          term={t.fields.deadlines}
          value={e.deadlines.map((d) => `${relativeDeadline(d.due)} (${dateTime(d.due)})`).join('; ') || t.none}
        />
        {e.outcome && <Item term={de.actions.outcome} value={de.outcomes[e.outcome] ?? e.outcome} />}
      </dl>
    </section>
  );
}

function Requirements({ e }: { e: EnquiryState }) {
  const r = e.enquiry.siteRequirements;
  const range = r.areaM2Max ? `${area(r.areaM2Min)} bis ${area(r.areaM2Max)}` : `ab ${area(r.areaM2Min)}`;
  return (
    <section aria-labelledby="anforderungen">
      <h2 id="anforderungen" class="kern-heading-medium">
        {t.requirements}
      </h2>
      <dl class="kern-description-list">
        <Item
          term={t.fields.company}
          value={`${e.enquiry.codeName ?? e.enquiry.company.name} (WZ ${e.enquiry.company.sector})`}
        />
        {!e.enquiry.codeName && (
          <Item term={t.fields.contact} value={`${e.enquiry.contact.name}, ${e.enquiry.contact.email}`} />
        )}
        <Item term={t.fields.jobs} value={count(e.enquiry.project.jobs)} />
        <Item term={t.fields.investment} value={euro(e.enquiry.project.investmentEur)} />
        <Item term={t.fields.area} value={range} />
        <Item term={t.fields.zoning} value={r.zoning.join(', ')} />
        <Item term={t.fields.rail} value={yesNo(r.railAccess)} />
        <Item term={t.fields.locations} value={(e.enquiry.preferredLocations ?? []).join(', ') || t.none} />
        <Item term={t.fields.confidential} value={yesNo(e.enquiry.confidential)} />
        <Item term={t.fields.consent} value={yesNo(e.enquiry.consentToShare)} />
      </dl>
    </section>
  );
}

function Sites({ e }: { e: EnquiryState }) {
  return (
    <section aria-labelledby="standorte">
      <h2 id="standorte" class="kern-heading-medium">
        {t.sites}
      </h2>
      <h3 class="kern-body kern-body--bold">{t.proposed}</h3>
      {e.matchedSites.length === 0 ? (
        <p class="kern-body">{t.none}</p>
      ) : (
        <ul class="kern-list">
          {e.matchedSites.map((s) => (
            <li key={s.siteId}>{`${s.name} (${s.agency}, ${area(s.areaM2)}) – ${t.score(s.score)}`}</li>
          ))}
        </ul>
      )}
      {e.unmatchedSites.length > 0 && (
        <>
          <h3 class="kern-body kern-body--bold">{t.notFitting}</h3>
          <ul class="kern-list">
            {e.unmatchedSites.map((s) => (
              <li key={s.siteId}>{`${s.siteId}: ${s.reasons.map((r) => de.reasons[r] ?? r).join(', ')}`}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type Entry = components['schemas']['TimelineEntry'];

/** The timeline, asked again when the enquiry moved on (`version`). */
function Timeline({ id, version }: { id: string; version: string }) {
  const timeline = useLoad(
    () =>
      api
        .GET('/v1/enquiries/{id}/history', { params: { path: { id } } })
        // The audit timeline is a list; only ?format=temporal answers otherwise.
        .then((answer) => ({ ...answer, data: answer.data && (Array.isArray(answer.data) ? answer.data : []) })),
    [id, version],
  );
  return (
    <section aria-labelledby="verlauf">
      <h2 id="verlauf" class="kern-heading-medium">
        {t.timeline}
      </h2>
      <Loaded load={timeline}>{(entries) => <Entries entries={entries} />}</Loaded>
    </section>
  );
}

function Entries({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p class="kern-body">{t.timelineEmpty}</p>;
  return (
    <ol class="kern-list">
      {entries.map((x, i) => (
        <li key={i}>
          {`${dateTime(x.at)}: ${de.events[x.type] ?? x.type}${x.actor ? ` (${x.actor})` : ''}`}
          {typeof x.detail.note === 'string' && ` – „${x.detail.note}“`}
        </li>
      ))}
    </ol>
  );
}
