// "/review": the queue of events the machine doubts most, for editors. One item at a time in focus; keys (and
// buttons) accept, edit, reject, merge with the first suggested neighbour, split, and move through the queue.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, isAbort, type EventRecord, type QueueItem, type QueuePage } from './api.ts';
import { ReasonDialog } from './Dialog.tsx';
import { FilterBar, useFilterOptions } from './FilterBar.tsx';
import { parseFilters, toSearch, type Filters } from './filters.ts';
import { formatNumber, placeLabel } from './format.ts';
import { commandFor, editLabel, type ReviewCommand } from './review.ts';
import { EditDialog, HelpDialog, SplitDialog } from './ReviewForms.tsx';
import { neighbourText, ReviewItem } from './ReviewItem.tsx';
import { navigate, onLinkClick } from './router.ts';
import { isEditor, useSession } from './session.ts';

type Dialog = 'accept' | 'reject' | 'merge' | 'edit' | 'split' | 'help';

/** The queue's query: its filters (dates, region, day of action) and the page's cursor. */
function queueParams(f: Filters, cursor: string | null): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ['from', 'to', 'region', 'macroevent'] as const) if (f[k]) p.set(k, f[k]);
  if (cursor) p.set('cursor', cursor);
  return p;
}

/** Whether a key press belongs to a control that takes typing (the filters, a form). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('dialog');
}

const itemName = (e: EventRecord) => placeLabel(e.locality, e.region, e.country);

export function ReviewPage({ search }: { search: string }) {
  const { known, user } = useSession();
  useEffect(() => {
    if (known && !user) navigate(`/login?next=${encodeURIComponent(`/review${search}`)}`, { replace: true });
  }, [known, user]);

  if (!known || !user)
    return (
      <section class="page narrow" aria-busy="true">
        <h1>Review queue</h1>
        <p>Loading…</p>
      </section>
    );
  if (!isEditor(user))
    return (
      <section class="page narrow">
        <h1>Review queue</h1>
        <p role="alert">
          You are logged in as <strong>{user.name}</strong>, a {user.role}. Reviewing needs an editor's or an admin's role: ask an admin.
        </p>
      </section>
    );
  return <Queue search={search} />;
}

/** The review toolbar's buttons, in order: each runs the command its key runs. */
const TOOLBAR: Array<{ command: ReviewCommand; label: string; key: string }> = [
  { command: 'accept', label: 'Accept', key: 'a' },
  { command: 'edit', label: 'Edit', key: 'e' },
  { command: 'reject', label: 'Reject', key: 'r' },
  { command: 'merge', label: 'Merge', key: 'm' },
  { command: 'split', label: 'Split', key: 's' },
  { command: 'previous', label: 'Previous', key: 'k' },
  { command: 'next', label: 'Next', key: 'j' },
  { command: 'next-page', label: 'Next page', key: 'n' },
  { command: 'help', label: 'Keys', key: '?' },
];

