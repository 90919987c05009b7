import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * The API's OpenAPI document, as served at /docs/openapi.json. Routes marked @Public() (their
 * `x-public` extension) get an explicit `security: []`, so a client generator knows they take no
 * credential; every other route states the bearer scheme through @RequirePermissions().
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gongxiao API')
      .setDescription(
        'Distribution collaboration for social e-commerce. Authenticate with "Authorization: Bearer <API key or login token>". ' +
          'Money is integer minor units with a currency; ids are strings; errors are {"error": {"code", "message", "details"}}; ' +
          'lists answer {"data": [...], "nextCursor": ...} (pass nextCursor as ?cursor= for the next page).',
      )
      .setVersion('1')
      .setLicense('Proprietary', 'https://gongxiao.example/terms')
      .addServer('/', 'This server')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'An API key or the token a login answers: opaque strings, not JWTs' })
      .build(),
  );
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Record<string, unknown> & { security?: unknown[] }) | undefined;
      if (operation && operation['x-public'] === true && operation.security === undefined) operation.security = [];
    }
  }
  return document;
}
