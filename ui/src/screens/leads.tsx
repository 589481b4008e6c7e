import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, problemDetail, useLoad, waitingTasks } from '../api.js';
import { useDraft } from '../drafts.js';
import { area, count, dateTime, euro, relativeDeadline } from '../format.js';
import type { components } from '../schema.js';
import { currentSession } from '../auth.js';
import { agencyShort } from '../names.js';
import { AgencyName, FilterInput, Loaded, NotForYou, TwoWayDecision } from '../parts.js';
import { useConfirm } from '../confirm.js';
import { SaidAlert, useSaid } from '../said.js';
import { usePlaceNames } from '../place-field.js';
import { de } from '../texts.js';
import { focusedId, ResetSearch, SearchStatus, useFocusAfterRender } from './enquiries.js';

type Lead = components['schemas']['Lead'];
const t = de.leads;
const agency = agencyShort;

/**
 * Leads: what partner agencies offered to mine, as we may see it (a code name until the
 * investor agrees); the open ones first, the answered below. A task links here with
 * `#lead-<id>`: that lead gets the focus. The answer to an action is said above the lists,
 * since the card moves from one list to the other.
 */
export function Leads() {
  // Anyone else who opens the address is told whose page this is, rather than refused as at an enquiry.
  if (!currentSession()?.roles.includes('staff')) {
    return <NotForYou id="leads" title={t.title} note={t.staffOnly} />;
  }
  return <StaffLeads />;
}

function StaffLeads() {
  const { url, query, route } = useLocation();
  // The search lives in the address, as Anfragen's filters do; searching again asks again.
  const [searched, setSearched] = useState(0);
  const [short, setShort] = useState(false);
  const [cleared, setCleared] = useState(false);
  const focus = useFocusAfterRender();
  const q = query.q || undefined;
  const leads = useLoad(() => api.GET('/v1/leads', { params: { query: q ? { q } : {} } }), [url, searched]);
  const found = useFound(leads.data, q);
  const search = (ev: Event) => {
    ev.preventDefault();
    const typed = String(new FormData(ev.target as HTMLFormElement).get('q') ?? '').trim();
    const tooShort = typed !== '' && !/[\p{L}\p{N}]{3}/u.test(typed);
    setShort(tooShort);
    setCleared(false);
    // Nothing is asked and the address stays: the list is still the last one, and the status line says so.
    if (tooShort) return focus('filter-q');
    route(typed ? `/leads?${new URLSearchParams({ q: typed })}` : '/leads', true);
    setSearched((n) => n + 1);
    focus(focusedId());
  };
  // The search is all the address holds: without it, all leads.
  const reset = () => {
    setShort(false);
    setCleared(true);
    route('/leads', true);
    setSearched((n) => n + 1);
    focus('filter-q');
  };
  const answer = useSaid();
  useFocusFromAddress(leads.data !== undefined);
  const answered = (said: string | null, problem?: string) => {
    if (said) {
      answer.say(said);
      leads.reload();
      void waitingTasks(true);
    } else answer.say(problem ?? '', false);
  };
  const status = statusOf(q, found, short, cleared);
  return (
    <section aria-labelledby="leads">
      <h1 id="leads" class="kern-heading-large">
        {t.title}
      </h1>
      <div aria-live="polite">
        <SaidAlert said={answer.said} />
      </div>
      <form class="lotse-filters" role="search" onSubmit={search} key={url} noValidate>
        <FilterInput
          name="q"
          label={de.list.filters.search}
          hint={t.searchHint}
          value={q}
          error={short ? de.list.filters.searchShort : undefined}
        />
        <div class="kern-btn-wrapper">
          <button class="kern-btn kern-btn--primary" type="submit" id="leads-suchen">
            <span class="kern-label">{t.search}</span>
          </button>
          {q && <ResetSearch onReset={reset} />}
        </div>
      </form>
      <SearchStatus text={status} />
      <Loaded load={leads}>
        {(list) =>
          list.length === 0 ? (
            // None found by a search: the status line says so, with what was searched.
            !q && <p class="kern-body">{t.empty}</p>
          ) : (
            <Lists leads={list} onAnswered={answered} />
          )
        }
      </Loaded>
    </section>
  );
}

/** The status line: what was searched and found, that a too short search changed nothing, or that it went. */
function statusOf(q: string | undefined, found: string, short: boolean, cleared: boolean): string {
  if (short) return t.unchanged + (q && found ? de.list.search.still(found) : '');
  if (q) return found;
  return cleared ? t.cleared : '';
}

/** The api answers the newest leads, at most this many (api/leads.ts). */
const NEWEST_LEADS = 200;

/**
 * What the search found, as said in the status line: set when an answer comes (for the search then in
 * the address), kept while the next loads, so that the line never counts one search's list for another.
 */
