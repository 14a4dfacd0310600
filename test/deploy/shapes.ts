// Typed views of the few rendered fields the deploy tests read (the objects themselves are
// validated against Kubernetes' schemas in k8s-schema.ts, so the casts only name what is there).
import type { K8sObject } from './render.js';

export type Labels = Record<string, string>;

export interface ServiceView {
  spec: {
    selector?: Labels;
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
    ports: { name?: string; port: number; targetPort?: string | number }[];
  };
}
export interface IngressView {
  spec: {
    rules: {
      http: {
        paths: { path: string; backend: { service: { name: string; port: { name?: string } } } }[];
      };
    }[];
  };
}
export interface WorkloadView {
  spec: {
    replicas?: number;
    serviceName?: string;
    volumeClaimTemplates?: unknown[];
    template: { metadata: { labels: Labels } };
  };
}
export interface NetworkPolicyView {
  spec: { podSelector: { matchLabels: Labels }; ingress: { from: Record<string, unknown>[] }[] };
}
export interface ConfigMapView {
  data?: Record<string, string>;
}
export interface SecretView {
  data?: Record<string, string>;
}

export function view<T>(o: K8sObject | undefined, what: string): T {
  if (!o) throw new Error(`${what} is not rendered`);
  return o as unknown as T;
}

export const find = (objects: K8sObject[], kind: string, name: string): K8sObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

export const ofKind = (objects: K8sObject[], kind: string): K8sObject[] =>
  objects.filter((o) => o.kind === kind);

/** Whether `labels` satisfy a matchLabels selector. */
export const selects = (selector: Labels, labels: Labels): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
