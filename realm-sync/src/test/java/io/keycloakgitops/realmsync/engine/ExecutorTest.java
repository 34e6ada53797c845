package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorTest {
  private static Change bulkCreate(EntityType type, String key, Phase phase, List<String> ran) {
    return Change.create(type, key, phase, ctx -> {
      ran.add(key);
      ctx.api().post("/" + type.label(), Json.object());
    }).withBulk(new Change.BulkItem(type == EntityType.USER ? "users" : "clients", null, Json.object()));
  }

  @Test
  void manyCreationsOfOnePhaseGoOutAsOnePartialImportAndTheirFollowUpsAreSkipped() {
    var ran = new ArrayList<String>();
    var changes = new ArrayList<Change>();
    for (int i = 0; i < 3; i++) {
      changes.add(bulkCreate(EntityType.USER, "u" + i, Phase.USER, ran));
      changes.add(Change.followUp(EntityType.USER, "u" + i, Phase.USER_PARTS, ctx -> ran.add("roles")));
    }
    changes.add(bulkCreate(EntityType.CLIENT, "c0", Phase.CLIENT, ran));
    var api = new RecordingApi();
    var outcome = Executor.run(new Plan("test", true, changes, List.of()),
        new ApplyContext(api, SyncState.empty(), SyncState.empty(), null), 3);
    assertThat(outcome.ok()).isTrue();
    assertThat(api.calls).containsExactly("POST /client", "POST /partialImport");
    assertThat(ran).containsExactly("c0");
    assertThat(outcome.created()).isEqualTo(2);
    assertThat(outcome.writes()).containsEntry("partial-import/create", 1).containsEntry("client/create", 1);
  }

  @Test
  void theFirstFailureStopsTheRunAndSaysWhereItWas() {
    var api = new RecordingApi();
    api.failOn = "PUT /b";
    var changes = List.of(
        Change.update(EntityType.CLIENT, "a", List.of(), Phase.CLIENT, ctx -> ctx.api().put("/a", Json.object())),
        Change.update(EntityType.CLIENT, "b", List.of(), Phase.CLIENT, ctx -> ctx.api().put("/b", Json.object())),
        Change.update(EntityType.CLIENT, "c", List.of(), Phase.CLIENT, ctx -> ctx.api().put("/c", Json.object())));
    var outcome = Executor.run(new Plan("test", true, changes, List.of()),
        new ApplyContext(api, SyncState.empty(), SyncState.empty(), null), 10);
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.failedChange()).isEqualTo("~ client \"b\"");
    assertThat(outcome.updated()).isEqualTo(1);
    assertThat(api.calls).containsExactly("PUT /a");
  }

  @Test
  void aChangedOwnershipRecordIsWrittenOnceAtTheEnd() {
    var api = new RecordingApi();
    var target = SyncState.empty();
    target.own("git:test", EntityType.CLIENT, List.of("web"));
    var outcome = Executor.run(new Plan("test", true, List.of(), List.of()),
        new ApplyContext(api, SyncState.empty(), target, null), 10);
    assertThat(api.calls).containsExactly("PUT ");
    assertThat(outcome.writes()).containsEntry("sync-state/update", 1);
    assertThat(outcome.bookkeeping()).isEqualTo(1);
    assertThat(outcome.total()).as("no realm object was written").isZero();
  }

  @Test
  void aRealmPutCarriesTheOwnershipRecordAndAFailureStillRecordsWhatWasCreated() {
    var api = new RecordingApi();
    var target = SyncState.empty();
    target.own("git:test", EntityType.CLIENT, List.of("web"));
    var ctx = new ApplyContext(api, SyncState.empty(), target, null);
    var settings = Change.update(EntityType.REALM, "test", List.of(), Phase.REALM_EARLY,
        c -> c.putRealm(Json.object().put("displayName", "x"), null));
    var outcome = Executor.run(new Plan("test", true, List.of(settings), List.of()), ctx, 10);
    assertThat(api.calls).containsExactly("PUT ");
    assertThat(outcome.updated()).isEqualTo(1);
    assertThat(outcome.bookkeeping()).isZero();

    var failing = new RecordingApi();
    failing.failOn = "PUT /clients";
    var created = Change.create(EntityType.CLIENT, "web", Phase.CLIENT, c -> c.api().post("/clients", Json.object()));
    var broken = Change.update(EntityType.CLIENT, "web", List.of(), Phase.CLIENT_PARTS,
        c -> c.api().put("/clients/x", Json.object()));
    var failed = Executor.run(new Plan("test", true, List.of(created, broken), List.of()),
        new ApplyContext(failing, SyncState.empty(), target.copy(), null), 10);
    assertThat(failed.ok()).isFalse();
    assertThat(failing.calls).containsExactly("POST /clients", "PUT ");
  }

  @Test
  void manyCreationsGoOutInBatchesThatStartAt200AndReportProgressPerType() {
    var changes = new ArrayList<Change>();
    for (int i = 0; i < 450; i++) {
      changes.add(bulkCreate(EntityType.USER, "u" + i, Phase.USER, new ArrayList<>()));
    }
    changes.add(Change.update(EntityType.CLIENT, "web", List.of(), Phase.CLIENT, ctx -> ctx.api().put("/c", Json.object())));
    var api = new RecordingApi();
    var progress = new ArrayList<String>();
    var outcome = Executor.run(new Plan("test", true, changes, List.of()),
        new ApplyContext(api, SyncState.empty(), SyncState.empty(), null), 3,
        (phase, done, total) -> progress.add(phase + " " + done + "/" + total));
    assertThat(outcome.ok()).isTrue();
    assertThat(api.jsonPosts).extracting(body -> body.get("users").size())
        .as("a fast first batch lets the next one double").containsExactly(200, 250);
    assertThat(progress).containsExactly("client 1/1", "user 200/450", "user 450/450");
  }

  @Test
  void aGroupTreeCountsWithAllItsSubgroupsWhenBatchesAreSized() {
    var changes = new ArrayList<Change>();
    for (int i = 0; i < 3; i++) {
      var tree = Json.object().put("name", "dept-" + i);
      var subGroups = tree.putArray("subGroups");
      for (int j = 0; j < 99; j++) {
        subGroups.addObject().put("name", "team-" + j);
      }
      changes.add(Change.create(EntityType.GROUP, "/dept-" + i, Phase.GROUP, ctx -> {})
          .withBulk(new Change.BulkItem("groups", null, tree)));
    }
    var api = new RecordingApi();
    Executor.run(new Plan("test", true, changes, List.of()),
        new ApplyContext(api, SyncState.empty(), SyncState.empty(), null), 3);
    assertThat(api.jsonPosts).extracting(body -> body.get("groups").size())
        .as("two trees of 100 groups fill the first batch of 200").containsExactly(2, 1);
  }

  @Test
  void fewGroupTreesOfManyGroupsReachTheBulkThresholdByTheirGroups() {
    var changes = new ArrayList<Change>();
    for (int i = 0; i < 2; i++) {
      var tree = Json.object().put("name", "dept-" + i);
      var subGroups = tree.putArray("subGroups");
      for (int j = 0; j < 4; j++) {
        subGroups.addObject().put("name", "team-" + j);
      }
      changes.add(Change.create(EntityType.GROUP, "/dept-" + i, Phase.GROUP, ctx -> ctx.api().post("/groups", tree))
          .withBulk(new Change.BulkItem("groups", null, tree)));
    }
    var api = new RecordingApi();
    Executor.run(new Plan("test", true, changes, List.of()),
        new ApplyContext(api, SyncState.empty(), SyncState.empty(), null), 10);
    assertThat(api.calls).as("2 trees of 5 groups are 10 groups: the threshold").containsExactly("POST /partialImport");
  }
}
