import { useRef, useState } from 'preact/hooks';
import { api, problemDetail, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { useDraft } from '../drafts.js';
import { decimal, parseGermanNumber } from '../format.js';
import { ErrorAlert, Note } from '../parts.js';
import { PlaceField } from '../place-field.js';
import { SaidAlert, useSaid } from '../said.js';
import type { operations } from '../schema.js';
import { de } from '../texts.js';
import type { Firm } from '../types.js';
import { fieldId, refusedAt, refuser, SelectField, TextField, without } from './firm-parts.js';

type FirmBody = operations['registerFirm']['requestBody']['content']['application/json'];
const t = de.firms;
const e = t.errors;

interface SiteRow {
  key: string;
  ags: string;
  address: string;
}
interface ContactRow {
  key: string;
  contactId?: string;
  name: string;
  role: string;
  email: string;
  phone: string;
}
interface Values {
  name: string;
  legalForm: string;
  registerNumber: string;
  sector: string;
  employees: string;
  careLevel: string;
  carer: string;
  sites: SiteRow[];
  contacts: ContactRow[];
}

let rows = 0;
/** A row's key for Preact, so that removing one keeps what the others' fields hold. */
const rowKey = () => `r${Date.now().toString(36)}${(rows++).toString(36)}`;

const emptySite = (): SiteRow => ({ key: rowKey(), ags: '', address: '' });
const emptyContact = (): ContactRow => ({ key: rowKey(), name: '', role: '', email: '', phone: '' });

/** What the form shows for a firm: numbers the German way ("1.250"), so that they read back the same. */
function valuesOf(firm?: Firm): Values {
  return {
    name: firm?.name ?? '',
    legalForm: firm?.legalForm ?? '',
    registerNumber: firm?.registerNumber ?? '',
    sector: firm?.sector ?? '',
    employees: firm ? decimal(firm.employees) : '',
    careLevel: firm?.careLevel ?? 'regular',
    carer: firm?.carer?.sub ?? '',
    sites: firm?.sites.map((s) => ({ key: rowKey(), ...s })) ?? [emptySite()],
    contacts:
      firm?.contacts.map((c) => ({
        key: rowKey(),
        contactId: c.contactId,
        name: c.name,
        role: c.role ?? '',
        email: c.email ?? '',
        phone: c.phone ?? '',
      })) ?? [],
  };
}

/** The facts a form was started from, in short: another version of the firm is another draft. */
function versionOf(firm?: Firm): string {
  if (!firm) return 'neu';
  const { name, legalForm, registerNumber, sector, employees, careLevel, carer, sites, contacts } = firm;
  const text = JSON.stringify([
    name,
    legalForm,
    registerNumber,
    sector,
    employees,
    careLevel,
    carer?.sub,
    sites,
    contacts,
  ]);
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

const REGISTER = /^(HRA|HRB|GnR|PR|VR) ?\d{1,7}( ?[A-Z]{1,2})?$/;
const WZ = /^[A-U]?\d{2}(\.\d{1,2}(\.\d)?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+0-9 ()/-]{5,30}$/;

/** The firm as the api takes it, or what is wrong, by the api's paths ("sites[0].ags"). */
function check(v: Values): { body: FirmBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = v.name.trim();
  if (name.length < 2) errors.name = e.name!;
  if (!v.legalForm) errors.legalForm = e.legalForm!;
  const register = v.registerNumber.trim();
  if (register && !REGISTER.test(register)) errors.registerNumber = e.registerNumber!;
  const sector = v.sector.trim();
  if (!WZ.test(sector)) errors.sector = e.sector!;
  const employees = parseGermanNumber(v.employees);
  if (!employees.ok || !Number.isInteger(employees.value) || employees.value < 0 || employees.value > 1_000_000)
    errors.employees = employees.ok || employees.reason !== 'ambiguous' ? e.employees! : de.numbers.ambiguous!;
  v.sites.forEach((s, i) => {
    if (!/^\d{8}$/.test(s.ags)) errors[`sites[${i}].ags`] = e.ags!;
    if (s.address.trim().length < 3) errors[`sites[${i}].address`] = e.address!;
  });
  // A contact with nothing typed is no contact: it is left out, not refused.
  const contacts = v.contacts.filter((c) => [c.name, c.role, c.email, c.phone].some((x) => x.trim()));
  v.contacts.forEach((c, i) => {
    if (![c.name, c.role, c.email, c.phone].some((x) => x.trim())) return;
    if (c.name.trim().length < 2) errors[`contacts[${i}].name`] = e.contactName!;
    if (c.role.trim().length > 100) errors[`contacts[${i}].role`] = e.role!;
    if (c.email.trim() && !EMAIL.test(c.email.trim())) errors[`contacts[${i}].email`] = e.email!;
    if (c.phone.trim() && !PHONE.test(c.phone.trim())) errors[`contacts[${i}].phone`] = e.phone!;
  });
  const optional = (k: string, x: string) => (x.trim() ? { [k]: x.trim() } : {});
  const body = {
    name,
    legalForm: v.legalForm as FirmBody['legalForm'],
    ...optional('registerNumber', register),
    sector,
    sites: v.sites.map((s) => ({ ags: s.ags, address: s.address.trim() })),
    employees: employees.ok ? employees.value : 0,
    contacts: contacts.map((c) => ({
      ...(c.contactId ? { contactId: c.contactId } : {}),
      name: c.name.trim(),
      ...optional('role', c.role),
      ...optional('email', c.email),
      ...optional('phone', c.phone),
    })),
    ...optional('carer', v.carer),
    careLevel: v.careLevel as FirmBody['careLevel'],
  };
  return { body, errors };
}

/** The api's refusal at its fields, in German: "sites[0].ags" outside the agency's area says so. */
function refusedFields(error: unknown, contactsKept: number[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(refusedAt(error)).map(([path, message]) => {
      // The body left empty contacts out: its contacts[i] is the form's contacts[kept[i]].
      const at = path.replace(/^contacts\[(\d+)\]/, (_, i: string) => `contacts[${contactsKept[Number(i)] ?? i}]`);
      const leaf =
        at
          .replace(/\[\d+\]/g, '')
          .split('.')
          .at(-1) ?? '';
      const field = at.startsWith('contacts') && leaf === 'name' ? 'contactName' : leaf;
      if (leaf === 'ags' && /outside/.test(message)) return [at, e.agsOutside!];
      if (leaf === 'ags') return [at, e.agsUnknown!];
      return [at === '' || at === 'sites' ? 'name' : at, e[field] ?? e.invalid!];
    }),
  );
}

/**
 * A new firm (no `firm`) or a change to one: the same form. The draft survives a sign-in in
 * between; after a save the form starts from what is saved (another version, another draft).
 */
export function FirmForm(props: { firm?: Firm; onSaved: (firmId: string, name: string) => void }) {
  const { firm } = props;
  const [v, setV, sent] = useDraft<Values>(`firm:${firm?.firmId ?? 'neu'}:${versionOf(firm)}`, valuesOf(firm));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const people = useLoad(() => api.GET('/v1/people'), []);
  const set = (patch: Partial<Values>, paths = Object.keys(patch)) => {
    setV({ ...v, ...patch });
    setErrors((e) => without(e, paths));
  };
  const setSite = (i: number, patch: Partial<SiteRow>) =>
    set(
      { sites: v.sites.map((s, j) => (j === i ? { ...s, ...patch } : s)) },
      Object.keys(patch).map((k) => `sites[${i}].${k}`),
    );
  const setContact = (i: number, patch: Partial<ContactRow>) =>
    set(
      { contacts: v.contacts.map((c, j) => (j === i ? { ...c, ...patch } : c)) },
      Object.keys(patch).map((k) => `contacts[${i}].${k}`),
    );
  const refuse = refuser(() => form.current, setErrors, setProblem);
  const save = async (ev: Event) => {
    ev.preventDefault();
    const { body, errors: wrong } = check(v);
    if (Object.keys(wrong).length > 0) return refuse(wrong, t.refused);
    setBusy(true);
    const answer = firm
      ? await api.PUT('/v1/firms/{id}', { params: { path: { id: firm.firmId } }, body })
      : await api.POST('/v1/firms', { body });
    setBusy(false);
    const { data, error, response } = answer;
    if (data) {
      setErrors({});
      setProblem(null);
      sent(v);
      return props.onSaved(data.firmId, body.name);
    }
    const kept = v.contacts.flatMap((c, i) => ([c.name, c.role, c.email, c.phone].some((x) => x.trim()) ? [i] : []));
    const status = response.status;
    if (status === 409) return refuse({ name: t.exists }, t.exists);
    if (status === 403) return refuse({}, t.forbidden);
    if (status === 400) return refuse(refusedFields(error, kept), t.refused);
    refuse({}, problemDetail(error, status));
  };
  const colleagues = people.data?.items ?? [];
  const carers: [string, string][] = colleagues.map((p) => [p.id, p.name]);
  if (firm?.carer && !carers.some(([id]) => id === firm.carer!.sub))
    carers.push([firm.carer.sub, firm.carer.name ?? t.unknownPerson]);
  const f = t.fields;
  const h = t.hints;
  return (
    <form
      ref={form}
      class="lotse-firm-form"
      onSubmit={(ev) => void save(ev)}
      aria-labelledby={firm ? 'bearbeiten' : 'anlegen'}
      noValidate
    >
      {firm && (
        <h2 id="bearbeiten" class="kern-heading-medium" tabIndex={-1}>
          {t.editTitle}
        </h2>
      )}
      <TextField
        id={fieldId('name')}
        label={f.name}
        value={v.name}
        error={errors.name}
        onInput={(x) => set({ name: x })}
      />
      <SelectField
        id={fieldId('legalForm')}
        label={f.legalForm}
        value={v.legalForm}
        choose={de.actions.choose}
        options={Object.entries(t.legalForms)}
        error={errors.legalForm}
        onChoose={(x) => set({ legalForm: x })}
      />
      <TextField
        id={fieldId('registerNumber')}
        label={f.registerNumber}
        hint={h.registerNumber}
        value={v.registerNumber}
        error={errors.registerNumber}
        onInput={(x) => set({ registerNumber: x })}
      />
      <TextField
        id={fieldId('sector')}
        label={f.sector}
        hint={h.sector}
        value={v.sector}
        error={errors.sector}
        onInput={(x) => set({ sector: x })}
      />
      <TextField
        id={fieldId('employees')}
        label={f.employees}
        hint={h.employees}
        inputMode="numeric"
        value={v.employees}
        error={errors.employees}
        onInput={(x) => set({ employees: x })}
      />
      <fieldset class="kern-fieldset lotse-rows">
        <legend class="kern-label">{f.sites}</legend>
        <div class="lotse-clear" />
        {v.sites.map((s, i) => (
          <fieldset class="kern-fieldset lotse-row" key={s.key}>
            <legend class="kern-label">{f.site(i + 1)}</legend>
            <div class="lotse-clear" />
            <PlaceField
              id={fieldId(`sites[${i}].ags`)}
              label={f.ags}
              hint={h.ags}
              value={s.ags}
              kinds={['gemeinde']}
              error={errors[`sites[${i}].ags`]}
              onChange={(ags) => setSite(i, { ags })}
            />
            <TextField
              id={fieldId(`sites[${i}].address`)}
              label={f.address}
              value={s.address}
              autoComplete="street-address"
              error={errors[`sites[${i}].address`]}
              onInput={(address) => setSite(i, { address })}
            />
            {i > 0 && (
              <button
                class="kern-btn kern-btn--tertiary kern-btn--x-small"
                type="button"
                onClick={() => set({ sites: v.sites.filter((_, j) => j !== i) })}
              >
                <span class="kern-label">{t.removeSite(i + 1)}</span>
              </button>
            )}
          </fieldset>
        ))}
        <button
          class="kern-btn kern-btn--secondary"
          type="button"
          onClick={() => set({ sites: [...v.sites, emptySite()] })}
        >
          <span class="kern-label">{t.addSite}</span>
        </button>
      </fieldset>
      <SelectField
        id={fieldId('careLevel')}
        label={f.careLevel}
        hint={h.careLevel}
        value={v.careLevel}
        options={Object.entries(t.careLevels)}
        error={errors.careLevel}
        onChoose={(x) => set({ careLevel: x })}
      />
      <SelectField
        id={fieldId('carer')}
        label={f.carer}
        value={v.carer}
        choose={t.noCarer}
        options={carers}
        error={errors.carer}
        onChoose={(x) => set({ carer: x })}
      />
      <fieldset class="kern-fieldset lotse-rows">
        <legend class="kern-label">{f.contacts}</legend>
        <div class="lotse-clear" />
        {v.contacts.length === 0 && <p class="kern-body">{t.noContacts}</p>}
        {v.contacts.map((c, i) => {
          const at = (k: string) => `contacts[${i}].${k}`;
          return (
            <fieldset class="kern-fieldset lotse-row" key={c.key}>
              <legend class="kern-label">{f.contact(i + 1)}</legend>
              <div class="lotse-clear" />
              <TextField
                id={fieldId(at('name'))}
                label={f.contactName}
                value={c.name}
                autoComplete="off"
                error={errors[at('name')]}
                onInput={(name) => setContact(i, { name })}
              />
              <TextField
                id={fieldId(at('role'))}
                label={f.role}
                value={c.role}
                error={errors[at('role')]}
                onInput={(role) => setContact(i, { role })}
              />
              <TextField
                id={fieldId(at('email'))}
                label={f.email}
                type="email"
                value={c.email}
                error={errors[at('email')]}
                onInput={(email) => setContact(i, { email })}
              />
              <TextField
                id={fieldId(at('phone'))}
                label={f.phone}
                type="tel"
                value={c.phone}
                error={errors[at('phone')]}
                onInput={(phone) => setContact(i, { phone })}
              />
              <button
                class="kern-btn kern-btn--tertiary kern-btn--x-small"
                type="button"
                onClick={() => set({ contacts: v.contacts.filter((_, j) => j !== i) })}
              >
                <span class="kern-label">{t.removeContact(i + 1)}</span>
              </button>
            </fieldset>
          );
        })}
        <button
          class="kern-btn kern-btn--secondary"
          type="button"
          onClick={() => set({ contacts: [...v.contacts, emptyContact()] })}
        >
          <span class="kern-label">{t.addContact}</span>
        </button>
      </fieldset>
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
        <span class="kern-label">{firm ? t.save : t.create}</span>
      </button>
    </form>
  );
}

/** Unternehmen anlegen: staff enter a firm of their agency, and are told so, with the way to it. */
export function NewFirm({ session }: { session: Session }) {
  const [created, setCreated] = useState<{ firmId: string; name: string } | null>(null);
  const [form, setForm] = useState(0);
  const { said, say, clear } = useSaid();
  if (!session.roles.includes('staff')) {
    return (
      <article aria-labelledby="anlegen">
        <h1 id="anlegen" class="kern-heading-large">
          {t.create}
        </h1>
        <Note>{t.staffOnly}</Note>
      </article>
    );
  }
  return (
    <article aria-labelledby="anlegen">
      <p class="kern-body">
        <a class="kern-link" href="/unternehmen">
          {t.back}
        </a>
      </p>
      <h1 id="anlegen" class="kern-heading-large">
        {t.create}
      </h1>
      <SaidAlert said={said} />
      {created ? (
        <div class="lotse-next">
          <a class="kern-link" href={`/unternehmen/${created.firmId}`}>
            {t.open(created.name)}
          </a>
          <button
            class="kern-btn kern-btn--secondary"
            type="button"
            onClick={() => {
              setCreated(null);
              clear();
              setForm((n) => n + 1);
            }}
          >
            <span class="kern-label">{t.create}</span>
          </button>
        </div>
      ) : (
        <FirmForm
          key={form}
          onSaved={(firmId, name) => {
            setCreated({ firmId, name });
            say(t.created(name));
          }}
        />
      )}
    </article>
  );
}
