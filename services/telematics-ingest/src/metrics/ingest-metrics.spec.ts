import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IngestMetrics } from './ingest-metrics';

const RULES = path.resolve(__dirname, '../../../../ops/prometheus/telematics-rules.yml');

/** Suffixes Prometheus adds to a histogram's or a summary's own name. */
const SERIES_SUFFIXES = ['_bucket', '_sum', '_count'];

describe('IngestMetrics against the alert rules', () => {
  it('exports every telematics_* series the alert rules query (an unknown name never fires)', async () => {
    const metrics = new IngestMetrics({ defaultMetrics: false });
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    // Series names; `/telematics_api/...` in an annotation is a path, not a series.
    const queried = new Set(
      readFileSync(RULES, 'utf8').match(/(?<![\w/])telematics_[a-z_]+\b/g) ?? [],
    );
    expect(queried.size).toBeGreaterThan(5);
    const unknown = [...queried].filter(
      (series) =>
        !exported.has(series) &&
        !SERIES_SUFFIXES.some(
          (suffix) => exported.has(series.slice(0, -suffix.length)) && series.endsWith(suffix),
        ),
    );
    expect(unknown).toEqual([]);
  });
});
