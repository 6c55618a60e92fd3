// The review queue's forms: edit a field (with a reason), split chosen reports off into a new event, and the
// keys' help. Each is a modal dialog; Escape closes it without saving.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, isAbort, type EventRecord, type Mention, type SplitAnswer } from './api.ts';
import { errorText, FormButtons, Modal } from './Dialog.tsx';
import { eventDate } from './format.ts';
import { EDIT_GROUPS, FieldError, formText, groupChanges, KEY_HELP, paramField, type EditableField, type EditGroup } from './review.ts';
import { SourceLine } from './Sources.tsx';

function textsOf(group: EditGroup, e: EventRecord): Record<string, string> {
  const record = e as unknown as Record<string, unknown>;
  return Object.fromEntries(group.fields.map((f) => [f.name, formText(record[f.name])]));
}

function FieldInput({ f, value, invalid, errorId, onInput }: { f: EditableField; value: string; invalid: boolean; errorId: string; onInput: (v: string) => void }) {
  const id = `edit-${f.name}`;
  const common = {
    id,
    name: f.name,
    'aria-invalid': invalid || undefined,
    'aria-describedby': [f.hint ? `${id}-hint` : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined,
  };
  return (
    <div class="edit-field">
      <label for={id}>{f.label}</label>
      {f.kind === 'status' ? (
        <select {...common} value={value} onChange={(e) => onInput(e.currentTarget.value)}>
          <option value="occurred">occurred</option>
          <option value="planned">planned</option>
        </select>
      ) : f.kind === 'list' ? (
        <textarea {...common} class="wide" rows={3} value={value} onInput={(e) => onInput(e.currentTarget.value)} />
      ) : (
        <input {...common} class="wide" inputMode={f.kind === 'int' ? 'numeric' : f.kind === 'number' ? 'decimal' : undefined} value={value} onInput={(e) => onInput(e.currentTarget.value)} />
      )}
      {f.hint && (
        <p class="muted small hint" id={`${id}-hint`}>
          {f.hint}
        </p>
      )}
    </div>
  );
}

/**
 * Edit a field: choose it, type the new value, say why. PATCH with the record's revision; `onSaved` gets the
 * new record. A 409 goes to `onConflict` (the caller reloads the item); a 400 marks the field it names.
 */
export function EditDialog({ event, onSaved, onConflict, onClose }: { event: EventRecord; onSaved: (e: EventRecord, fields: string[]) => void; onConflict: () => void; onClose: () => void }) {
  const [groupKey, setGroupKey] = useState(EDIT_GROUPS[0]!.key);
  const group = EDIT_GROUPS.find((g) => g.key === groupKey)!;
  const [texts, setTexts] = useState(() => textsOf(group, event));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ text: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const choose = (key: string) => {
    const g = EDIT_GROUPS.find((x) => x.key === key)!;
    setGroupKey(key);
    setTexts(textsOf(g, event));
    setError(null);
  };
  const fail = (text: string, field: string | null) => {
    setError({ text, field });
    const target = field ? form.current?.querySelector<HTMLElement>(`[name="${field}"]`) : null;
    (target ?? form.current?.querySelector<HTMLElement>('#edit-reason'))?.focus();
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    let changes: Record<string, unknown>;
    try {
      changes = groupChanges(group, texts, event);
    } catch (err) {
      return fail((err as Error).message, err instanceof FieldError ? err.field : null);
    }
    if (Object.keys(changes).length === 0) return fail('Nothing changed: type the new value first.', group.fields[0]!.name);
    if (!reason.trim()) return fail('Give a reason: it is kept in the history.', null);
    setBusy(true);
    try {
      onSaved(await api.edit(event.id, changes, reason.trim(), event.revision), Object.keys(changes));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) return onConflict();
      const field = err instanceof ApiError ? paramField(err.problem.param) : null;
      fail(errorText(err), field && group.fields.some((f) => f.name === field) ? field : null);
    }
  };

  return (
    <Modal id="edit-dialog" title="Edit a field" onClose={onClose}>
      <form ref={form} onSubmit={save} noValidate>
        <label for="edit-group">Field</label>
        <select id="edit-group" value={groupKey} autoFocus onChange={(e) => choose(e.currentTarget.value)}>
          {EDIT_GROUPS.map((g) => (
            <option key={g.key} value={g.key}>
              {g.label}
            </option>
          ))}
        </select>
        {group.fields.map((f) => (
          <FieldInput key={f.name} f={f} value={texts[f.name] ?? ''} invalid={error?.field === f.name} errorId="edit-error" onInput={(v) => setTexts({ ...texts, [f.name]: v })} />
        ))}
        <label for="edit-reason">Reason</label>
        <input id="edit-reason" name="reason" class="wide" maxLength={2000} value={reason} aria-invalid={(error && !error.field && !reason.trim()) || undefined} onInput={(e) => setReason(e.currentTarget.value)} />
        <p class="error" id="edit-error" role="alert" hidden={!error}>
          {error?.text}
        </p>
        <FormButtons busy={busy} submit="Save the change" onClose={onClose} />
      </form>
    </Modal>
  );
}

