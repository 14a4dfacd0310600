// The shared write budget's arithmetic (pure). A budget (a token, or an App installation) may
// make at most `count` content-creating writes in any `windowMs` for each of its limits (GitHub:
// 80 a minute, 500 an hour). The record keeps the times of the writes of the last window:
// `open` are reserved slots whose write has not been answered yet, `slots` writes GitHub has
// answered, at the time the answer came (no earlier than GitHub counted them). A new write is
// given the earliest time that keeps every limit, never before a write already reserved (first
// come, first served) nor while GitHub asked us to wait (`blockedUntil`).

export interface WriteLimit {
  count: number;
  windowMs: number;
}

export interface BudgetRecord {
  /** Answered writes (epoch ms of the answer), ascending. */
  slots: number[];
  /** Reserved slots not yet answered, ascending. */
  open?: number[];
  /** GitHub said: nothing before this time (primary quota spent, secondary limit hit). */
  blockedUntil?: number;
}

const ascending = (a: number, b: number) => a - b;
const insert = (list: number[], at: number) => [...list, at].sort(ascending);
function without(list: number[], at: number): number[] {
  const i = list.indexOf(at);
  return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
}

/** Every write the record knows, answered or reserved, ascending. */
function allWrites(rec: BudgetRecord): number[] {
  return [...rec.slots, ...(rec.open ?? [])].sort(ascending);
}

/**
 * The earliest time a new write may go. `marginMs` widens every window: our clock, GitHub's and
 * the request's travel time differ, and a write sent late must not land in the next window.
 * With `own`, a writer checks its own reserved slot again: only the writes before it count.
 */
export function nextSlot(
  rec: BudgetRecord,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
  own?: number,
): number {
  const all = allWrites(rec);
  // First come, first served: a new write goes after every write already reserved (slots are
  // distinct, so each writer knows which writes came before it).
  const writes = own === undefined ? all : without(all, own).filter((w) => w < own);
  const last = own === undefined && all.length > 0 ? all[all.length - 1]! + 1 : 0;
  let at = Math.max(nowMs, rec.blockedUntil ?? 0, last);
  for (const { count, windowMs } of limits) {
    // The count-th most recent write must have left the window before this one goes.
    const bound = writes[writes.length - count];
    if (bound !== undefined) at = Math.max(at, bound + windowMs + marginMs);
  }
  return at;
}

/** The record with a write reserved at `at`, and writes that can no longer matter dropped. */
export function reserveSlot(
  rec: BudgetRecord,
  at: number,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  return prune({ ...rec, open: insert(rec.open ?? [], at) }, nowMs, limits, marginMs);
}

/** A reserved slot moved (later: an earlier write turned out to be answered late). */
export function moveSlot(rec: BudgetRecord, from: number, to: number | undefined): BudgetRecord {
  const open = without(rec.open ?? [], from);
  return { ...rec, open: to === undefined ? open : insert(open, to) };
}

/**
 * A write was answered at `at`: its reserved slot (the earliest one not after `at`) becomes the
 * answer time, so later windows count it from when GitHub surely had it.
 */
export function answerSlot(
  rec: BudgetRecord,
  at: number,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  const open = rec.open ?? [];
  const reserved = open.find((s) => s <= at);
  const next = { ...rec, open: reserved === undefined ? open : without(open, reserved) };
  return prune({ ...next, slots: insert(rec.slots, at) }, nowMs, limits, marginMs);
}

/** Keeps the writes still inside the longest window, at most as many as the largest count. */
export function pruneSlots(
  slots: number[],
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): number[] {
  const longest = Math.max(0, ...limits.map((l) => l.windowMs)) + marginMs;
  const most = Math.max(0, ...limits.map((l) => l.count));
  return slots.filter((s) => s > nowMs - longest).slice(-most);
}

function prune(
  rec: BudgetRecord,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  const out: BudgetRecord = { slots: pruneSlots(rec.slots, nowMs, limits, marginMs) };
  const open = pruneSlots(rec.open ?? [], nowMs, limits, marginMs);
  if (open.length > 0) out.open = open;
  if (rec.blockedUntil !== undefined && rec.blockedUntil > nowMs)
    out.blockedUntil = rec.blockedUntil;
  return out;
}
