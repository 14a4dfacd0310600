// Routes plank mounts on its health server: `GET /view/:name` (the job's page, the default
// `status.url`) and `GET /logs/:name` (the raw build log). Read-only; any replica serves any job
// (the store and the runner's logs are shared).
import type { Hono } from 'hono';
import type { JobRunner } from '@jetprow/runner';
import type { JobStore } from '@jetprow/store';
import { renderJobPage } from './job-page.js';

/** The page shows the end of long logs; the raw route serves up to this much. */
export const PAGE_LOG_BYTES = 256 * 1024;
export const RAW_LOG_BYTES = 32 * 1024 * 1024;

export interface LogPageDeps {
  store: Pick<JobStore, 'get'>;
  runner: Pick<JobRunner, 'readLog'>;
}

export function logPageRoutes(deps: LogPageDeps): (app: Hono) => void {
  const readLog = async (name: string, tailBytes: number): Promise<string | undefined> =>
    deps.runner.readLog ? deps.runner.readLog(name, { tailBytes }) : undefined;

  return (app) => {
    app.get('/view/:name', async (c) => {
      const name = c.req.param('name');
      const [job, log] = await Promise.all([deps.store.get(name), readLog(name, PAGE_LOG_BYTES)]);
      if (!job && log === undefined) return c.text(`no job ${name}\n`, 404);
      const rawLogHref = `../logs/${encodeURIComponent(name)}`;
      const found = { ...(job ? { job } : {}), ...(log !== undefined ? { log } : {}) };
      return c.html(renderJobPage({ name, ...found, rawLogHref }));
    });

    app.get('/logs/:name', async (c) => {
      const name = c.req.param('name');
      const log = await readLog(name, RAW_LOG_BYTES);
      if (log !== undefined) return c.text(log);
      if (await deps.store.get(name)) return c.text(''); // known job, no build (yet)
      return c.text(`no job ${name}\n`, 404);
    });
  };
}
