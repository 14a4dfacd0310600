// `jetprow hook`: wiring only.
import { watchFile } from '@jetprow/config';
import { defineService, UsageError, webhookOptions } from '@jetprow/service';
import { HmacSecretsError, loadHmacSecrets } from './secret.js';
import { startHook } from './start-hook.js';

export const service = defineService({
  name: 'hook',
  groups: [webhookOptions],
  required: ['hmac-secret-file'],
  summary: `Receives GitHub webhooks on POST /hook, validates them as Prow does (HMAC SHA-256), publishes the
normalized event to prow.events.<event>.<org>.<repo> and answers 200 only after JetStream stored it.
The secret file is re-read when it changes (rotation without restart; a bad edit keeps the last good).
`,
  async start(ctx) {
    // The secret file, re-read when it changes (rotation without restart); a bad edit keeps the last good.
    const secrets = await watchFile(ctx.opts.hmacSecretFile!, loadHmacSecrets, {
      onError: (err) =>
        ctx.log.error(
          { err: String(err) },
          'hmac secret file reload failed: keeping the last good secrets',
        ),
    }).catch((err: unknown) => {
      if (err instanceof HmacSecretsError)
        throw new UsageError(`--hmac-secret-file: ${err.message}`);
      throw err;
    });
    const hook = await startHook({
      bus: ctx.bus,
      getSecrets: secrets.get,
      log: ctx.log,
      registry: ctx.registry,
      port: ctx.opts.port,
    }).catch((err: unknown) => {
      secrets.close();
      throw err;
    });
    ctx.log.info({ port: hook.port }, 'listening for webhooks on /hook');
    return {
      ready: () => hook.ready(),
      async stop() {
        secrets.close();
        await hook.stop();
      },
    };
  },
});
