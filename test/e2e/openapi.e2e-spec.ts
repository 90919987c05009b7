import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectStatus } from '../support/merchant-network';
import { useStage } from '../support/stage';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  'x-public'?: boolean;
}

/**
 * The OpenAPI document is one a client generator can use: every operation has a summary, a 2xx
 * response with a schema (204 aside), its error statuses in the error shape, and states its
 * security (`[]` when public). Redocly's recommended lint passes without errors or warnings, and
 * openapi-typescript generates a client with no `unknown` response body.
 */
describe('OpenAPI: a document a client generator can use', () => {
  const { api } = useStage();
  let document: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>; components: { schemas: Record<string, unknown> } };
  let directory: string;
  let file: string;
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, method, path, operation: item[method]! })),
    );

  beforeAll(async () => {
    const answer = await api.get('/docs/openapi.json');
    expectStatus(answer, 200);
    document = answer.body;
    directory = await mkdtemp(join(tmpdir(), 'gongxiao-openapi-'));
    file = join(directory, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('gives every operation a summary and states its security (an empty list when public)', () => {
    expect(
      operations()
        .filter(({ operation }) => !operation.summary?.trim())
        .map(({ name }) => name),
    ).toEqual([]);
    expect(
      operations()
        .filter(({ operation }) => !Array.isArray(operation.security))
        .map(({ name }) => name),
    ).toEqual([]);
    expect(
      operations()
        .filter(({ operation }) => operation['x-public'] === true && operation.security!.length > 0)
        .map(({ name }) => name),
    ).toEqual([]);
  });

  it('gives every operation a 2xx response with a schema (204 has no body)', () => {
    const lacking = operations().filter(({ operation }) =>
      Object.entries(operation.responses).every(([status, response]) => !/^2\d\d$/.test(status) || (status !== '204' && !Object.values(response.content ?? {}).some((media) => media.schema))),
    );
    expect(lacking.map(({ name }) => name)).toEqual([]);
  });

  it('documents the error statuses of every operation in the one error shape', () => {
    expect(document.components.schemas.ErrorResponseDto).toBeDefined();
    // Probes (/health…) answer 200 or 503 only; every API route can answer a 4xx.
    const api = operations().filter(({ path }) => path.startsWith('/v1/'));
    const withoutErrors = api.filter(({ operation }) => !Object.keys(operation.responses).some((status) => /^4\d\d$/.test(status)));
    expect(withoutErrors.map(({ name }) => name)).toEqual([]);
    const unshaped = api.flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status, response]) => /^[45]\d\d$/.test(status) && JSON.stringify(response.content ?? {}).indexOf('#/components/schemas/ErrorResponseDto') < 0)
        .map(([status]) => `${name} ${status}`),
    );
    expect(unshaped).toEqual([]);
    // Authenticated routes answer 401 and 403; routes with a body or a query can answer 400.
    const authenticated = operations().filter(({ operation }) => operation.security!.length > 0);
    expect(authenticated.filter(({ operation }) => !operation.responses['401'] || !operation.responses['403']).map(({ name }) => name)).toEqual([]);
  });

  it('documents Idempotency-Key on authenticated POSTs that create, and the signature headers on signed pushes', () => {
    const creating = operations().filter(({ method, operation }) => method === 'post' && operation.security!.length > 0 && (operation.responses['201'] || operation.responses['202']));
    expect(creating.length).toBeGreaterThan(5);
    const header = (operation: Operation, name: string) => operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === name);
    expect(creating.filter(({ operation }) => !header(operation, 'Idempotency-Key')).map(({ name }) => name)).toEqual([]);
    // Platform webhooks are signed the platform's way (X-Shopify-Hmac-Sha256, X-WC-Webhook-Signature, Youzan's sign), described on the route.
    const signed = operations().filter(({ path, operation }) => operation.security!.length === 0 && path.startsWith('/v1/shops/{shopId}/') && !path.includes('/webhooks/'));
    expect(signed.map(({ name }) => name)).toEqual(['POST /v1/shops/{shopId}/orders/{externalOrderId}/cancel', 'POST /v1/shops/{shopId}/orders', 'POST /v1/shops/{shopId}/reviews']);
    expect(signed.filter(({ operation }) => !header(operation, 'X-Gongxiao-Timestamp') || !header(operation, 'X-Gongxiao-Signature')).map(({ name }) => name)).toEqual([]);
  });

  it('serves the docs page at /docs and /docs/ with every asset it references', async () => {
    for (const page of ['/docs', '/docs/']) {
      const answer = await api.get(page);
      expectStatus(answer, 200);
      const html = String(answer.body);
      const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => new URL(match[1], `http://localhost${page}`).pathname);
      expect(assets.length).toBeGreaterThan(2);
      for (const asset of assets) expect([page, asset, (await api.get(asset)).status]).toEqual([page, asset, 200]);
    }
  });

  it('passes Redocly’s recommended lint with no error and no warning', async () => {
    const output = join(directory, 'lint.json');
    const lint = await run(join(ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'], { cwd: directory, maxBuffer: 32 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    await writeFile(output, lint.stdout);
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual(expect.objectContaining({ errors: 0, warnings: 0 }));
  }, 60_000);

  it('generates a typed client with openapi-typescript with no unknown response body', async () => {
    const output = join(directory, 'client.d.ts');
    await run(join(ROOT, 'node_modules/.bin/openapi-typescript'), [file, '-o', output], { cwd: directory, maxBuffer: 32 * 1024 * 1024 });
    const client = await readFile(output, 'utf8');
    expect(client).toContain('operations');
    const unknownBodies = client.split('\n').filter((line) => /^\s*"[^"]+\/[^"]+": unknown;/.test(line) || /content: \{\s*"[^"]+": unknown/.test(line));
    expect(unknownBodies).toEqual([]);
  }, 60_000);

  it("matches the console's committed client (apps/console/src/api/schema.d.ts): run `npm run console:schema` after changing the api", async () => {
    const output = join(directory, 'console-schema.d.ts');
    await run(join(ROOT, 'node_modules/.bin/openapi-typescript'), [file, '-o', output], { cwd: directory, maxBuffer: 32 * 1024 * 1024 });
    const [fresh, committed] = await Promise.all([readFile(output, 'utf8'), readFile(join(ROOT, 'apps/console/src/api/schema.d.ts'), 'utf8')]);
    expect(committed === fresh).toBe(true);
  }, 60_000);
});
