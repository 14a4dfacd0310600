// GitHub's official REST description (@octokit/openapi) for the fake GitHub (@jetprow/fake-github):
// validators of the operations it implements (`openApiValidator`, which @jetprow/testing's fake
// always uses), and the table of those operations it serves from (operations.json, see
// `fakeGitHubOperations`). This is the only importer of @octokit/openapi and ajv. The 13 MB
// document is parsed once per process, on first use; only the schemas an operation reaches are
// converted (OpenAPI 3.0 -> JSON Schema) and compiled, each once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  fakeGitHubRoutes,
  operationKey,
  type FakeGitHubValidator,
  type OperationChecks,
  type OperationInfo,
  type OperationsTable,
  type Problem,
} from '@jetprow/fake-github';

type Json = Record<string, unknown>;

interface Spec {
  doc: {
    paths: Record<string, Record<string, Json>>;
    components: Record<string, Record<string, Json>>;
  };
  ajv: Ajv;
  added: Set<string>;
  operations: Map<string, OperationChecks>;
}

const SCHEMA_ID = 'https://fake-github.invalid/schemas/';
let spec: Spec | undefined;

function load(): Spec {
  if (spec) return spec;
  const pkg = createRequire(import.meta.url).resolve('@octokit/openapi/package.json');
  const file = join(dirname(pkg), 'generated', 'api.github.com.json');
  // strict: false lets OpenAPI's own keywords (example, discriminator, x-github…) pass unchecked.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Spec['doc'];
  spec = { doc, ajv, added: new Set(), operations: new Map() };
  return spec;
}

/** The validator @jetprow/testing's fake GitHub runs with. */
export const openApiValidator: FakeGitHubValidator = {
  operation,
  invalidRequestMessage,
  describeProblems: describeErrors,
};

function specOperation(s: Spec, method: string, path: string) {
  const key = operationKey(method, path);
  const op = s.doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`GitHub's REST description has no ${key}`);
  const responses = op.responses as Record<string, Json>;
  const status = Object.keys(responses)
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  if (!status) throw new Error(`${key} declares no success response`);
  return { op, status, response: responses[status] as Json };
}

/** What the fake serves the operation at GitHub's path with (its entry in operations.json). */
export function operationInfo(method: string, path: string): OperationInfo {
  const { op, status } = specOperation(load(), method, path);
  const hasBody = jsonSchemaOf(op.requestBody) !== undefined;
  return {
    operationId: String(op.operationId),
    docsUrl: String((op.externalDocs as Json | undefined)?.url ?? 'https://docs.github.com/rest'),
    status: Number(status),
    hasBody,
    bodyRequired: hasBody && (op.requestBody as Json).required !== false,
  };
}

/** operations.json as GitHub's REST description gives it, for every route the fake mounts. */
export function fakeGitHubOperations(): OperationsTable {
  const table: OperationsTable = {};
  for (const { method, path } of fakeGitHubRoutes()) {
    table[operationKey(method, path)] = operationInfo(method, path);
  }
  return table;
}

/** The checks of the operation at GitHub's path (e.g. '/repos/{owner}/{repo}/statuses/{sha}'), compiled once. */
export function operation(method: string, path: string): OperationChecks {
  const s = load();
  const key = operationKey(method, path);
  const cached = s.operations.get(key);
  if (cached) return cached;
  const { op, response } = specOperation(s, method, path);
  const compiled: OperationChecks = {
    checkRequest: compile(s, jsonSchemaOf(op.requestBody)),
    checkResponse: compile(s, jsonSchemaOf(deref(s, response))),
  };
  s.operations.set(key, compiled);
  return compiled;
}

/** The application/json schema of a request body or response object. */
function jsonSchemaOf(bodyOrResponse: unknown): unknown {
  const content = (bodyOrResponse as Json | undefined)?.content as Record<string, Json> | undefined;
  return content?.['application/json']?.schema;
}

/** Follows a `#/components/<kind>/<name>` reference (responses are referenced this way). */
function deref(s: Spec, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [, , kind, name] = ref.split('/');
  const target = s.doc.components[kind ?? '']?.[name ?? ''];
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return deref(s, target);
}

function compile(s: Spec, schema: unknown): (value: unknown) => Problem[] {
  if (schema === undefined) return () => [];
  const pending: string[] = [];
  const root = toJsonSchema(schema, pending);
  // Add every component schema this one reaches, converted, under its own $id.
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (s.added.has(name)) continue;
    s.added.add(name);
    const component = s.doc.components.schemas?.[name];
    if (!component) throw new Error(`unresolved $ref #/components/schemas/${name}`);
    s.ajv.addSchema(toJsonSchema(component, pending) as Json, SCHEMA_ID + name);
  }
  const validate: ValidateFunction = s.ajv.compile(root as Json);
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])]);
}

/**
 * OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a null type (or a null branch), and
 * `#/components/schemas/X` references point at X's $id (their names are queued in `refs`).
 */
function toJsonSchema(node: unknown, refs: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, refs));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = toJsonSchema(v, refs);
  if (typeof out.$ref === 'string') {
    const name = out.$ref.replace('#/components/schemas/', '');
    refs.push(name);
    out.$ref = SCHEMA_ID + name;
  }
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type !== 'string') return { anyOf: [out, { type: 'null' }] };
  out.type = [out.type, 'null'];
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return out;
}

const rubyValue = (v: unknown): string =>
  v === null || v === undefined ? 'nil' : JSON.stringify(v);
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * GitHub's wording for a request that fails its schema (answered with 422): "Invalid request.\n\n"
 * then one line per problem, e.g. `"body" wasn't supplied.` or
 * `For 'properties/body', nil is not a string.` (enum and other wordings are approximations).
 */
export function invalidRequestMessage(errors: Problem[], body: unknown): string {
  const lines = errors
    .filter((e) => !['oneOf', 'anyOf'].includes(e.keyword))
    .map((e) => {
      if (e.keyword === 'required') return `"${String(e.params.missingProperty)}" wasn't supplied.`;
      const where = e.instancePath ? `properties${e.instancePath}` : 'links/0/schema';
      const value = rubyValue(valueAt(body, e.instancePath));
      const problem =
        e.keyword === 'type'
          ? `is not ${article(String(e.params.type))}`
          : e.keyword === 'enum'
            ? `is not one of ${JSON.stringify(e.params.allowedValues)}`
            : (e.message ?? 'is invalid');
      return `For '${where}', ${value} ${problem}.`;
    });
  const details = lines.length > 0 ? [...new Set(lines)].join('\n') : describeErrors(errors);
  return `Invalid request.\n\n${details}`;
}

/** One line naming each problem, for the fake's own (500) response errors. */
export function describeErrors(errors: Problem[]): string {
  return errors
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
    .join('; ');
}

function valueAt(value: unknown, pointer: string): unknown {
  let v = value;
  for (const seg of pointer.split('/').slice(1)) {
    v = (v as Record<string, unknown> | undefined)?.[seg];
  }
  return v;
}
