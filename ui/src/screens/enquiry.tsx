import { useEffect } from 'preact/hooks';
import { api, useLoad, type Load } from '../api.js';
import { currentSession } from '../auth.js';
import { onLiveChange } from '../live.js';
import { area, count, dateTime, euro, germanDay } from '../format.js';
import type { components } from '../schema.js';
import { agencyShort, officeTitle } from '../names.js';
import { AgencyName, AgencyNames, Deadline, Item, Loaded, Note, StatusBadge } from '../parts.js';
import { PlaceNames } from '../place-field.js';
import { isPlaced, SiteMap, type Pin } from '../site-map.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';
import { cameFrom } from '../trail.js';
import { Actions } from './actions.js';
import { maySetSource, SourceForm, SourceItems, sourceWords } from './enquiry-source.js';
import { Privacy } from './privacy.js';

const t = de.enquiry;
const yesNo = (b: boolean | undefined) => (b ? de.enquiry.yes : de.enquiry.no);

/** Anfrage: one enquiry at a glance, what fits and what does not, its history, and what the person may do now. */
export function Enquiry({ id }: { id: string }) {
  const enquiry = useLoad(() => api.GET('/v1/enquiries/{id}', { params: { path: { id } } }), [id]);
  useFollow(id, enquiry);
  // An action answers with the new state; asked again, the page also learns whether the lists show it yet.
  const changed = (e: EnquiryState) => {
    enquiry.set(e);
    enquiry.reload();
  };
  return <Loaded load={enquiry}>{(e) => <EnquiryView e={e} onChange={changed} />}</Loaded>;
}

/**
 * Asks again when the enquiry moves on: the live stream announces a step once the lists have
 * it, so the answer then also says they are current. Once for a burst of steps.
 */
function useFollow(id: string, enquiry: Load<EnquiryState>) {
  useEffect(() => {
    let soon: ReturnType<typeof setTimeout> | undefined;
    const stop = onLiveChange((change) => {
      if (change.enquiryId !== id) return;
      clearTimeout(soon);
      soon = setTimeout(enquiry.reload, 150);
    });
    return () => {
      clearTimeout(soon);
      stop();
    };
  }, [id]);
}

function EnquiryView({ e, onChange }: { e: EnquiryState; onChange: (e: EnquiryState) => void }) {
  return (
    <article aria-labelledby="anfrage" class="lotse-enquiry">
      <div class="lotse-no-print">
        <BackLink />
      </div>
      <h1 id="anfrage" class="kern-heading-large">
        {t.title(nameOf(e))}
      </h1>
      <PrintLine />
      <div class="lotse-no-print">
        <ListsFollow e={e} />
      </div>
      <Overview e={e} onChange={onChange} />
      {/* On paper: the facts, the sites and the vote; what one does on screen stays there. */}
      <div class="lotse-no-print">
        <Actions enquiry={e} session={currentSession()} onChange={onChange} />
      </div>
      <Joint e={e} />
      <Requirements e={e} />
      <Sites e={e} />
      <div class="lotse-no-print">
        <Privacy enquiry={e} session={currentSession()} onChange={onChange} />
        <Timeline
          e={e}
          version={[
            e.status,
            e.deadlines.length,
            e.consent?.at,
            e.personalDataErasedAt,
            JSON.stringify(e.enquiry.source ?? null),
            ...Object.values(e.assignees).map((a) => a.at),
          ].join()}
        />
      </div>
    </article>
  );
}

/**
 * The firm, or its code name for a partner while the investor has not agreed. Once the offices vote
 * on it, the project's one name (as on their Abstimmungen, in the mails), the firm beside for who may see it.
 */
function nameOf(e: EnquiryState): string {
  // A partner's code name is the project's name already.
  if (e.enquiry.codeName) return e.enquiry.codeName;
  const voted = e.jointHandling && e.jointHandling.status !== 'not_requested';
  return voted ? t.projectAndFirm(e.projectName, e.enquiry.company.name) : e.enquiry.company.name;
}

/**
 * Back to the list the person came from (the Anfragen with their filters, the Leads, the
 * Abstimmungen), by the browser's history so that filters and page stay; else the Aufgaben.
 */
