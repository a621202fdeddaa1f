// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function buildOpenApiDocument(registry: OpenAPIRegistry): object {
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '云桥 Yunqiao API',
      version: '1.0.0',
      description: '云桥：CRM + ERP + OA + 财务一体化后台。所有接口使用 Bearer JWT（POST /api/v1/auth/login 获取）。错误体统一为 {"error":{"code","message","details"}}。',
    },
    servers: [{ url: '/' }],
  });
}

export function docsPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>云桥 API 文档</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;
}

/** Swagger UI's start-up, as a file: the page's CSP allows no inline script. No validator badge (an outside host). */
export function docsInitScript(specUrl: string): string {
  return `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;
}
