// Modal forms on the native <dialog> element: it keeps focus inside while open, closes on Escape, and the
// browser's top layer needs no inline style. Focus goes back to where it was when the dialog closes.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

/** A modal dialog, open while it is rendered. Escape (the dialog's cancel) calls onClose. */
export function Modal({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      id={id}
      class="modal"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

/** What to show for a failed action inside a form. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.status === 0 ? 'The server could not be reached.' : e.detail ?? e.title;
  return String((e as Error).message ?? e);
}

/** The Cancel and submit buttons at the foot of a form. */
export function FormButtons({ busy, submit, onClose }: { busy: boolean; submit: string; onClose: () => void }) {
  return (
    <div class="form-buttons">
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : submit}
      </button>
      <button type="button" class="secondary" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}

/**
 * A dialog asking why (the reason every change keeps in the history), then doing the action. An error the
 * action throws is shown in the dialog, which stays open.
 */
export function ReasonDialog({
  id,
  title,
  children,
  submit,
  initial = '',
  suggestions = [],
  onSubmit,
  onClose,
}: {
  id: string;
  title: string;
  children?: ComponentChildren;
  submit: string;
  initial?: string;
  suggestions?: string[];
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const go = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setError('Give a reason: it is kept in the history.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Modal id={id} title={title} onClose={onClose}>
      <form onSubmit={go} noValidate>
        {children}
        <label for={`${id}-reason`}>Reason</label>
        <input
          id={`${id}-reason`}
          ref={input}
          class="wide"
          value={reason}
          autoFocus
          list={suggestions.length ? `${id}-suggestions` : undefined}
          maxLength={2000}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {suggestions.length > 0 && (
          <datalist id={`${id}-suggestions`}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        )}
        <p class="error" role="alert" hidden={!error}>
          {error}
        </p>
        <FormButtons busy={busy} submit={submit} onClose={onClose} />
      </form>
    </Modal>
  );
}
