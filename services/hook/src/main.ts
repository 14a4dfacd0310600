// `jetprow hook`: wiring only.
import { statSync } from 'node:fs';
import { UsageError, type ServiceDefinition } from '@jetprow/service';
import { HmacSecretsError, loadHmacSecrets, type HmacSecrets } from './secret.js';
import { startHook } from './start-hook.js';

/** The secret file, re-read when it changes (rotation without restart); a bad edit keeps the last good. */
function watchSecrets(
  path: string,
  onError: (err: unknown) => void,
): { get: () => HmacSecrets; close: () => void } {
  let secrets = loadHmacSecrets(path);
  let mtime = statSync(path).mtimeMs;
  const timer = setInterval(() => {
    try {
      const m = statSync(path).mtimeMs;
      if (m === mtime) return;
      mtime = m;
      secrets = loadHmacSecrets(path);
    } catch (err) {
      onError(err);
    }
  }, 2000);
  timer.unref();
  return { get: () => secrets, close: () => clearInterval(timer) };
}

export const service: ServiceDefinition = {
  name: 'hook',
  options: ['hmacSecretFile', 'port'],
  usesStore: false,
  required: ['hmacSecretFile'],
  usage: `Usage: jetprow hook --nats-url URL --hmac-secret-file FILE [--port 8888] [--health-port 8081]
       [--metrics-port 9090] [--config-path FILE] [--plugin-config FILE]

Receives GitHub webhooks on POST /hook, validates them as Prow does (HMAC SHA-256), publishes the
normalized event to prow.events.<event>.<org>.<repo> and answers 200 only after JetStream stored it.
`,
  async start(ctx) {
    let secrets: ReturnType<typeof watchSecrets>;
    try {
      secrets = watchSecrets(ctx.opts.hmacSecretFile!, (err) =>
        ctx.log.error(
          { err: String(err) },
          'hmac secret file reload failed: keeping the last good secrets',
        ),
      );
    } catch (err) {
      if (err instanceof HmacSecretsError)
        throw new UsageError(`--hmac-secret-file: ${err.message}`);
      throw err;
    }
    const hook = await startHook({
      bus: ctx.bus,
      getSecrets: secrets.get,
      log: ctx.log,
      registry: ctx.registry,
      port: ctx.opts.port,
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
};
