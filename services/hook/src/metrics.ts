// hook's metrics, with Prow's names where Prow has them (pkg/githubeventserver/metrics.go).
// Registering twice on one registry reuses the existing metrics (several apps in one process).
import { metricOnce } from '@jetprow/service';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HookMetrics {
  /** Prow's `prow_webhook_counter{event_type}`: webhooks that passed validation. */
  webhooks: Counter<'event_type'>;
  /** Prow's `prow_webhook_response_codes{response_code}`: every answer on the webhook path. */
  responses: Counter<'response_code'>;
  /** Time from validated delivery to JetStream ack (or failure), by outcome. */
  publishSeconds: Histogram<'outcome'>;
}

export type PublishOutcome = 'stored' | 'duplicate' | 'timeout' | 'error';

export function hookMetrics(registry: Registry): HookMetrics {
  return {
    webhooks: metricOnce(
      registry,
      'prow_webhook_counter',
      () =>
        new Counter({
          name: 'prow_webhook_counter',
          help: 'A counter of the webhooks made to prow.',
          labelNames: ['event_type'],
          registers: [registry],
        }),
    ),
    responses: metricOnce(
      registry,
      'prow_webhook_response_codes',
      () =>
        new Counter({
          name: 'prow_webhook_response_codes',
          help: 'A counter of the different responses hook has responded to webhooks with.',
          labelNames: ['response_code'],
          registers: [registry],
        }),
    ),
    publishSeconds: metricOnce(
      registry,
      'jetprow_hook_publish_seconds',
      () =>
        new Histogram({
          name: 'jetprow_hook_publish_seconds',
          help: 'Seconds from a validated webhook to its JetStream ack (or failure), by outcome.',
          labelNames: ['outcome'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers: [registry],
        }),
    ),
  };
}
