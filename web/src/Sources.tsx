// Rendering of sources. Everything is a text node; links only for http(s) URLs; a source read from a file is
// named by its file name alone, never the directory it was read from.
import type { SourceRef } from './api.ts';
import { fileName, safeHref, shortDate } from './format.ts';

export function sourceName(s: SourceRef | undefined): string {
  if (!s) return 'Unknown source';
  return s.title ?? s.publisher ?? fileName(s.file) ?? (safeHref(s.url) ? s.url! : null) ?? 'Untitled article';
}

/** The source's title as a link when it has a safe URL; otherwise the title, or the file's name, as text. */
export function SourceLink({ source }: { source: SourceRef | undefined }) {
  if (!source) return <span>Unknown source</span>;
  const href = safeHref(source.url);
  const name = sourceName(source);
  if (href)
    return (
      <a href={href} rel="noopener noreferrer nofollow" target="_blank">
        {name}
      </a>
    );
  return <span class="source-title">{name}</span>;
}

/** "Title, Outlet, Jan 28, 2026" with the title linked; "a-harbor-march.txt (file), Mar 9, 2026" for a file. */
export function SourceLine({ source }: { source: SourceRef | undefined }) {
  const file = fileName(source?.file);
  return (
    <>
      <SourceLink source={source} />
      {source?.publisher && source.publisher !== sourceName(source) && <>, {source.publisher}</>}
      {file && !safeHref(source?.url) && (file === sourceName(source) ? <span class="muted"> (file)</span> : <span class="muted"> (file {file})</span>)}
      {source?.published && <>, {shortDate(source.published)}</>}
      {source && !safeHref(source.url) && source.url && !file && <span class="muted"> (no web address)</span>}
    </>
  );
}
