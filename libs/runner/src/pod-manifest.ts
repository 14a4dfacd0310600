// The Pod manifest shape and Prow's KubeEnv, shared by pod-spec.ts (the Pod of a ProwJob) and
// decorate.ts (the decorated spec), so neither imports the other. Pure.

type Json = Record<string, unknown>;
export interface PodContainer extends Json {
  name: string;
  env?: { name: string; value?: string }[];
  terminationMessagePolicy?: string;
}
export interface PodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Json & {
    containers: PodContainer[];
    initContainers?: PodContainer[];
    restartPolicy: string;
    automountServiceAccountToken?: boolean;
    serviceAccountName?: string;
  };
}

/** Prow's KubeEnv: the env map as EnvVars sorted by name. */
export function kubeEnv(env: Record<string, string>): { name: string; value?: string }[] {
  return Object.keys(env)
    .sort()
    .map((name) => (env[name] ? { name, value: env[name] } : { name }));
}
