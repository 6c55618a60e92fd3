// The event page's history: every revision, newest first, with who (or the machine), when, why and each value's
// old and new; editors can undo a merge or a split from here.
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, type EventRecord, type HistoryEntry } from './api.ts';
import { ReasonDialog } from './Dialog.tsx';
import { actionText, changeText, fieldValueWords, shownChanges, undoable } from './review.ts';
import { isEditor, useSession } from './session.ts';
import { sourceName } from './Sources.tsx';

/** "Jan 5, 2026, 3:04 PM" in the reader's time zone; the ISO text when it cannot be read. */
export function whenText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A machine's reading changes many values at once: folded away past this many. */
const FOLD_OVER = 3;

/** Source ids (in values and reasons) named by their articles' titles. */
function sourceNamer(event: EventRecord): (s: string) => string {
  const names = new Map(event.sources.map((s) => [s.id, sourceName(s)]));
  return (s) => names.get(s) ?? s.replace(/\b[0-9a-f]{16,64}\b/g, (id) => (names.has(id) ? `“${names.get(id)}”` : id));
}

function Entry({ h, name, canUndo, onUndo }: { h: HistoryEntry; name: (s: string) => string; canUndo: boolean; onUndo: (h: HistoryEntry) => void }) {
  const shown = shownChanges(h.changes);
  const changes = shown.length > 0 && (
    <ul class="history-changes">
      {shown.map((c, i) => (
        <li key={i} data-change={c.field}>
          {changeText(c, (v) => fieldValueWords(c.field, name(v)))}
        </li>
      ))}
    </ul>
  );
  return (
    <li class="history-entry" data-action={h.action} data-revision={h.revision}>
      <p class="history-head">
        <strong>{actionText(h)}</strong> · <time dateTime={h.at}>{whenText(h.at)}</time> · <span class="muted">revision {h.revision}</span>
      </p>
      {h.reason && <p class="history-reason">Why: {h.by ? `“${h.reason}”` : name(h.reason)}</p>}
      {h.action === 'ingest' && shown.length > FOLD_OVER ? (
        <details>
          <summary>{shown.length} values read</summary>
          {changes}
        </details>
      ) : (
        changes
      )}
      {canUndo && undoable(h) && (
        <button type="button" class="secondary undo-button" onClick={() => onUndo(h)}>
          Undo this {h.action}
        </button>
      )}
    </li>
  );
}

/** The history of an event; `onChanged` receives the record an undo answers with. */
export function History({ event, onChanged }: { event: EventRecord; onChanged: (e: EventRecord) => void }) {
  const { user } = useSession();
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [undoing, setUndoing] = useState<HistoryEntry | null>(null);
  const [message, setMessage] = useState('');
  const name = sourceNamer(event);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api
      .history(event.id, ctl.signal)
      .then((h) => setHistory(h.history))
      .catch((e) => {
        if (!isAbort(e)) setError(String((e as Error).message));
      });
    return () => ctl.abort();
  }, [event.id, event.revision]);

  const undo = async (reason: string) => {
    const h = undoing!;
    const record = await api.undo(event.id, h.undo!.id, reason);
    setUndoing(null);
    setMessage(`The ${h.action} of revision ${h.revision} is undone.`);
    onChanged(record);
  };

  return (
    <section class="history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <p class="muted small">Every change to this record: who made it (or the machine), when, why, and each value before and after.</p>
      <p role="status" class="status-line">
        {message}
      </p>
      {error && <p class="error">The history could not be loaded: {error}</p>}
      {!history && !error && <p class="muted">Loading…</p>}
      {history && (
        <ol class="history-list">
          {history.map((h) => (
            <Entry key={`${h.revision}-${h.action}-${h.at}`} h={h} name={name} canUndo={isEditor(user)} onUndo={setUndoing} />
          ))}
        </ol>
      )}
      {undoing && (
        <ReasonDialog id="undo-dialog" title={`Undo the ${undoing.action} of revision ${undoing.revision}`} submit={`Undo the ${undoing.action}`} onSubmit={undo} onClose={() => setUndoing(null)}>
          <p>
            {undoing.action === 'merge' ? 'The merged event comes back with its own reports.' : 'The reports that were split off come back to this event.'}
          </p>
        </ReasonDialog>
      )}
    </section>
  );
}
