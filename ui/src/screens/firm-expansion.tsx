import { useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import { parseGermanNumber } from '../format.js';
import { ErrorAlert } from '../parts.js';
import type { Said } from '../said.js';
import { de } from '../texts.js';
import type { Firm } from '../types.js';
import {
  Checkboxes,
  SelectField,
  TextArea,
  TextField,
  fieldId,
  firmProblem,
  fixing,
  refuser,
  refusedAt,
} from './firm-parts.js';

const t = de.firms;
const e = t.expansion;
const ZONINGS = ['GI', 'GE', 'MI', 'SO'] as const;
type Zoning = (typeof ZONINGS)[number];

/** A whole number written the German way ("1.250"), or null. */
function whole(text: string): number | null {
  const n = parseGermanNumber(text);
  return n.ok && Number.isInteger(n.value) && n.value >= 0 ? n.value : null;
}

/**
 * Erweiterungsprojekt starten: the project (jobs, investment), what site it needs and the
 * firm's contact person with an e-mail; the api starts an Anfrage of kind Erweiterung, routed
 * by the firm's site, and the answer links to it.
 */
export function StartExpansion(props: {
  firm: Firm;
  onClose: () => void;
  onDone: (text: string, link?: Said['link']) => void;
}) {
  const { firm } = props;
  const withEmail = firm.contacts.filter((c) => !!c.email);
  const [jobs, setJobs] = useState('');
  const [secured, setSecured] = useState('');
  const [investment, setInvestment] = useState('');
  const [description, setDescription] = useState('');
  const [areaMin, setAreaMin] = useState('');
  const [zoning, setZoning] = useState<string[]>([]);
  const [rail, setRail] = useState(false);
  const [contactId, setContactId] = useState(withEmail[0]?.contactId ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fixed = fixing(setErrors);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLElement;
    const wrong: Record<string, string> = {};
    const nJobs = whole(jobs);
    const nSecured = secured.trim() ? whole(secured) : 0;
    const nInvestment = whole(investment);
    const nArea = whole(areaMin);
    if (nJobs === null) wrong.jobs = e.numberMissing;
    if (nSecured === null) wrong.jobsSecured = e.numberMissing;
    if (nInvestment === null) wrong.investmentEur = e.amountMissing;
    if (nArea === null || nArea <= 0) wrong.areaM2Min = e.areaMissing;
    if (zoning.length === 0) wrong.zoning = e.zoningMissing;
    if (!contactId) wrong.contactId = withEmail.length ? e.contactMissing : e.noContact;
    const refuse = refuser(() => form, setErrors, setProblem, 'erweiterung');
    if (Object.keys(wrong).length) return refuse(wrong, t.refused);
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/firms/{id}/expansions', {
        params: { path: { id: firm.firmId } },
        body: {
          project: {
            jobs: nJobs!,
            jobsSecured: nSecured!,
            investmentEur: nInvestment!,
            ...(description.trim() ? { description: description.trim() } : {}),
          },
          siteRequirements: { areaM2Min: nArea!, zoning: zoning as Zoning[], railAccess: rail },
          contactId,
        },
      })
      .finally(() => setBusy(false));
    if (data) return props.onDone(e.said, { href: `/anfragen/${data.enquiryId}`, text: e.toEnquiry });
    const at = refusedAt(error);
    const byField: Record<string, string> = {
      contactId: e.noContact,
      jobs: e.numberMissing,
      jobsSecured: e.numberMissing,
      investmentEur: e.amountMissing,
      areaM2Min: e.areaMissing,
      zoning: e.zoningMissing,
    };
    const fields: Record<string, string> = {};
    for (const k of Object.keys(at)) {
      const key = k.split('.').pop()!;
      fields[key] = byField[key] ?? e.fieldWrong;
    }
    refuse(fields, firmProblem(response.status, problemDetail(error, response.status)));
  };
  return (
    <form class="lotse-subform" onSubmit={(ev) => void submit(ev)} aria-labelledby="erweiterung-titel" noValidate>
      <h3 class="kern-heading-small" id="erweiterung-titel" tabIndex={-1}>
        {e.title}
      </h3>
      <TextField
        id={fieldId('erweiterung.jobs')}
        label={e.jobs}
        inputMode="numeric"
        value={jobs}
        error={errors.jobs}
        onInput={fixed('jobs', setJobs)}
      />
      <TextField
        id={fieldId('erweiterung.jobsSecured')}
        label={e.jobsSecured}
        inputMode="numeric"
        value={secured}
        error={errors.jobsSecured}
        onInput={fixed('jobsSecured', setSecured)}
      />
      <TextField
        id={fieldId('erweiterung.investmentEur')}
        label={e.investment}
        hint={e.investmentHint}
        inputMode="decimal"
        value={investment}
        error={errors.investmentEur}
        onInput={fixed('investmentEur', setInvestment)}
      />
      <TextArea
        id={fieldId('erweiterung.description')}
        label={e.description}
        value={description}
        error={errors.description}
        onInput={fixed('description', setDescription)}
      />
      <TextField
        id={fieldId('erweiterung.areaM2Min')}
        label={e.area}
        hint={e.areaHint}
        inputMode="decimal"
        value={areaMin}
        error={errors.areaM2Min}
        onInput={fixed('areaM2Min', setAreaMin)}
      />
      <Checkboxes
        id={fieldId('erweiterung.zoning')}
        legend={e.zoning}
        options={ZONINGS.map((z) => [z, de.sites.zonings[z] ?? z])}
        chosen={zoning}
        error={errors.zoning}
        onChoose={fixed('zoning', setZoning)}
      />
      <Checkboxes
        id={fieldId('erweiterung.railAccess')}
        legend={e.railLegend}
        options={[['ja', e.rail]]}
        chosen={rail ? ['ja'] : []}
        onChoose={(c) => setRail(c.includes('ja'))}
      />
      <SelectField
        id={fieldId('erweiterung.contactId')}
        label={e.contact}
        hint={withEmail.length ? e.contactHint : undefined}
        value={contactId}
        choose={de.actions.choose}
        options={withEmail.map((c) => [c.contactId, `${c.name} (${c.email})`])}
        error={errors.contactId ?? (withEmail.length ? undefined : e.noContact)}
        onChoose={fixed('contactId', setContactId)}
      />
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <div class="kern-btn-wrapper lotse-buttons">
        <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
          <span class="kern-label">{e.send}</span>
        </button>
        <button class="kern-btn kern-btn--secondary" type="button" onClick={props.onClose}>
          <span class="kern-label">{t.cancel}</span>
        </button>
      </div>
    </form>
  );
}
