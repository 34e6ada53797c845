package io.keycloakgitops.realmsync.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealmClaimsTest {
  private static final RealmClaims.Claimant OLD = new RealmClaims.Claimant("team/old", Instant.parse("2026-01-01T00:00:00Z"));
  private static final RealmClaims.Claimant NEW = new RealmClaims.Claimant("team/new", Instant.parse("2026-02-01T00:00:00Z"));
  private static final RealmClaims.Claimant TWIN = new RealmClaims.Claimant("team/a-twin", OLD.created());

  record Row(String name, RealmClaims.Claimant me, String recorded, boolean recordedClaims,
      List<RealmClaims.Claimant> claimants, String refusalNames) {}

  @Test
  void theFirstOwnerKeepsTheRealm() {
    for (var row : List.of(
        new Row("nobody owns it: the oldest claimant gets it", OLD, null, false, List.of(OLD, NEW), null),
        new Row("nobody owns it: a newer claimant is refused", NEW, null, false, List.of(OLD, NEW), "team/old"),
        new Row("same second: the name decides", OLD, null, false, List.of(OLD, TWIN), "team/a-twin"),
        new Row("the recorded owner keeps it even when newer", NEW, "cr:team/new", true, List.of(OLD, NEW), null),
        new Row("an older CR edited to claim it is refused", OLD, "cr:team/new", true, List.of(OLD, NEW), "team/new"),
        new Row("the recorded owner is gone: the oldest takes over", NEW, "cr:team/gone", false, List.of(NEW), null),
        new Row("the recorded owner is gone: still the oldest only", NEW, "cr:team/gone", false, List.of(OLD, NEW), "team/old"),
        new Row("a Git source keeps it for good", OLD, "git:https://example.com/iam#main:realms", false, List.of(OLD),
            "git:https://example.com/iam#main:realms"))) {
      var refusal = RealmClaims.refusal("shared", row.me(), row.recorded(), row.recordedClaims(), row.claimants());
      if (row.refusalNames() == null) {
        assertThat(refusal).as(row.name()).isEmpty();
      } else {
        assertThat(refusal).as(row.name()).hasValueSatisfying(message -> assertThat(message)
            .contains("realm shared").contains(row.refusalNames()).contains("nothing from " + row.me().key()));
      }
    }
  }
}
