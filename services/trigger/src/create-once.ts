// ProwJob names are deterministic (delivery or horologium slot, job, SHA), so a job of that name
// already stored is the one this event asked for: AlreadyExists is success, not an error.
import type { ProwJob } from '@jetprow/schemas';
import { AlreadyExistsError, type JobStore } from '@jetprow/store';

/** Stores `pj`; resolves true when this call created it, false when it was already there. */
export async function createOnce(store: JobStore, pj: ProwJob): Promise<boolean> {
  try {
    await store.create(pj);
    return true;
  } catch (err) {
    if (err instanceof AlreadyExistsError) return false;
    throw err;
  }
}
