// GeoJSON export (RFC 7946): one Point feature per event, the record in its properties.
import type { EventRecord } from '../../core/types.js';

export function toGeoJson(events: EventRecord[]): object {
  return {
    type: 'FeatureCollection',
    features: events.map((e) => ({
      type: 'Feature',
      id: e.id,
      geometry: e.lat !== null && e.lon !== null ? { type: 'Point', coordinates: [e.lon, e.lat] } : null,
      properties: e,
    })),
  };
}
