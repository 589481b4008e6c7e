import { useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import type { Session } from '../auth.js';
import { dateTime } from '../format.js';
import { saveFile } from '../download.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';

const p = de.privacy;

/**
 * Datenschutz, for managers: whether the personal data is kept or when it was erased,
 * the Art. 15 download, and — for the agencies that answer for the enquiry — its erasure.
 */
export function Privacy(props: {
  enquiry: EnquiryState;
  session: Session | null;
  onChange: (e: EnquiryState) => void;
}) {
  const { enquiry: e, session } = props;
  const [busy, setBusy] = useState<string | null>(null);
  const answer = useSaid();
  const setProblem = (problem: string | null) => (problem ? answer.say(problem, false) : answer.clear());
  if (!session?.roles.includes('manager')) return null;
  const answersForIt = session.agency === e.receivedBy || session.agency === e.responsibleAgency;
  const path = { params: { path: { id: e.enquiryId } } };

  const download = async () => {
    setBusy(p.exporting);
    setProblem(null);
    const { data, error, response } = await api.GET('/v1/enquiries/{id}/export', path);
    setBusy(null);
    if (!data) return setProblem(problemDetail(error, response.status));
    saveFile(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), `lotse-${e.enquiryId}.json`);
  };
  const erase = async (reason: string) => {
    setBusy(p.erasing);
    setProblem(null);
    const { data, error, response } = await api.POST('/v1/enquiries/{id}/erasure', { ...path, body: { reason } });
    setBusy(null);
    if (!data) return setProblem(problemDetail(error, response.status));
    props.onChange(data);
    // The form is gone with the data: the answer takes the focus, not <body>.
    answer.say(p.erasedNow);
  };

  return (
    <section aria-labelledby="datenschutz">
      <h2 id="datenschutz" class="kern-heading-medium">
        {p.title}
      </h2>
      <p class="kern-body">{e.personalDataErasedAt ? p.erased(dateTime(e.personalDataErasedAt)) : p.kept}</p>
      <p class="kern-body">{p.exportHint}</p>
      <button class="kern-btn kern-btn--secondary" type="button" disabled={busy !== null} onClick={download}>
        <span class="kern-label">{p.export}</span>
      </button>
      {answersForIt && !e.personalDataErasedAt && <ErasureForm busy={busy !== null} onErase={erase} />}
      <div aria-live="polite">
        {busy && <p class="kern-body">{busy}</p>}
        <SaidAlert said={answer.said} />
      </div>
    </section>
  );
}

function ErasureForm(props: { busy: boolean; onErase: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        if (reason.trim() && sure) props.onErase(reason.trim());
      }}
    >
      <h3 class="kern-body kern-body--bold">{p.erase}</h3>
      <p class="kern-body">{p.eraseHint}</p>
      <div class="kern-form-input">
        <label class="kern-label" for="loeschung-grund">
          {p.reason}
        </label>
        <input
          class="kern-form-input__input"
          id="loeschung-grund"
          type="text"
          required
          maxLength={500}
          value={reason}
          onInput={(ev) => setReason((ev.target as HTMLInputElement).value)}
        />
      </div>
      <div class="kern-form-check">
        <input
          class="kern-form-check__input"
          id="loeschung-bestaetigt"
          type="checkbox"
          checked={sure}
          onChange={(ev) => setSure((ev.target as HTMLInputElement).checked)}
        />
        <label class="kern-label" for="loeschung-bestaetigt">
          {p.confirm}
        </label>
      </div>
      <button class="kern-btn kern-btn--primary" type="submit" disabled={props.busy || !reason.trim() || !sure}>
        <span class="kern-label">{p.erase}</span>
      </button>
    </form>
  );
}
