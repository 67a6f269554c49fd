/**
 * Every route's request factory for the authorization matrix (test/e2e/authorization-*.test.ts),
 * keyed like the authorization table ("METHOD /path"), gathered from its parts.
 */
import { RouteSpec } from './authorization-calls';
import { AuthorizationScene } from './authorization-scene';
import { apiSpecs } from './authorization-specs-api';
import { moreApiSpecs } from './authorization-specs-api-more';
import { consoleSpecs } from './authorization-specs-console';
import { consoleAdminSpecs } from './authorization-specs-console-admin';
import { surveySpecs } from './authorization-specs-surveys';

export function routeSpecs(s: AuthorizationScene): Record<string, RouteSpec> {
  return { ...apiSpecs(s), ...moreApiSpecs(s), ...consoleSpecs(s), ...consoleAdminSpecs(s), ...surveySpecs(s) };
}
