import { useState } from 'preact/hooks';
import { api, problemDetail, useLoad } from '../api.js';
import { useDraft } from '../drafts.js';
import { area, count, dateTime, euro, relativeDeadline } from '../format.js';
import type { components } from '../schema.js';
import { ErrorAlert, Loaded, TwoWayDecision } from '../parts.js';
import { de } from '../texts.js';

type Lead = components['schemas']['Lead'];
const t = de.leads;

/** Leads: what partner agencies offered to mine, as we may see it (a code name until the investor agrees). */
export function Leads() {
  const leads = useLoad(() => api.GET('/v1/leads'), []);
  return (
    <section aria-labelledby="leads">
      <h1 id="leads" class="kern-heading-large">
        {t.title}
      </h1>
      <Loaded load={leads}>
        {(list) =>
          list.length === 0 ? (
            <p class="kern-body">{t.empty}</p>
          ) : (
            list.map((l) => <LeadCard key={l.enquiryId} lead={l} onAnswered={leads.reload} />)
          )
        }
      </Loaded>
    </section>
  );
}

function LeadCard({ lead, onAnswered }: { lead: Lead; onAnswered: () => void }) {
  const [note, setNote, noteSent] = useDraft(`${lead.enquiryId}:lead-note`, '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = lead.offer !== null && lead.offer.answer === null;
  const headingId = `lead-${lead.enquiryId}`;
  const answer = async (how: 'accept' | 'decline') => {
    setBusy(true);
    setProblem(null);
    const params = { params: { path: { id: lead.enquiryId } }, body: { note: note || undefined } };
    const { data, error, response } =
      how === 'accept'
        ? await api.POST('/v1/leads/{id}/accept', params)
        : await api.POST('/v1/leads/{id}/decline', params);
    setBusy(false);
    if (data) {
      noteSent();
      onAnswered();
    } else setProblem(problemDetail(error, response.status));
  };
  return (
    <article class="kern-card" aria-labelledby={headingId}>
      <div class="kern-card__container">
        <h2 id={headingId} class="kern-heading-medium">
          {lead.codeName ?? lead.company.name}
        </h2>
        <p class="kern-body">
          {t.from(lead.from)} · {de.kinds[lead.kind] ?? lead.kind} · {count(lead.project.jobs)} {de.enquiry.fields.jobs}{' '}
          · {euro(lead.project.investmentEur)}
        </p>
        <p class="kern-body">{lead.released ? t.released : t.withheld}</p>
        {lead.contact && <p class="kern-body">{`${t.contact}: ${lead.contact.name}, ${lead.contact.email}`}</p>}
        {lead.sites.length > 0 && (
          <p class="kern-body">{`${t.sites}: ${lead.sites.map((s) => `${s.name} (${area(s.areaM2)})`).join(', ')}`}</p>
        )}
        {lead.offer && (
          <p class="kern-body">
            {lead.offer.answer
              ? t.answered[lead.offer.answer]
              : `${t.respondBy}: ${relativeDeadline(lead.offer.respondBy)} (${dateTime(lead.offer.respondBy)})`}
          </p>
        )}
        {open && (
          <TwoWayDecision
            id={`notiz-${lead.enquiryId}`}
            note={note}
            onNote={setNote}
            busy={busy}
            yes={t.accept}
            no={t.decline}
            onDecide={(yes) => void answer(yes ? 'accept' : 'decline')}
          />
        )}
        <div aria-live="polite">{problem && <ErrorAlert detail={problem} />}</div>
      </div>
    </article>
  );
}
