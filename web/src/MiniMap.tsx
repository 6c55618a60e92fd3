// A small map of one place or a few events; maplibre and the basemap load only when one is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MiniPoint } from './minimap.ts';

export function MiniMap({ points, label, zoom, maxZoom }: { points: MiniPoint[]; label: string; zoom?: number; maxZoom?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = JSON.stringify(points) + `|${zoom}|${maxZoom}`;
  useEffect(() => {
    let disposed = false;
    let created: { destroy(): void } | null = null;
    box.current?.removeAttribute('data-rendered');
    import('./minimap.ts')
      .then(({ createMiniMap }) => createMiniMap(box.current!, points, { zoom, maxZoom }))
      .then((m) => {
        if (disposed) m.destroy();
        else created = m;
      })
      .catch((e: unknown) => {
        if (!disposed) setFailure(e instanceof Error ? e.message : String(e));
      });
    return () => {
      disposed = true;
      created?.destroy();
    };
  }, [key]);
  return (
    <>
      <div ref={box} class="mini-map" role="img" aria-label={label} />
      {failure && <p class="muted small">The map could not be drawn ({failure}).</p>}
    </>
  );
}