function mentionText(m: Mention): string {
  return [m.date ? eventDate(m.date, 'day') : null, m.locality, m.size_text].filter(Boolean).join(' · ');
}

/**
 * Split: choose the reports (mentions) that are another event; they move to a new one. At least one stays.
 * `onSplit` gets the API's answer; a 409 goes to `onConflict`.
 */
export function SplitDialog({ event, onSplit, onConflict, onClose }: { event: EventRecord; onSplit: (a: SplitAnswer) => void; onConflict: () => void; onClose: () => void }) {
  const [mentions, setMentions] = useState<Mention[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .mentions(event.id, ctl.signal)
      .then((m) => setMentions(m.mentions))
      .catch((e) => {
        if (!isAbort(e)) setError(`The reports could not be loaded: ${errorText(e)}`);
      });
    return () => ctl.abort();
  }, [event.id]);
  // the reports arrive after the dialog opened: take focus to the first one (or to Close when there is one)
  useEffect(() => {
    if (mentions) form.current?.querySelector<HTMLElement>('input[type="checkbox"], .form-buttons button')?.focus();
  }, [mentions]);

  const toggle = (id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  const split = async (e: Event) => {
    e.preventDefault();
    if (busy || !mentions) return;
    if (chosen.size === 0) return setError('Choose the reports that are another event.');
    if (chosen.size >= mentions.length) return setError('At least one report must stay with this event.');
    if (!reason.trim()) return setError('Give a reason: it is kept in the history.');
    setBusy(true);
    setError(null);
    try {
      onSplit(await api.split(event.id, [...chosen], reason.trim(), event.revision));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) return onConflict();
      setError(errorText(err));
    }
  };

  return (
    <Modal id="split-dialog" title="Split off another event" onClose={onClose}>
      <form ref={form} onSubmit={split} noValidate>
        {!mentions && !error && <p aria-busy="true">Loading the reports…</p>}
        {mentions && mentions.length < 2 && (
          <>
            <p>This event has a single report: there is nothing to split.</p>
            <div class="form-buttons">
              <button type="button" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
        {mentions && mentions.length >= 2 && (
          <fieldset class="mentions">
            <legend>The reports that are another event move to a new one</legend>
            {mentions.map((m) => (
              <div class="mention" key={m.id} data-mention={m.id}>
                <input type="checkbox" id={`mention-${m.id}`} checked={chosen.has(m.id)} onChange={() => toggle(m.id)} />
                <label for={`mention-${m.id}`}>
                  <SourceLine source={m.article} />
                  <span class="mention-meta">{mentionText(m)}</span>
                  {m.quote && <span class="mention-quote">“{m.quote}”</span>}
                </label>
              </div>
            ))}
          </fieldset>
        )}
        {mentions?.length !== 1 && mentions?.length !== 0 && (
          <>
            <label for="split-reason">Reason</label>
            <input id="split-reason" class="wide" maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </>
        )}
        <p class="error" role="alert" hidden={!error}>
          {error}
        </p>
        {mentions?.length !== 1 && mentions?.length !== 0 && <FormButtons busy={busy} submit="Split" onClose={onClose} />}
      </form>
    </Modal>
  );
}

/** The keys of the review page. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal id="help-dialog" title="Keys" onClose={onClose}>
      <dl class="key-help">
        {KEY_HELP.map((k) => (
          <div key={k.does}>
            <dt>
              {k.keys.map((key, i) => (
                <span key={key}>
                  {i > 0 && ' or '}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{k.does}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">Every action also has a button; Tab reaches them.</p>
      <div class="form-buttons">
        <button type="button" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