function Queue({ search }: { search: string }) {
  const filters = useMemo(() => parseFilters(search), [search]);
  const options = useFilterOptions();
  const [page, setPage] = useState<QueuePage | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [pageNo, setPageNo] = useState(1);
  const [index, setIndex] = useState(0);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [message, setMessage] = useState('');
  const [alert, setAlert] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const itemRef = useRef<HTMLElement | null>(null);
  const focusItem = useRef(false);
  const ctlRef = useRef<AbortController | null>(null);
  /** the item j or k moved to since the last load began */
  const movedTo = useRef<string | null>(null);

  const items = page?.items ?? [];
  const item: QueueItem | undefined = items[Math.min(index, items.length - 1)];

  /** Loads a page of the queue; focus goes to the item with `keepId`, else the one at `at`. */
  const load = (at: { cursor: string | null; keepId?: string; index?: number; pageNo?: number }) => {
    ctlRef.current?.abort();
    movedTo.current = null;
    const ctl = new AbortController();
    ctlRef.current = ctl;
    setLoading(true);
    api
      .queue(queueParams(filters, at.cursor), ctl.signal)
      .then((p) => {
        // an item the reviewer moved to while the page was loading wins over the one the load was asked to keep
        const wanted = movedTo.current ?? at.keepId;
        const kept = wanted ? p.items.findIndex((i) => i.event.id === wanted) : -1;
        setPage(p);
        setCursor(at.cursor);
        if (at.pageNo) setPageNo(at.pageNo);
        setIndex(kept >= 0 ? kept : Math.max(0, Math.min(at.index ?? 0, p.items.length - 1)));
        setLoading(false);
        setAlert(null);
      })
      .catch((e) => {
        if (isAbort(e)) return;
        setLoading(false);
        if (e instanceof ApiError && e.status === 401) return navigate(`/login?next=${encodeURIComponent(`/review${search}`)}`, { replace: true });
        setAlert(`The queue could not be loaded: ${(e as Error).message}`);
      });
  };

  // a new filter starts at the first page; the item takes focus unless someone is working the filters
  useEffect(() => {
    const active = document.activeElement;
    focusItem.current = !(active instanceof HTMLElement && active.closest('.filters'));
    load({ cursor: null, pageNo: 1 });
    return () => ctlRef.current?.abort();
  }, [search]);

  useEffect(() => {
    if (!focusItem.current || !item || dialog) return;
    focusItem.current = false;
    itemRef.current?.focus();
    itemRef.current?.scrollIntoView({ block: 'nearest' });
  });

  const go = (i: number) => {
    if (i < 0 || i >= items.length) {
      setMessage(i < 0 ? 'This is the first item of the page.' : page?.next_cursor ? 'This is the last item of the page: n for the next page.' : 'This is the last item of the queue.');
      return;
    }
    focusItem.current = true;
    movedTo.current = items[i]?.event.id ?? null;
    setIndex(i);
  };

  const close = () => {
    setDialog(null);
    focusItem.current = true;
  };

  /** After a change: say what happened and reload the page, keeping the same item (or place) in focus. */
  const done = (text: string, keepId?: string) => {
    setDialog(null);
    setMessage(text);
    focusItem.current = true;
    load({ cursor, keepId, index });
  };

  /** Someone changed the item since it was loaded: reload it and say so. */
  const conflict = async () => {
    setDialog(null);
    focusItem.current = true;
    if (!item) return;
    try {
      const fresh = await api.event(item.event.id);
      setPage((p) => (p ? { ...p, items: p.items.map((i) => (i.event.id === item.event.id ? { ...i, event: fresh } : i)) } : p));
      setAlert(`Someone else changed ${itemName(fresh)} while you were looking at it. It has been reloaded: check it and try again.`);
    } catch (e) {
      setAlert(`Someone else changed this event, and it could not be reloaded: ${(e as Error).message}`);
    }
  };

  /** Runs a change; a 409 (stale revision) reloads the item instead of failing in the form. */
  const guard = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return void (await conflict());
      throw e;
    }
  };

  const run = (cmd: ReviewCommand) => {
    setAlert(null);
    if (cmd === 'next') return go(index + 1);
    if (cmd === 'previous') return go(index - 1);
    if (cmd === 'help') return setDialog('help');
    if (cmd === 'next-page') {
      if (!page?.next_cursor) return setMessage('This is the last page of the queue.');
      focusItem.current = true;
      setMessage(`Page ${pageNo + 1}.`);
      return load({ cursor: page.next_cursor, pageNo: pageNo + 1 });
    }
    if (!item) return setMessage('The queue is empty.');
    if (cmd === 'merge' && item.neighbours.length === 0) return setMessage('There is no merge suggestion for this event.');
    setMessage('');
    setDialog(cmd);
  };

  // One listener for the page's life, reading this render's state through a ref: a listener re-registered by an
  // effect after each render would, between the render and the effect, still act on the previous render's items and
  // index, so a key pressed just as a reloaded page appeared could move to where the focus already was.
  const latest = useRef({ run, dialog });
  latest.current = { run, dialog };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || latest.current.dialog || typingIn(e.target) || document.querySelector('dialog[open]')) return;
      const cmd = commandFor(e);
      if (!cmd) return;
      e.preventDefault();
      latest.current.run(cmd);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const update = (patch: Partial<Filters>) => navigate(`/review${toSearch({ ...filters, ...patch })}`, { keepScroll: true });
  const first = item?.neighbours[0];
  const e = item?.event;

  return (
    <section class="page review-page" aria-labelledby="review-heading">
      <h1 id="review-heading">Review queue</h1>
      <FilterBar filters={filters} options={options} onChange={update} hide={['q', 'status']} label="Filter the review queue" />
      <p class="queue-summary" aria-live="polite">
        {page
          ? page.total === 0
            ? 'Nothing to review here.'
            : `${formatNumber(page.total)} ${page.total === 1 ? 'event' : 'events'} to review, most doubtful first · page ${pageNo}${item ? ` · item ${index + 1} of ${items.length}` : ''}`
          : loading
            ? 'Loading…'
            : ''}{' '}
        <span class="muted">
          Press <kbd>?</kbd> for the keys.
        </span>
      </p>
      <p class="status-line" role="status">
        {message}
      </p>
      <p class="error" role="alert" hidden={!alert}>
        {alert}
      </p>
      {page && items.length === 0 && (
        <p>
          {pageNo > 1 ? (
            <button type="button" class="secondary" onClick={() => load({ cursor: null, pageNo: 1 })}>
              Back to the first page
            </button>
          ) : (
            <a href="/" onClick={onLinkClick}>
              Back to the map
            </a>
          )}
        </p>
      )}
      {item && e && (
        <div class="review-layout">
          <nav class="queue-list" aria-label="Events on this page">
            <ol>
              {items.map((it, i) => (
                <li key={it.event.id} data-event-id={it.event.id}>
                  <button type="button" class="queue-entry" aria-current={i === index ? 'true' : undefined} onClick={() => go(i)}>
                    <span class="queue-entry-place">{itemName(it.event)}</span>
                    <span class="muted small">
                      {it.event.date ?? 'no date'} · doubt {Math.round(it.doubt * 100)}%
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <div class="review-main">
            <div class="review-actions" role="toolbar" aria-label="Review actions">
              {TOOLBAR.map((b) => (
                <button
                  key={b.command}
                  type="button"
                  class={b.command === 'accept' ? undefined : 'secondary'}
                  aria-keyshortcuts={b.key}
                  disabled={(b.command === 'merge' && !first) || (b.command === 'next-page' && !page?.next_cursor)}
                  onClick={() => run(b.command)}
                >
                  {b.label} <kbd>{b.key}</kbd>
                </button>
              ))}
            </div>
            <ReviewItem item={item} position={index + 1} count={items.length} focusRef={itemRef} />
          </div>
        </div>
      )}
      {dialog === 'help' && <HelpDialog onClose={close} />}
      {e && dialog === 'accept' && (
        <ReasonDialog
          id="accept-dialog"
          title={`Accept ${itemName(e)}`}
          submit="Mark verified"
          initial="Checked against the sources"
          onClose={close}
          onSubmit={(reason) =>
            guard(async () => {
              await api.review(e.id, 'verify', reason, e.revision);
              done(`Verified: ${itemName(e)}.`);
            })
          }
        >
          <p>Every value on screen matches its sources: the event is marked verified and leaves the queue.</p>
        </ReasonDialog>
      )}
      {e && dialog === 'reject' && (
        <ReasonDialog
          id="reject-dialog"
          title={`Reject ${itemName(e)}`}
          submit="Reject"
          suggestions={['Not a protest', 'Not this place or day', 'Not an event: an opinion piece']}
          onClose={close}
          onSubmit={(reason) =>
            guard(async () => {
              await api.review(e.id, 'reject', reason, e.revision);
              done(`Rejected: ${itemName(e)}. It stays rejected when its articles are read again.`);
            })
          }
        >
          <p>The event leaves the map and the downloads; the history keeps it.</p>
        </ReasonDialog>
      )}
      {e && first && dialog === 'merge' && (
        <ReasonDialog
          id="merge-dialog"
          title={`Merge into ${itemName(e)}`}
          submit="Merge"
          initial="Same event"
          onClose={close}
          onSubmit={(reason) =>
            guard(async () => {
              const survivor = await api.merge(e.id, first.id, reason);
              done(`Merged: ${neighbourText(first)} is now part of ${itemName(survivor)}. Undo it from the event's history.`, survivor.id);
            })
          }
        >
          <p>
            The reports and evidence of <strong>{neighbourText(first)}</strong> move into this event, which keeps its id.
          </p>
        </ReasonDialog>
      )}
      {e && dialog === 'edit' && (
        <EditDialog
          event={e}
          onClose={close}
          onConflict={() => void conflict()}
          onSaved={(fresh, fields) => {
            setDialog(null);
            focusItem.current = true;
            setPage((p) => (p ? { ...p, items: p.items.map((i) => (i.event.id === fresh.id ? { ...i, event: fresh } : i)) } : p));
            setMessage(`Saved: ${fields.map(editLabel).join(', ')} of ${itemName(fresh)} (revision ${fresh.revision}).`);
          }}
        />
      )}
      {e && dialog === 'split' && (
        <SplitDialog
          event={e}
          onClose={close}
          onConflict={() => void conflict()}
          onSplit={(a) => done(`Split: a new event (${itemName(a.event)}) holds the chosen reports.`, a.from.id)}
        />
      )}
    </section>
  );
}
