import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics. Labels are collection names, outcomes and error codes:
 * never station-supplied values beyond those, and never anything about persons.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  readonly pushBatches = new Counter({ name: 'mis_push_batches_total', help: 'Push requests by collection and outcome (ok or an error code).', labelNames: ['collection', 'outcome'] as const, registers: [this.registry] });
  readonly pushRows = new Counter({ name: 'mis_push_rows_total', help: 'Pushed rows by what became of them.', labelNames: ['collection', 'result'] as const, registers: [this.registry] });
  readonly pushSeconds = new Histogram({
    name: 'mis_push_duration_seconds',
    help: 'Time to handle a push, from the parsed request to the answer.',
    labelNames: ['collection'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly pulledDocuments = new Counter({ name: 'mis_pull_documents_total', help: 'Documents sent to stations by pulls.', labelNames: ['collection'] as const, registers: [this.registry] });
  readonly conflicts = new Counter({ name: 'mis_conflicts_total', help: 'Real conflicts written to the conflict log.', labelNames: ['collection'] as const, registers: [this.registry] });
  readonly liveStreams = new Gauge({ name: 'mis_live_streams', help: 'Open live streams (server-sent events).', registers: [this.registry] });
  readonly auditChainBreaks = new Counter({
    name: 'mis_audit_chain_breaks_total',
    help: "Breaks found in stations' audit chains as their entries arrived, by kind (edited, unlinked, gap, duplicate).",
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly imported = new Counter({ name: 'mis_reference_imported_total', help: 'Reference records imported.', labelNames: ['collection'] as const, registers: [this.registry] });
  readonly retentionPurged = new Counter({
    name: 'mis_retention_purged_total',
    help: 'Records purged by the scheduled retention runs, with every version of them, by collection.',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mis_' });
  }
}
