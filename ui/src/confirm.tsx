import { useEffect, useRef, useState } from 'preact/hooks';
import { de } from './texts.js';

/** What is asked before an action that cannot be taken back, in the person's words. */
export interface Question {
  /** The question, as the dialog's heading: "Anfrage als „Angesiedelt“ abschließen?" */
  title: string;
  /** What will follow, and that it cannot be taken back. */
  consequence: string;
  /** The button that does it, named as the action: "Abschließen". */
  confirm: string;
}

/**
 * Asks first, in a KERN modal dialog on a native <dialog>: showModal() makes the rest of
 * the page inert (the focus stays inside), Escape cancels, and the browser gives the focus
 * back to the button that asked. The safe answer ("Abbrechen") comes first and gets the
 * focus, so Enter right after a click never confirms by accident.
 *
 *   const confirm = useConfirm();
 *   <button onClick={() => confirm.ask(question, act)}>…</button>
 *   {confirm.dialog}
 */
export function useConfirm() {
  const [asked, setAsked] = useState<{ q: Question; then: () => void } | null>(null);
  const ask = (q: Question, then: () => void) => setAsked({ q, then });
  const dialog = asked && <ConfirmDialog question={asked.q} onClose={() => setAsked(null)} onConfirm={asked.then} />;
  return { ask, dialog };
}

function ConfirmDialog(props: { question: Question; onClose: () => void; onConfirm: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const { title, consequence, confirm } = props.question;
  const close = () => ref.current?.close();
  return (
    // The native close event comes for Escape, "Abbrechen" and the confirmation alike.
    <dialog
      ref={ref}
      class="kern-dialog"
      aria-labelledby="frage-titel"
      aria-describedby="frage-folge"
      onClose={props.onClose}
    >
      <div class="kern-dialog__header">
        <h2 id="frage-titel" class="kern-heading-medium">
          {title}
        </h2>
      </div>
      <div class="kern-dialog__body">
        <p id="frage-folge" class="kern-body">
          {consequence}
        </p>
      </div>
      <div class="kern-dialog__footer">
        <button class="kern-btn kern-btn--secondary" type="button" onClick={close}>
          <span class="kern-label">{de.actions.cancel}</span>
        </button>{' '}
        <button
          class="kern-btn kern-btn--primary"
          type="button"
          onClick={() => {
            close();
            props.onConfirm();
          }}
        >
          <span class="kern-label">{confirm}</span>
        </button>
      </div>
    </dialog>
  );
}
