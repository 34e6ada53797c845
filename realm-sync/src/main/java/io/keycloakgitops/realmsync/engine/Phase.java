package io.keycloakgitops.realmsync.engine;

/**
 * When a change runs: dependencies first (realm settings, flows, scopes, clients, roles, groups, users, ...), then
 * the settings that name other objects, then deletions in reverse dependency order. Within a phase a change's
 * {@link Change#level() level} orders it further (a sub-flow after its parent).
 */
public enum Phase {
  REALM_EARLY,
  FLOW_CREATE,
  FLOW_EXECUTIONS,
  SCOPE,
  SCOPE_PARTS,
  REALM_DEFAULT_SCOPES,
  CLIENT,
  CLIENT_PARTS,
  /** Realm and client roles together: composites may cross, and one partialImport takes both. */
  ROLE,
  COMPOSITES,
  GROUP,
  GROUP_ROLES,
  DEFAULT_GROUPS,
  USER,
  USER_PARTS,
  SERVICE_ACCOUNT,
  IDP,
  IDP_MAPPER,
  /** After users and identity providers, which organizations link to. */
  ORGANIZATION,
  ORGANIZATION_LINKS,
  LOCALIZATION_TEXTS,
  REQUIRED_ACTION,
  COMPONENT,
  AUTHORIZATION,
  SCOPE_MAPPING,
  REALM_LATE,
  DELETE_ORGANIZATION,
  DELETE_COMPONENT,
  DELETE_IDP_MAPPER,
  DELETE_IDP,
  DELETE_USER,
  DELETE_GROUP,
  DELETE_CLIENT_ROLE,
  DELETE_ROLE,
  DELETE_CLIENT,
  DELETE_SCOPE,
  DELETE_FLOW
}