function BackLink() {
  const from = cameFrom(location.pathname + location.search);
  // The list itself, with its filters or an anchor; not another enquiry under /anfragen/.
  const list =
    from && Object.keys(t.backTo).find((l) => from.startsWith(l) && ['', '?', '#'].includes(from[l.length] ?? ''));
  const back = (ev: MouseEvent) => {
    if (!list) return;
    ev.preventDefault();
    history.back();
  };
  return (
    <p class="kern-body">
      <a class="kern-link" href={list ? from : '/'} onClick={back}>
        {list ? t.backTo[list] : t.back}
      </a>
    </p>
  );
}

/**
 * "Drucken" on screen; on paper, when it was printed. The print stylesheet (app.css) leaves out
 * the navigation, the actions and the Verlauf: one page an Oberbürgermeister reads at the desk.
 */
function PrintLine() {
  return (
    <>
      <p class="kern-body lotse-no-print">
        <button class="kern-btn kern-btn--secondary" type="button" onClick={() => window.print()}>
          <span class="kern-label">{t.print}</span>
        </button>
      </p>
      <p class="kern-body lotse-print-only">{t.printedAt(dateTime(new Date().toISOString()))}</p>
    </>
  );
}

/**
 * This page asks the enquiry itself; the lists and Aufgaben follow it by a moment. Until they
 * have, a quiet note says so (a status, announced politely, never taking the focus); the next
 * answer after the live change takes it away.
 */
function ListsFollow({ e }: { e: EnquiryState }) {
  if (!e.listed || e.listed.current) return null;
  return <Note class="lotse-note">{t.listsFollow}</Note>;
}

const agency = agencyShort;

/** The status as a badge, and with "Beim Partner" which partner it is with. */
function StatusOf({ e }: { e: EnquiryState }) {
  const partner = e.forwarding?.offers.find((o) => o.answer === null)?.partner;
  if (e.status === 'awaiting_partner' && partner)
    return <StatusBadge status={e.status} text={t.atPartner(agency(partner))} />;
  return <StatusBadge status={e.status} />;
}

/** Each deadline once, named by what is due and by whom: a vote's three offices share one deadline. */
function deadlinesOf(e: EnquiryState): { named: string; due: string }[] {
  const whom = (who: string) => {
    const id = who.slice(who.indexOf(':') + 1);
    return who.startsWith('office:') ? officeTitle(id) : agency(id);
  };
  const byKind = new Map<string, { due: string; whom: string[] }>();
  for (const d of e.deadlines) {
    const key = `${d.kind} ${d.due}`;
    const seen = byKind.get(key) ?? { due: d.due, whom: [] };
    if (d.who.startsWith('office:') || d.kind === 'lead_answer') seen.whom.push(whom(d.who));
    byKind.set(key, seen);
  }
  return [...byKind.entries()].map(([key, { due, whom: list }]) => {
    const kind = key.slice(0, key.indexOf(' '));
    const what = t.deadlineKinds[kind] ?? kind;
    return { named: list.length > 0 ? t.deadlineOf(what, list.join(', ')) : what, due };
  });
}

/** "Entscheidung über die Weiterleitung: noch 2 Tage (…)"; an overdue one with its badge. */
function Deadlines({ e }: { e: EnquiryState }) {
  const all = deadlinesOf(e);
  if (all.length === 0) return <>{t.none}</>;
  return (
    <>
      {all.map(({ named, due }, i) => (
        <span key={`${named} ${due}`}>
          {i > 0 && '; '}
          {`${named}: `}
          <Deadline due={due} />
        </span>
      ))}
    </>
  );
}

/** "Unternehmen: <name>", linking the firm's page, for those who may see the firm (the api answers them). */
function FirmOf({ firmId }: { firmId: string }) {
  const firm = useLoad(() => api.GET('/v1/firms/{id}', { params: { path: { id: firmId } } }), [firmId]);
  if (!firm.data) return null;
  return (
    <Item
      term={t.firm}
      value={
        <a class="kern-link" href={`/unternehmen/${firmId}`}>
          {firm.data.name}
        </a>
      }
    />
  );
}

