// Rendering of sources and quotes. Everything is a text node; links only for http(s) URLs.
import type { Evidence, SourceRef } from './api.ts';
import { shortDate, safeHref } from './format.ts';

export function sourceName(s: SourceRef | undefined): string {
  if (!s) return 'Unknown source';
  return s.title ?? s.publisher ?? s.file ?? s.url ?? 'Untitled article';
}

/** The source's title as a link when it has a safe URL; otherwise the title and the file name as text. */
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
  return (
    <span>
      {name}
      {source.file && source.file !== name && <span class="muted"> (file {source.file})</span>}
    </span>
  );
}

export function SourceLine({ source }: { source: SourceRef | undefined }) {
  return (
    <>
      <SourceLink source={source} />
      {source?.publisher && source.publisher !== sourceName(source) && <>, {source.publisher}</>}
      {source?.published && <>, published {shortDate(source.published)}</>}
      {source && !safeHref(source.url) && source.url && <span class="muted"> (address not shown: {source.url.slice(0, 80)})</span>}
    </>
  );
}

export function Quote({ ev, source }: { ev: Evidence; source: SourceRef | undefined }) {
  return (
    <figure class="quote">
      <blockquote>{ev.quote}</blockquote>
      <figcaption>
        — <SourceLine source={source} />
      </figcaption>
    </figure>
  );
}
