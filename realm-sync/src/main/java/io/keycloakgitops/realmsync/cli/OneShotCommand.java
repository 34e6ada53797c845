package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmLoader;
import io.keycloakgitops.realmsync.source.RealmSource;
import io.keycloakgitops.realmsync.source.SourceException;
import io.keycloakgitops.realmsync.source.Tenancy;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared by {@code apply} and {@code plan}: read the files once, then work realm by realm against one server. */
abstract class OneShotCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = false, multiplicity = "1", heading = "Source:%n")
  SourceOptions source;

  @Mixin
  KeycloakOptions keycloak;

  @Mixin
  SyncOptions sync;

  @Mixin
  PlaceholderOptions placeholders;

  @Mixin
  SignatureOptions signatures;

  @Mixin
  TenancyOptions tenancy;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<RealmLoader.Loaded> realms;
    RealmSource files;
    RealmSource since;
    Tenancy grants;
    try {
      grants = tenancy.tenancy(source.location.dir, source.location.repo);
      RealmSource earlier = source.openSince();
      since = earlier == null ? null : tenancy.withFragments(earlier);
      files = tenancy.withFragments(source.open(signatures.signatures()));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 1;
    }
    Placeholders.GitPolicy policy = placeholders.policy(System.getenv());
    try (files; since) {
      RealmSource.Snapshot snapshot = files.fetch();
      revision = snapshot.revision();
      realms = RealmLoader.load(snapshot, policy::create, grants);
      if (realms.isEmpty()) {
        err.println("no realm files (<realm>.json, .yaml or .yml) in " + files.describe());
        return 1;
      }
      if (since != null) {
        try {
          for (RealmLoader.Loaded realm : RealmLoader.load(since.fetch(), policy::create, grants)) {
            if (realm.ok()) {
              previous.put(realm.realm(), realm.desired());
            }
          }
        } catch (SourceException e) {
          err.println("--since " + source.since + ": " + e.getMessage());
          return 1;
        }
      }
    } catch (SourceException e) {
      err.println(e.getMessage());
      return 1;
    }
    RealmSyncer.Options options;
    try {
      options = sync.oneShotOptions().withDefaultSource(source.sourceId());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 1;
    }
    try (var admin = KeycloakAdmin.connect(keycloak.target(), keycloak.timeouts())) {
      int exit = run(new RealmSyncer(admin, options), realms);
      RunStats.writeIfAsked(admin.counter(), err);
      return exit;
    }
  }

  /** The revision read: a commit id, or a content hash for a folder. */
  String revision;

  /**
   * With {@code --since}: each realm as its valid file declared it then. A realm missing here (new, or its file was
   * invalid then) is compared in full.
   */
  final Map<String, DesiredRealm> previous = new HashMap<>();

  abstract int run(RealmSyncer syncer, List<RealmLoader.Loaded> realms);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
