import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { DOCS_DIRECTIVES } from './security-headers.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Documents a multipart body the handler reads as a stream. Fastify must not validate such a
     * body (there is none to validate before the handler runs), so it cannot sit in `schema.body`.
     */
    multipartBody?: object;
  }
}

export const OPENAPI_JSON_PATH = '/api/v1/docs/openapi.json';

/** OpenAPI document built from the route schemas; Swagger UI at /api/v1/docs/. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'fleetflash API',
        version,
        description:
          'Firmware management for fleets of OpenWrt routers. Authenticate with "Authorization: Bearer <token>" ' +
          '(create tokens at /api/v1/auth/tokens/ or with `fleetflash token create`), or log in at ' +
          '/api/v1/auth/login for a session cookie. ' +
          'Errors are JSON {detail, code, fields?}; lists are paginated with page and page_size (max 100).',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token: "Authorization: Bearer fft_…" (or "Token fft_…").',
          },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'fleetflash_session' },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    transform: ({ schema, url, route }) => {
      const multipartBody = route.config?.multipartBody;
      if (!multipartBody) return { schema, url };
      return { schema: { ...schema, body: multipartBody }, url };
    },
  });
  // The documentation is readable without logging in (the API behind it is not); Swagger UI gets
  // the looser CSP it needs.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1/docs')) {
      route.config = {
        ...route.config,
        public: true,
        helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_DIRECTIVES } },
      };
    }
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/v1/docs',
    // Every group starts open. Once a page lists 150 or more groups and operations (ours does), Swagger UI
    // (5.33 and later) draws only the rows near the viewport and the rest as they are scrolled to: an operation
    // far down the page is absent from the DOM until then, which is not a rendering failure.
    // test/api-docs.e2e.test.ts scrolls through the page and checks every operation is drawn.
    uiConfig: { deepLinking: true, persistAuthorization: true, docExpansion: 'list' },
  });
  app.get(OPENAPI_JSON_PATH, { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