function useFound(list: Lead[] | undefined, q: string | undefined): string {
  const [found, setFound] = useState('');
  useEffect(() => {
    if (list) setFound(q ? t.found(list.length, q, list.length >= NEWEST_LEADS) : '');
  }, [list]);
  return found;
}

/** The lead a task pointed to (`#lead-<id>`) in view and focused, once the list is there. */
function useFocusFromAddress(loaded: boolean) {
  useEffect(() => {
    if (!loaded || !location.hash.startsWith('#lead-')) return;
    const heading = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    heading?.focus();
    heading?.scrollIntoView({ block: 'start' });
  }, [loaded]);
}

type Answered = (said: string | null, problem?: string) => void;

function Lists({ leads, onAnswered }: { leads: Lead[]; onAnswered: Answered }) {
  const isOpen = (l: Lead) => l.offer !== null && l.offer.answer === null;
  const open = leads.filter(isOpen);
  const done = leads.filter((l) => !isOpen(l));
  return (
    <>
      <h2 class="kern-heading-medium">{t.open}</h2>
      {open.length === 0 && <p class="kern-body">{t.noneOpen}</p>}
      {open.map((l) => (
        <LeadCard key={l.enquiryId} lead={l} onAnswered={onAnswered} />
      ))}
      {done.length > 0 && <h2 class="kern-heading-medium">{t.done}</h2>}
      {done.map((l) => (
        <LeadCard key={l.enquiryId} lead={l} onAnswered={onAnswered} />
      ))}
    </>
  );
}

function LeadCard({ lead, onAnswered }: { lead: Lead; onAnswered: Answered }) {
  const [note, setNote, noteSent] = useDraft(`${lead.enquiryId}:lead-note`, '');
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();
  const open = lead.offer !== null && lead.offer.answer === null;
  const headingId = `lead-${lead.enquiryId}`;
  const name = lead.codeName ?? lead.company.name;
  const placeName = usePlaceNames(lead.preferredLocations);
  const answer = async (how: 'accept' | 'decline') => {
    setBusy(true);
    const params = { params: { path: { id: lead.enquiryId } }, body: { note: note || undefined } };
    const { data, error, response } =
      how === 'accept'
        ? await api.POST('/v1/leads/{id}/accept', params)
        : await api.POST('/v1/leads/{id}/decline', params);
    setBusy(false);
    if (data) {
      noteSent();
      onAnswered(t.said[how] ?? '');
    } else onAnswered(null, problemDetail(error, response.status));
  };
  return (
    <article class="kern-card" aria-labelledby={headingId}>
      <div class="kern-card__container">
        <h3 id={headingId} class="kern-heading-medium" tabIndex={-1}>
          {name}
        </h3>
        <p class="kern-body">
          {t.from} <AgencyName id={lead.from} /> · {de.kinds[lead.kind] ?? lead.kind} · {count(lead.project.jobs)}{' '}
          {de.enquiry.fields.jobs} · {euro(lead.project.investmentEur)}
        </p>
        <p class="kern-body">{requirements(lead, placeName)}</p>
        {lead.note && <p class="kern-body">{`${t.note(agency(lead.from))}: „${lead.note}“`}</p>}
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
        <p class="kern-body">
          <a class="kern-link" href={`/anfragen/${lead.enquiryId}`}>
            {t.toEnquiry(name)}
          </a>
        </p>
        {open && (
          <TwoWayDecision
            id={`notiz-${lead.enquiryId}`}
            note={note}
            onNote={setNote}
            busy={busy}
            yes={t.accept}
            no={t.decline}
            onDecide={(yes) => {
              const how = yes ? 'accept' : 'decline';
              confirm.ask(questionFor(how, name, agency(lead.from)), () => void answer(how));
            }}
          />
        )}
      </div>
      {confirm.dialog}
    </article>
  );
}

/** An answer to a lead cannot be taken back: accepted, the agency handles it; declined, it goes on. */
const questionFor = (how: 'accept' | 'decline', name: string, from: string) =>
  how === 'accept'
    ? { title: t.ask.accept(name), consequence: t.ask.acceptConsequence(from), confirm: t.accept }
    : { title: t.ask.decline(name), consequence: t.ask.declineConsequence(from), confirm: t.decline };

/** What the investor looks for, as far as the partner may see it. */
function requirements(lead: Lead, placeName: (ags: string) => string): string {
  const r = lead.siteRequirements;
  const range = r.areaM2Max ? `${area(r.areaM2Min)} bis ${area(r.areaM2Max)}` : `ab ${area(r.areaM2Min)}`;
  const places = lead.preferredLocations.map(placeName).join(', ') || de.enquiry.none;
  return t.requirements(range, r.zoning.join(', '), r.railAccess === true, places);
}
