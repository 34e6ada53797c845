package io.keycloakgitops.realmsync.k8s;

import io.keycloakgitops.realmsync.source.SourceIds;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which KeycloakRealmImport keeps a realm that several claim on one server. The owner recorded in the realm keeps
 * it while that CR still claims it; any other recorded source (a Git repository, a folder) keeps it for good;
 * without a live owner the oldest claimant does (creationTimestamp, then namespace/name). Both the record and the
 * timestamps outlive realm-sync, so a restart gives the same answer; and a CR edited to point at a realm another
 * CR already owns cannot take it, however old it is.
 */
public final class RealmClaims {
  /** A CR that claims the realm on the same server (and is granted it). */
  public record Claimant(String key, Instant created) {}

  private static final Comparator<Claimant> FIRST = Comparator.comparing(Claimant::created).thenComparing(Claimant::key);

  private RealmClaims() {}

  /**
   * The refusal for CR {@code me} (as {@code <namespace>/<name>}), or empty when it may write the realm.
   * {@code recordedOwner} is the source id in the realm's record (null: none), {@code recordedOwnerClaims} whether
   * that CR still exists and claims the realm on this server, {@code claimants} every CR that does ({@code me}
   * included).
   */
  public static Optional<String> refusal(String realm, Claimant me, String recordedOwner, boolean recordedOwnerClaims,
      List<Claimant> claimants) {
    String ownerKey = SourceIds.crKey(recordedOwner);
    if (me.key().equals(ownerKey)) {
      return Optional.empty();
    }
    if (recordedOwner == null || ownerKey != null && !recordedOwnerClaims) {
      Claimant first = claimants.stream().min(FIRST).orElse(me);
      return FIRST.compare(first, me) < 0
          ? Optional.of("realm " + realm + " is claimed by KeycloakRealmImport " + first.key() + ", created first; "
              + "nothing from " + me.key() + " is applied")
          : Optional.empty();
    }
    if (ownerKey == null) {
      return Optional.of("realm " + realm + " is owned by source " + recordedOwner
          + ": a KeycloakRealmImport may not take it over; nothing from " + me.key() + " is applied");
    }
    return Optional.of("realm " + realm + " is owned by KeycloakRealmImport " + ownerKey
        + " (the first owner keeps it); nothing from " + me.key() + " is applied");
  }
}
