// What reporter consumes from PROW_INTENTS: write intents other services publish (trigger's
// comments and labels: WriteIntent), and reporter's own "this PR's failure comment has work"
// nudges. Both ride `prow.intents.<org>.<repo>`; one durable consumer (reporter-intents) serves
// them, so one queue holds every GitHub write reporter owes besides statuses.
import Type from 'typebox';
import { publishJson, type Bus } from '@jetprow/bus';
import { intentSubject } from '@jetprow/core';
import { decoder, WriteIntent } from '@jetprow/schemas';
import { kvKey } from './kv-key.js';
import type { PrRef } from './pr-report-queue.js';

/** The PR's failure comment has pending job reports (they are in the PR's queue record). */
export const PrReportNudge = Type.Object({
  id: Type.String({ minLength: 1 }),
  kind: Type.Literal('pr-report'),
  org: Type.String(),
  repo: Type.String(),
  number: Type.Integer(),
});
export type PrReportNudge = Type.Static<typeof PrReportNudge>;

export const ReporterIntent = Type.Union([WriteIntent, PrReportNudge]);
export type ReporterIntent = Type.Static<typeof ReporterIntent>;

export const decodeReporterIntent = decoder('reporter intent', ReporterIntent);

/**
 * Publishes the nudge for the queue record's `revision` that holds the work: the msg-id makes a
 * repeated publish (a retried handler) one message, while new work always gets a new nudge.
 */
export async function publishPrReport(bus: Bus, pr: PrRef, revision: number): Promise<void> {
  const id = `pr-report/${kvKey(pr.org, pr.repo, pr.number)}@${revision}`;
  const nudge: PrReportNudge = { id, kind: 'pr-report', ...pr };
  await publishJson(bus.js, intentSubject(pr.org, pr.repo), nudge, { msgID: id });
}