function Overview({ e, onChange }: { e: EnquiryState; onChange: (e: EnquiryState) => void }) {
  return (
    <section aria-labelledby="ueberblick">
      <h2 id="ueberblick" class="kern-heading-medium">
        {t.overview}
      </h2>
      <dl class="kern-description-list">
        <Item term={t.fields.status} value={<StatusOf e={e} />} />
        <Item term={t.fields.kind} value={de.kinds[e.kind] ?? e.kind} />
        {e.firm && <FirmOf firmId={e.firm.firmId} />}
        <Item
          term={t.fields.receivedBy}
          value={
            <>
              <AgencyName id={e.receivedBy} />, {dateTime(e.receivedAt)}
            </>
          }
        />
        <Item
          term={t.fields.responsible}
          value={<AgencyNames ids={e.responsibleAgency ? [e.responsibleAgency] : []} />}
        />
        <Item term={t.fields.handling} value={<AgencyNames ids={e.handlingAgencies} />} />
        <Item term={t.fields.deadlines} value={<Deadlines e={e} />} />
        {e.outcome && <Item term={de.actions.outcome} value={de.outcomes[e.outcome] ?? e.outcome} />}
        <SourceItems e={e} />
      </dl>
      {maySetSource(e, currentSession()) && <SourceForm e={e} onChange={onChange} />}
    </section>
  );
}

/** The vote on joint handling, once there is one: each office's vote and note, and the outcome, for staff too. */
function Joint({ e }: { e: EnquiryState }) {
  const jh = e.jointHandling;
  if (!jh || jh.status === 'not_requested') return null;
  const v = de.votes;
  return (
    <section aria-labelledby="gemeinsam">
      <h2 id="gemeinsam" class="kern-heading-medium">
        {t.joint}
      </h2>
      <p class="kern-body">{v.rule(jh.rule, jh.offices.length)}</p>
      <ul class="kern-list">
        {jh.offices.map((o) => {
          const cast = jh.votes.find((x) => x.office === o.id);
          const note = cast?.note ? ` – „${cast.note}“` : '';
          return <li key={o.id}>{`${o.title}: ${cast ? v.decisions[cast.decision] : v.open}${note}`}</li>;
        })}
      </ul>
      <p class="kern-body kern-body--bold">{v.outcome[jh.status] ?? v.waiting}</p>
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
        <Item
          term={t.fields.locations}
          value={<PlaceNames keys={e.enquiry.preferredLocations ?? []} none={t.none} />}
        />
        <Item term={t.fields.confidential} value={yesNo(e.enquiry.confidential)} />
        <Item term={t.fields.consent} value={yesNo(e.enquiry.consentToShare)} />
      </dl>
    </section>
  );
}

