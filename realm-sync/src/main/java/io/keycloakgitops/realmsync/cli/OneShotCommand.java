package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Futures;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

  /** One daemon thread per task: the common pool has a single worker on 2 CPUs. */
  private static final Executor ALONGSIDE = task -> Thread.ofPlatform().daemon().name("realm-sync-cli").start(task);

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // Building the admin client (RESTEasy's start-up) overlaps reading the files. It sends nothing: the first request
    // waits until the files are read and valid.
    CompletableFuture<KeycloakAdmin> connecting =
        CompletableFuture.supplyAsync(() -> KeycloakAdmin.connect(keycloak.target(), keycloak.timeouts()), ALONGSIDE);
    List<RealmLoader.Loaded> realms = readFiles(err);
    RealmSyncer.Options options = null;
    if (realms != null) {
      try {
        options = sync.oneShotOptions().withDefaultSource(source.sourceId());
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
      }
    }
    if (options == null) {
      connecting.thenAccept(KeycloakAdmin::close);
      return 1;
    }
    try (var admin = Futures.join(connecting)) {
      int exit = run(new RealmSyncer(admin, options), realms);
      RunStats.writeIfAsked(admin.counter(), err);
      return exit;
    }
  }

  /** The realms the source declares, and with {@code --since} {@link #previous}; null once it has said why not. */
  private List<RealmLoader.Loaded> readFiles(PrintWriter err) {
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
      return null;
    }
    Placeholders.GitPolicy policy = placeholders.policy(System.getenv());
    try (files; since) {
      RealmSource.Snapshot snapshot = files.fetch();
      revision = snapshot.revision();
      CompletableFuture<List<RealmLoader.Loaded>> earlierRealms;
      try {
        RealmSource.Snapshot earlier = since == null ? null : since.fetch();
        // parsed on the other CPU while this one parses the current files
        earlierRealms = earlier == null ? null
            : CompletableFuture.supplyAsync(() -> RealmLoader.load(earlier, policy::create, grants), ALONGSIDE);
      } catch (SourceException e) {
        err.println("--since " + source.since + ": " + e.getMessage());
        return null;
      }
      List<RealmLoader.Loaded> realms = RealmLoader.load(snapshot, policy::create, grants);
      if (realms.isEmpty()) {
        err.println("no realm files (<realm>.json, .yaml or .yml) in " + files.describe());
        return null;
      }
      if (earlierRealms != null) {
        for (RealmLoader.Loaded realm : Futures.join(earlierRealms)) {
          if (realm.ok()) {
            previous.put(realm.realm(), realm.desired());
          }
        }
      }
      return realms;
    } catch (SourceException e) {
      err.println(e.getMessage());
      return null;
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
