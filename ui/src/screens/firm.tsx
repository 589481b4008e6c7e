import { useEffect, useRef, useState } from 'preact/hooks';
import { api, useLoad, type Load } from '../api.js';
import type { Session } from '../auth.js';
import { count, dateTime } from '../format.js';
import { agencyShort } from '../names.js';
import { AgencyName, AgencyNames, Badge, Item, Loaded, Note } from '../parts.js';
import { usePlaceNames } from '../place-field.js';
import { SaidAlert, useSaid, type Said } from '../said.js';
import { de } from '../texts.js';
import { visitDueNow, waitingFirmTasks } from '../firm-tasks.js';
import { cameFrom } from '../trail.js';
import type { Firm, FirmPerson } from '../types.js';
import { dayOf, OpenConcern, OpenConcerns, PlanVisit, PlannedVisits, when } from './firm-care.js';
import { StartExpansion } from './firm-expansion.js';
import { FirmForm } from './firm-form.js';
import { useFirmPeople } from './firm-parts.js';

const t = de.firms;
type Step = Firm['timeline'][number];
type Open = 'edit' | 'plan' | 'concern' | 'expansion' | null;
type Done = (said: string, link?: Said['link']) => void;

/**
 * Unternehmen: one firm, as its readers see it — its facts and contact people, its care
 * (the rhythm of visits, the visits planned, the concerns open) and one Verlauf of every
 * step. The carers' staff plan and report visits and take up concerns; the agency a concern
 * waits on answers it; the firm's agency changes its facts in the same form that entered it.
 */
export function FirmPage({ id, session }: { id: string; session: Session }) {
  const firm = useLoad(() => api.GET('/v1/firms/{id}', { params: { path: { id } } }), [id]);
  const staff = session.roles.includes('staff');
  const people = useFirmPeople(staff ? id : null);
  const { said, say } = useSaid();
  const following = useFollow(firm);
  const [open, setOpen] = useState<Open>(null);
  const f = firm.data;
  const done: Done = (text, link) => {
    setOpen(null);
    say(text, true, link);
    following.after();
  };
  useFocusFromAddress(f !== undefined);
  // "Erweiterungsprojekt starten" after a visit about an expansion: /unternehmen/:id#erweiterung
  useEffect(() => {
    if (f && location.hash === '#erweiterung' && [f.agency, ...f.coCarers].includes(session.agency))
      setOpen('expansion');
  }, [f !== undefined]);
  const [backHref, back] = backTo(cameFrom(`/unternehmen/${id}`));
  return (
    <article aria-labelledby="unternehmen-name" class="lotse-firm">
      <p class="kern-body">
        <a class="kern-link" href={backHref}>
          {back}
        </a>
      </p>
      <h1 id="unternehmen-name" class="kern-heading-large">
        {f?.name ?? t.loading}
        {f && visitDueNow(f.care.visitDue, f.care.nextVisitDue) && (
          <>
            {' '}
            <Badge kind="warning">{t.visitDue}</Badge>
          </>
        )}
      </h1>
      <SaidAlert said={said} />
      {following.waiting && <Note class="lotse-note">{t.timelineFollows}</Note>}
      <Loaded load={firm} problem={(detail, status) => (status === 404 ? t.notFound : detail)}>
        {(data) => (
          <FirmShown
            firm={data}
            session={session}
            people={people.data?.items ?? []}
            open={open}
            onOpen={setOpen}
            onDone={done}
          />
        )}
      </Loaded>
    </article>
  );
}

/** Back to the Aufgaben one came from, or to the list with its search ("/unternehmen?q=…"), else the list. */
function backTo(from: string | null): [string, string] {
  if (from && (from === '/' || from.startsWith('/?'))) return [from, de.enquiry.back];
  return [from?.startsWith('/unternehmen?') ? from : '/unternehmen', t.back];
}

function FirmShown(props: {
  firm: Firm;
  session: Session;
  people: FirmPerson[];
  open: Open;
  onOpen: (o: Open) => void;
  onDone: Done;
}) {
  const { firm, session, people } = props;
  const staff = session.roles.includes('staff');
  const mayCare = staff && [firm.agency, ...firm.coCarers].includes(session.agency);
  const mayEdit = staff && session.agency === firm.agency;
  return (
    <>
      {(mayCare || mayEdit) && (
        <FirmActions
          firm={firm}
          people={people}
          mayCare={mayCare}
          mayEdit={mayEdit}
          open={props.open}
          onOpen={props.onOpen}
          onDone={props.onDone}
        />
      )}
      <Facts firm={firm} />
      <Contacts firm={firm} />
      <Care firm={firm} />
      <PlannedVisits firm={firm} mayCare={mayCare} people={people} onDone={props.onDone} />
      <OpenConcerns firm={firm} agency={session.agency} staff={staff} onDone={props.onDone} />
      <Timeline firm={firm} people={people} />
    </>
  );
}