function Sites({ e }: { e: EnquiryState }) {
  const registry = useRegistry(e);
  return (
    <section aria-labelledby="standorte">
      <h2 id="standorte" class="kern-heading-medium">
        {t.sites}
      </h2>
      {registry.data && <SitesMap e={e} byKey={registry.data} />}
      <div id={SITE_LISTS} tabIndex={-1}>
        {/* "Vorgeschlagen: keine" beside the partners' fitting sites would contradict the Leads: then only those. */}
        {(e.matchedSites.length > 0 || !partnerSitesOf(e).length) && (
          <>
            <h3 class="kern-body kern-body--bold">{t.proposed}</h3>
            {e.matchedSites.length === 0 ? (
              <p class="kern-body">{t.none}</p>
            ) : (
              <ul class="kern-list">
                {e.matchedSites.map((s) => (
                  <li key={s.siteId}>
                    {`${s.name} (`}
                    <AgencyName id={s.agency} />
                    {`, ${area(s.areaM2)}) – ${t.score(s.score)}`}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        <PartnerSites e={e} />
        {e.unmatchedSites.length > 0 && <NotFitting e={e} byKey={registry.data} />}
      </div>
    </section>
  );
}

type Site = components['schemas']['Site'];
type Registry = Map<string, Site>;
/** Where the map's skip link leads: the lists of the same sites. */
const SITE_LISTS = 'standorte-listen';
const keyOf = (s: { agency: string; siteId: string }) => `${s.agency}.${s.siteId}`;

/**
 * The registry's sites of every agency the enquiry's sites belong to, by agency and Kennung: the
 * enquiry keeps only ids, names and sizes; the registry, as it is now, has the rest (where they lie).
 */
function useRegistry(e: EnquiryState): Load<Registry> {
  const sites = [...e.matchedSites, ...partnerSitesOf(e), ...e.unmatchedSites];
  const owners = [...new Set(sites.map((s) => s.agency))].sort();
  return useLoad(
    () =>
      Promise.all(owners.map((a) => api.GET('/v1/sites', { params: { query: { agency: a } } }))).then((answers) => ({
        data: new Map(answers.flatMap((a) => a.data ?? []).map((s): [string, Site] => [keyOf(s), s])),
      })),
    [e.enquiryId, owners.join(' ')],
  );
}

/**
 * The enquiry's sites on a map: the proposed ones (the responsible agency's and the partners'),
 * the others greyed with why, those in a Wunschort ringed (places have no outline in the
 * reference data: the sites that lie in one are marked instead).
 */
function SitesMap({ e, byKey }: { e: EnquiryState; byKey: Registry }) {
  const wished = e.enquiry.preferredLocations ?? [];
  const pin = (s: { agency: string; siteId: string }, kind: Pin['kind'], status: string): Pin[] => {
    const site = byKey.get(keyOf(s));
    if (!site || !isPlaced(site)) return [];
    const preferred = wished.some((ags) => site.ags.startsWith(ags));
    const href = `/flaechen/${site.siteId}`;
    return [{ key: keyOf(s), name: site.name, href, lat: site.lat, lon: site.lon, kind, status, preferred }];
  };
  const proposed = [...e.matchedSites, ...partnerSitesOf(e)];
  const pins = [
    ...proposed.flatMap((s) => pin(s, 'proposed', de.map.proposed)),
    ...e.unmatchedSites.flatMap((s) => pin(s, 'other', de.map.notFitting(reasonsOf(s.reasons)))),
  ];
  const unplaced = proposed.length + e.unmatchedSites.length - pins.length;
  return <SiteMap label={de.map.enquiry} pins={pins} unplaced={unplaced} skipTo={SITE_LISTS} />;
}

const reasonsOf = (reasons: string[]) => reasons.map((r) => de.reasons[r] ?? r).join(', ');

/**
 * The responsible agency's sites that do not fit, by name and size with why (the enquiry keeps
 * only their ids): from the site registry, as it is now. A site withdrawn since is named as such.
 */
function NotFitting({ e, byKey }: { e: EnquiryState; byKey?: Registry }) {
  return (
    <>
      <h3 class="kern-body kern-body--bold">{t.notFitting}</h3>
      {byKey === undefined ? (
        <p role="status" class="kern-body">
          {de.loading}
        </p>
      ) : (
        <ul class="kern-list">
          {e.unmatchedSites.map((s) => {
            const site = byKey.get(keyOf(s));
            const name = site ? `${site.name} (${area(site.areaM2)})` : t.withdrawnSite;
            return <li key={s.siteId}>{`${name}: ${reasonsOf(s.reasons)}`}</li>;
          })}
        </ul>
      )}
    </>
  );
}

/** The partners' sites that fit (a partner sees only its own): what its lead offers. */
const partnerSitesOf = (e: EnquiryState) => (e.forwarding?.candidates ?? []).flatMap((c) => c.sites);

function PartnerSites({ e }: { e: EnquiryState }) {
  const sites = partnerSitesOf(e);
  if (sites.length === 0) return null;
  // A partner sees only its own candidacy: its own sites, as on its Leads.
  const own = e.forwarding?.candidates.every((c) => c.agency === currentSession()?.agency);
  return (
    <>
      <h3 class="kern-body kern-body--bold">{own ? de.leads.sites : t.partnerSites}</h3>
      <ul class="kern-list">
        {sites.map((s) => (
          <li key={`${s.agency}.${s.siteId}`}>
            {`${s.name} (`}
            <AgencyName id={s.agency} />
            {`, ${area(s.areaM2)})`}
          </li>
        ))}
      </ul>
    </>
  );
}

type Entry = components['schemas']['TimelineEntry'];

/** The timeline, asked again when the enquiry moved on (`version`). */
function Timeline({ e, version }: { e: EnquiryState; version: string }) {
  const id = e.enquiryId;
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

/** What a step says: the decision and the partner where the type alone does not. */
function stepText(x: Entry): string {
  const d = x.detail;
  const partner = agency(String(d.partner ?? ''));
  const s = de.steps;
  switch (x.type) {
    case 'forwarding_decided':
      return d.decision === 'approve'
        ? s.forwardingApproved((Array.isArray(d.partners) ? d.partners : []).map((p) => agency(String(p))).join(', '))
        : s.forwardingRejected;
    case 'lead_forwarded':
      return (s.leadSent[String(d.because)] ?? s.leadSent.decision!)(partner);
    case 'lead_accepted':
      return s.leadAccepted(partner);
    case 'lead_declined':
      return s.leadDeclined(partner);
    case 'lead_expired':
      return s.leadExpired(partner);
    case 'joint_vote_cast': {
      const office = officeTitle(String(d.office));
      return s.voteCast(office, de.votes.decisions[String(d.decision)] ?? String(d.decision));
    }
    case 'joint_handling_decided':
      return s.jointDecided(d.outcome === 'approve');
    case 'consent_recorded':
      return typeof d.givenOn === 'string'
        ? s.consent(germanDay(d.givenOn), de.actions.consentForms[String(d.form)] ?? String(d.form))
        : (de.events[x.type] ?? x.type);
    case 'closed':
      return s.closed(de.outcomes[String(d.outcome)] ?? String(d.outcome));
    case 'task_assigned':
      return assignedText(x);
    case 'source_set':
      return s.sourceSet(sourceWords(d.source as Parameters<typeof sourceWords>[0]));
    default:
      return de.events[x.type] ?? x.type;
  }
}

/**
 * Who took a step: Lotse itself, an agency (IRL), or a person of an agency by the name their
 * sign-in gave ("Anna Berger, IRL"; the subject where Lotse never saw a name). A vote's step
 * names its office already.
 */
function Actor({ x }: { x: Entry }) {
  const actor = x.actor ?? '';
  if (actor === 'system') return <>{t.actors.system}</>;
  if (actor.startsWith('agency:')) return <AgencyName id={actor.slice('agency:'.length)} />;
  const user = /^user:(.+)@([^@]+)$/.exec(actor);
  if (!user) return <>{actor}</>;
  return (
    <>
      {`${x.actorName ?? user[1]!}, `}
      <AgencyName id={user[2]!} />
      {typeof x.detail.assignee === 'string' && DECIDED.has(x.type) && `; ${de.steps.notAssignee(assigneeOf(x))}`}
    </>
  );
}

/** The steps a person decides: they say who had the task when someone else decided. */
const DECIDED = new Set([
  'forwarding_decided',
  'lead_accepted',
  'lead_declined',
  'consent_recorded',
  'joint_handling_requested',
  'closed',
]);

const assigneeOf = (x: Entry) => x.assigneeName ?? String(x.detail.assignee);

/** Taken by the one who acted, given to a colleague, or handed back. */
function assignedText(x: Entry): string {
  const assignee = x.detail.assignee;
  if (typeof assignee !== 'string') return de.steps.handedBack;
  const self = x.actor?.startsWith(`user:${assignee}@`);
  return self ? de.steps.taken : de.steps.givenTo(assigneeOf(x));
}

function Entries({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p class="kern-body">{t.timelineEmpty}</p>;
  return (
    <ol class="kern-list">
      {entries.map((x, i) => (
        <li key={i}>
          {`${dateTime(x.at)}: ${stepText(x)}`}
          {x.actor && (
            <>
              {' ('}
              <Actor x={x} />)
            </>
          )}
          {typeof x.detail.note === 'string' && ` – „${x.detail.note}“`}
        </li>
      ))}
    </ol>
  );
}
