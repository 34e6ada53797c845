package io.keycloakgitops.realmsync.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The realm's collections handled object by object, in one place: the realm-file keys each comes from, what its
 * objects are, how it is keyed in {@link RealmModel}, and so how {@link Incremental} tracks it and which keys a
 * source owns once declared.
 */
public enum RealmCollection {
  CLIENT_SCOPES("clientScopes", EntityType.CLIENT_SCOPE, Keying.BY_KEY, "name", m -> m.clientScopes, "clientScopes"),
  CLIENTS("clients", EntityType.CLIENT, Keying.BY_KEY, "clientId", m -> m.clients, "clients"),
  REALM_ROLES("realmRoles", EntityType.ROLE, Keying.BY_KEY, "name", m -> m.realmRoles, "roles"),
  /** By clientId, then role name. */
  CLIENT_ROLES("clientRoles", EntityType.CLIENT_ROLE, Keying.BY_OWNER, "name", m -> m.clientRoles, "roles"),
  /** By path; the file nests them by name. */
  GROUPS("groups", EntityType.GROUP, Keying.BY_KEY, "name", m -> m.groups, "groups"),
  /** By lower-case username. */
  USERS("users", EntityType.USER, Keying.BY_KEY, "username", m -> m.users, "users"),
  /** By the clientId they belong to. */
  SERVICE_ACCOUNTS("serviceAccounts", EntityType.SERVICE_ACCOUNT, Keying.BY_KEY, "serviceAccountClientId",
      m -> m.serviceAccounts, "users"),
  IDENTITY_PROVIDERS("identityProviders", EntityType.IDENTITY_PROVIDER, Keying.BY_KEY, "alias",
      m -> m.identityProviders, "identityProviders"),
  /** By provider alias, then mapper name; exact for every provider the file names. */
  IDENTITY_PROVIDER_MAPPERS("identityProviderMappers", EntityType.IDENTITY_PROVIDER_MAPPER, Keying.BY_OWNER_EXACT,
      "name", m -> m.identityProviderMappers, "identityProviderMappers"),
  REQUIRED_ACTIONS("requiredActions", EntityType.REQUIRED_ACTION, Keying.BY_KEY, "alias", m -> m.requiredActions,
      "requiredActions"),
  /** By provider type, then name and sub-type (sub-components stay inside their parent). */
  COMPONENTS("components", EntityType.COMPONENT, Keying.BY_OWNER, "name", m -> m.components, "components"),
  /** By owner: {@code client:<clientId>} or {@code client-scope:<name>}. */
  SCOPE_MAPPINGS("scopeMappings", EntityType.SCOPE_MAPPING, Keying.BY_KEY, null, m -> m.scopeMappings,
      "scopeMappings", "clientScopeMappings"),
  /** By name, with their domains, identity-provider links and members. */
  ORGANIZATIONS("organizations", EntityType.ORGANIZATION, Keying.BY_KEY, "name", m -> m.organizations,
      "organizations"),
  /** By locale: key to text. */
  LOCALIZATION_TEXTS("localizationTexts", EntityType.LOCALIZATION_TEXTS, Keying.BY_KEY, null,
      m -> m.localizationTexts, "localizationTexts"),
  FLOWS("flows", EntityType.FLOW, Keying.WHOLE, "alias", m -> m.flows, "authenticationFlows"),
  AUTHENTICATOR_CONFIGS("authenticatorConfigs", EntityType.AUTHENTICATOR_CONFIG, Keying.WHOLE, "alias",
      m -> m.authenticatorConfigs, "authenticatorConfig"),
  DEFAULT_GROUPS("defaultGroups", EntityType.DEFAULT_GROUPS, Keying.WHOLE, null, m -> m.defaultGroups,
      "defaultGroups"),
  DEFAULT_SCOPES("defaultScopes", EntityType.DEFAULT_CLIENT_SCOPES, Keying.WHOLE, null,
      m -> m.defaultDefaultClientScopes == null && m.defaultOptionalClientScopes == null ? null
          : Arrays.asList(m.defaultDefaultClientScopes, m.defaultOptionalClientScopes),
      "defaultDefaultClientScopes", "defaultOptionalClientScopes");

  /**
   * How objects are found again: by one key; by owner then key (a change selects the owner's whole map;
   * {@code BY_OWNER_EXACT}: an owner the file drops still counts, with no entries); or as one whole (small and
   * interlinked: any change takes all of it).
   */
  public enum Keying { BY_KEY, BY_OWNER, BY_OWNER_EXACT, WHOLE }

  /** Top-level realm fields that describe the realm itself rather than settings. */
  private static final List<String> IDENTITY_FIELDS = List.of("defaultRole", "id", "realm", "keycloakVersion");

  private final String key;
  private final EntityType type;
  private final Keying keying;
  private final String keyField;
  private final Function<RealmModel, Object> read;
  private final List<String> jsonKeys;

  RealmCollection(String key, EntityType type, Keying keying, String keyField, Function<RealmModel, Object> read,
      String... jsonKeys) {
    this.key = key;
    this.type = type;
    this.keying = keying;
    this.keyField = keyField;
    this.read = read;
    this.jsonKeys = List.of(jsonKeys);
  }

  /** The collection's name in an incremental delta. */
  public String key() {
    return key;
  }

  public EntityType type() {
    return type;
  }

  public Keying keying() {
    return keying;
  }

  /** The field that names an object in the file (null where objects are not named by one field). */
  public String keyField() {
    return keyField;
  }

  /** The realm-file fields this collection is read from. */
  public List<String> jsonKeys() {
    return jsonKeys;
  }

  /** The collection as the model holds it; null when not declared. */
  public Object of(RealmModel model) {
    return read.apply(model);
  }

  /** Keys of the declared objects that a source owns once it applied them (empty for non-prunable types). */
  Collection<String> ownedKeys(RealmModel model) {
    if (!type.prunable() || of(model) == null) {
      return List.of();
    }
    return switch (this) {
      case CLIENT_ROLES -> model.clientRoles.entrySet().stream().filter(e -> e.getValue() != null)
          .flatMap(e -> e.getValue().keySet().stream().map(role -> e.getKey() + "/" + role)).toList();
      case FLOWS -> FlowPlanner.topLevelAliases(model.flows);
      case COMPONENTS -> model.components.entrySet().stream().filter(e -> e.getValue() != null)
          .flatMap(e -> e.getValue().values().stream().map(c -> Representations.componentKey(e.getKey(), c))).toList();
      default -> ((Map<?, ?>) of(model)).keySet().stream().map(String::valueOf).toList();
    };
  }

  /** Every top-level realm field that is a collection or identity, not a realm setting. */
  public static Set<String> realmFields() {
    var out = new LinkedHashSet<String>(IDENTITY_FIELDS);
    for (RealmCollection collection : values()) {
      out.addAll(collection.jsonKeys);
    }
    return Set.copyOf(out);
  }
}