/**
 * What the person may do: Bearbeiten (the firm's agency), Besuch planen, Besuch erfassen
 * (its own screen) and Anliegen aufnehmen (the carers). A button opens its form below,
 * whose heading takes the focus; "Abbrechen" gives it back to the button.
 */
function FirmActions(props: {
  firm: Firm;
  people: FirmPerson[];
  mayCare: boolean;
  mayEdit: boolean;
  open: Open;
  onOpen: (o: Open) => void;
  onDone: Done;
}) {
  const { firm, open } = props;
  const box = useRef<HTMLDivElement>(null);
  const last = useRef<Open>(null);
  // Closed by "Abbrechen": the focus goes back to the button; after an action, the answer has it.
  const cancelled = useRef(false);
  useEffect(() => {
    if (open) box.current?.querySelector<HTMLElement>('h2, h3')?.focus();
    else if (last.current && cancelled.current) document.getElementById(`aktion-${last.current}`)?.focus();
    cancelled.current = false;
    last.current = open;
  }, [open]);
  const toggle = (o: Exclude<Open, null>, label: string) => (
    <button
      id={`aktion-${o}`}
      class={`kern-btn kern-btn--${o === 'plan' ? 'primary' : 'secondary'}`}
      type="button"
      aria-expanded={open === o}
      aria-controls="aktion-formular"
      onClick={() => props.onOpen(open === o ? null : o)}
    >
      <span class="kern-label">{label}</span>
    </button>
  );
  const close = () => {
    cancelled.current = true;
    props.onOpen(null);
  };
  return (
    <section aria-labelledby="aktionen" class="lotse-firm-actions">
      <h2 id="aktionen" class="kern-heading-medium">
        {t.actions}
      </h2>
      <div class="kern-btn-wrapper lotse-buttons">
        {props.mayCare && toggle('plan', t.plan.title)}
        {props.mayCare && (
          <a class="kern-btn kern-btn--secondary" href={`/unternehmen/${firm.firmId}/besuch`}>
            <span class="kern-label">{t.report.link}</span>
          </a>
        )}
        {props.mayCare && toggle('concern', t.concernForm.title)}
        {props.mayCare && toggle('expansion', t.expansion.title)}
        {props.mayEdit && toggle('edit', t.edit)}
      </div>
      <div id="aktion-formular" ref={box}>
        {open === 'plan' && <PlanVisit firm={firm} people={props.people} onClose={close} onDone={props.onDone} />}
        {open === 'concern' && <OpenConcern firm={firm} onClose={close} onDone={props.onDone} />}
        {open === 'expansion' && <StartExpansion firm={firm} onClose={close} onDone={props.onDone} />}
        {open === 'edit' && (
          <div class="lotse-subform">
            <FirmForm firm={firm} onSaved={(_, name) => props.onDone(t.saved(name))} />
            <button class="kern-btn kern-btn--secondary" type="button" onClick={close}>
              <span class="kern-label">{t.cancel}</span>
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

function Facts({ firm }: { firm: Firm }) {
  const place = usePlaceNames(firm.sites.map((s) => s.ags));
  const f = t.fields;
  return (
    <section aria-labelledby="angaben">
      <h2 id="angaben" class="kern-heading-medium">
        {t.facts}
      </h2>
      <dl class="kern-description-list">
        <Item term={f.agency} value={<AgencyName id={firm.agency} />} />
        {firm.coCarers.length > 0 && <Item term={f.coCarers} value={<AgencyNames ids={firm.coCarers} />} />}
        <Item term={f.legalForm} value={t.legalForms[firm.legalForm] ?? firm.legalForm} />
        {firm.registerNumber && (
          <Item term={t.fields.registerNumber.replace(' (optional)', '')} value={firm.registerNumber} />
        )}
        <Item term={f.sector} value={firm.sector} />
        <Item term={f.employees} value={count(firm.employees)} />
        <Item
          term={f.sites}
          value={
            <ul class="kern-list">
              {firm.sites.map((s, i) => (
                <li
                  key={i}
                >{`${s.address} – ${place(s.ags)}${i === 0 && firm.sites.length > 1 ? ` (${f.site(1)})` : ''}`}</li>
              ))}
            </ul>
          }
        />
        <Item term={f.carer} value={firm.carer ? (firm.carer.name ?? t.unknownPerson) : t.noCarer} />
      </dl>
    </section>
  );
}

function Contacts({ firm }: { firm: Firm }) {
  return (
    <section aria-labelledby="ansprechpersonen">
      <h2 id="ansprechpersonen" class="kern-heading-medium">
        {t.fields.contacts}
      </h2>
      {firm.contacts.length === 0 ? (
        <p class="kern-body">{t.noContacts}</p>
      ) : (
        <ul class="kern-list">
          {firm.contacts.map((c) => (
            <li key={c.contactId}>
              {c.name}
              {c.role && `, ${c.role}`}
              {c.email && (
                <>
                  {' · '}
                  <a class="kern-link" href={`mailto:${c.email}`}>
                    {c.email}
                  </a>
                </>
              )}
              {c.phone && (
                <>
                  {' · '}
                  <a class="kern-link" href={`tel:${c.phone.replace(/[^+0-9]/g, '')}`}>
                    {c.phone}
                  </a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Care({ firm }: { firm: Firm }) {
  const c = firm.care;
  return (
    <section aria-labelledby="betreuung">
      <h2 id="betreuung" class="kern-heading-medium">
        {t.care}
      </h2>
      <dl class="kern-description-list">
        <Item term={t.fields.careLevel} value={`${t.careLevels[firm.careLevel]} – ${t.every(c.visitEveryMonths)}`} />
        <Item
          term={t.lastVisit}
          value={c.lastVisitOn === null ? t.noVisitYet(dayOf(c.enteredOn)) : dayOf(c.lastVisitOn)}
        />
        <Item
          term={t.nextDue}
          value={
            visitDueNow(c.visitDue, c.nextVisitDue) ? (
              <>
                {dayOf(c.nextVisitDue)} <Badge kind="warning">{t.visitDue}</Badge>
              </>
            ) : (
              dayOf(c.nextVisitDue)
            )
          }
        />
        <Item term={t.visitsRecorded} value={count(c.visitsRecorded)} />
      </dl>
    </section>
  );
}

/** Verlauf: every step of the firm's care, oldest first, with who took it. */
function Timeline({ firm, people }: { firm: Firm; people: FirmPerson[] }) {
  const named = nameBook(firm, people);
  const topics = new Map(
    firm.timeline.flatMap((s) =>
      s.type === 'concern_opened' ? [[String(s.detail.concernId), String(s.detail.topic)] as const] : [],
    ),
  );
  return (
    <section aria-labelledby="verlauf">
      <h2 id="verlauf" class="kern-heading-medium">
        {t.timeline}
      </h2>
      {firm.timeline.length === 0 ? (
        <p class="kern-body">{t.timelineEmpty}</p>
      ) : (
        <ol class="kern-list lotse-timeline">
          {firm.timeline.map((s) => (
            <li key={s.step}>
              {`${dateTime(s.at)}: ${stepText(s, named, topics)} (`}
              <StepActor s={s} />
              {')'}
              {typeof s.detail.note === 'string' && s.detail.note && ` – „${s.detail.note}“`}
              {typeof s.detail.reason === 'string' && ` – ${t.steps.reason(s.detail.reason)}`}
              {s.type === 'expansion_started' && typeof s.detail.enquiryId === 'string' && (
                <>
                  {' – '}
                  <a class="kern-link" href={`/anfragen/${s.detail.enquiryId}`}>
                    {t.steps.expansionLink}
                  </a>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Who took a step: Lotse itself, the portal, or a person with their agency ("Paul Richter, Burgenlandkreis"). */
function StepActor({ s }: { s: Step }) {
  const actor = typeof s.detail.actor === 'string' ? s.detail.actor : '';
  if (actor === 'system') return <>{t.actors.system}</>;
  if (actor === 'webhook') return <>{t.actors.webhook}</>;
  const user = /^user:(.+)@([^@]+)$/.exec(actor);
  return (
    <>
      {`${s.actorName ?? user?.[1] ?? t.unknownPerson}, `}
      <AgencyName id={user?.[2] ?? s.agency} />
    </>
  );
}

/** People by "agency:sub": from the planned visits (named by the api) and the people who may take part. */
function nameBook(firm: Firm, people: FirmPerson[]) {
  const names = new Map<string, string>();
  for (const p of people) names.set(`${p.agency}:${p.sub}`, p.name);
  for (const v of firm.care.plannedVisits)
    for (const p of v.participants) if (p.name) names.set(`${p.agency}:${p.sub}`, p.name);
  if (firm.carer?.name) names.set(`${firm.carer.agency}:${firm.carer.sub}`, firm.carer.name);
  return (list: unknown): string => {
    if (!Array.isArray(list)) return '';
    return (list as { agency: string; sub: string }[])
      .map(
        (p) =>
          `${names.get(`${p.agency}:${p.sub}`) ?? t.unknownPerson}${p.agency !== firm.agency ? ` (${agencyShort(p.agency)})` : ''}`,
      )
      .join(', ');
  };
}

function stepText(s: Step, named: (list: unknown) => string, topics: Map<string, string>): string {
  const d = s.detail;
  const st = t.steps;
  const topic = (x: unknown) => t.topics[String(x)] ?? String(x ?? '');
  const level = typeof d.careLevel === 'string' ? `; ${st.careLevel(t.careLevels[d.careLevel] ?? d.careLevel)}` : '';
  const visit = (d.visit ?? {}) as { at?: string; participants?: unknown };
  switch (s.type) {
    case 'firm_registered':
      return `${st.firm_registered}${level}`;
    case 'firm_updated':
      return `${st.firm_updated}${level}`;
    case 'visit_due':
      return typeof d.nextVisitDue === 'string' ? `${st.visit_due} (${dayOf(d.nextVisitDue)})` : st.visit_due;
    case 'visit_planned':
      return (d.rescheduled ? st.visit_rescheduled : st.visit_planned)(
        visit.at ? when(visit.at) : '',
        named(visit.participants),
      );
    case 'visit_cancelled':
      return st.visit_cancelled(visit.at ? when(visit.at) : '');
    case 'visit_recorded': {
      const topicsOf = Array.isArray(d.topics) ? d.topics.map(topic).join(', ') : '';
      const who = named(d.participants);
      return `${st.visit_recorded(typeof d.at === 'string' ? when(d.at) : '', topicsOf)}${who ? `, ${t.participants}: ${who}` : ''}`;
    }
    case 'concern_opened':
      return st.concern_opened(
        topic(d.topic),
        agencyShort(String(d.handledBy)),
        typeof d.due === 'string' ? dayOf(d.due) : '',
      );
    case 'concern_reminder_due':
      return st.concern_reminder_due(topic(d.topic), agencyShort(String(d.handledBy)));
    case 'concern_overdue':
      return st.concern_overdue(topic(d.topic), agencyShort(String(d.handledBy)));
    case 'concern_answered':
      return st.concern_answered(topic(d.topic ?? topics.get(String(d.concernId))));
    case 'concern_handed_on': {
      const was = topics.get(String(d.concernId));
      return `${st.concern_handed_on(agencyShort(String(d.to)))}${was ? ` (${topic(was)})` : ''}`;
    }
    case 'expansion_started':
      return st.expansion_started(count(Number(d.jobs ?? 0)), count(Number(d.jobsSecured ?? 0)));
  }
  return s.type;
}

/**
 * After an action the firm is asked for again at once (its facts come from its workflow),
 * and again a few times while its Verlauf (from the read model) has not got the new step.
 */
function useFollow(firm: Load<Firm>) {
  const [expect, setExpect] = useState<number | null>(null);
  const tries = useRef(0);
  const steps = firm.data?.timeline.length;
  useEffect(() => {
    if (expect === null || firm.loading || steps === undefined) return;
    if (steps > expect || tries.current >= 8) {
      setExpect(null);
      // The tasks come from the same read model as the Verlauf: now they have the step too.
      void waitingFirmTasks(true);
      return;
    }
    tries.current++;
    const timer = setTimeout(firm.reload, 600 * tries.current);
    return () => clearTimeout(timer);
  }, [expect, steps, firm.loading, firm.data]);
  return {
    waiting: expect !== null,
    after() {
      tries.current = 0;
      setExpect(steps ?? 0);
      firm.reload();
    },
  };
}

/** The visit or concern a task pointed to (`#besuch-v1`, `#anliegen-c2`) in view and focused, once shown. */
function useFocusFromAddress(loaded: boolean) {
  useEffect(() => {
    if (!loaded || !/^#(besuch|anliegen)-/.test(location.hash)) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    target?.focus();
    target?.scrollIntoView({ block: 'start' });
  }, [loaded]);
}
