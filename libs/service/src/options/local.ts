// Groups one or two services compose: hook's webhook listener, the local runner's data dir, the
// job page links. They live here with the others so that every command knows every jetprow flag
// and can refuse one it does not read by name ("--port: plank does not use this flag").
import { port, str, UsageError, type OptionGroup } from './group.js';
import { readableFile } from './files.js';

export interface WebhookOptions {
  /** Prow's --hmac-secret-file. */
  hmacSecretFile?: string;
  /** Prow's hook --port. */
  port: number;
}

export const webhookOptions: OptionGroup<WebhookOptions> = {
  title: 'Webhook',
  flags: [
    { name: 'hmac-secret-file', arg: 'FILE', help: "the webhook's HMAC secret(s), Prow's format" },
    { name: 'port', arg: 'N', default: '8888', help: 'webhooks on POST /hook' },
  ],
  parse: (raw) => ({
    hmacSecretFile: readableFile(raw, 'hmac-secret-file'),
    port: port(raw, 'port', 8888),
  }),
};

export const dataDirOptions: OptionGroup<{ dataDir: string }> = {
  title: 'Local builds',
  flags: [
    {
      name: 'data-dir',
      arg: 'DIR',
      default: '.jetprow',
      help: "the local runner's build directories",
    },
  ],
  parse: (raw) => ({ dataDir: str(raw, 'data-dir') ?? '.jetprow' }),
};

export const jobPageOptions: OptionGroup<{ jobUrlBase?: string }> = {
  title: 'Job pages',
  flags: [
    {
      name: 'job-url-base',
      arg: 'URL',
      default: 'http://localhost:<health-port>',
      help: "where browsers reach plank's job pages (status.url, statuses' target_url)",
    },
  ],
  parse(raw) {
    const base = str(raw, 'job-url-base');
    if (base !== undefined && !/^https?:\/\/\S+$/.test(base)) {
      throw new UsageError(`--job-url-base: "${base}" is not an http(s) URL`);
    }
    return { jobUrlBase: base };
  },
};
