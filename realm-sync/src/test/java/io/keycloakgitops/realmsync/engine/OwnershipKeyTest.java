package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnershipKeyTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

  @Test
  void hashesAreHmacSha256UnderTheKeyNeverThePlainDigest() throws Exception {
    var key = OwnershipKey.of(KEY);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal("s3cret".getBytes()));
    assertThat(key.hash("s3cret")).isEqualTo(OwnershipKey.PREFIX + expected)
        .doesNotContain(Json.sha256("s3cret"));
    assertThat(OwnershipKey.of(OwnershipKey.random()).hash("s3cret")).isNotEqualTo(key.hash("s3cret"));
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> OwnershipKey.of(new byte[16])).hasMessageContaining("at least 32 bytes");
  }

  @Test
  void aKeyFileIsGeneratedOnceWithMode0600AndReadAfterwards(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/ownership.key");
    var first = OwnershipKey.fromFile(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String content = Files.readString(file);
    assertThat(OwnershipKey.fromFile(file).hash("x")).isEqualTo(first.hash("x"));
    assertThat(Files.readString(file)).isEqualTo(content);
    Files.writeString(dir.resolve("bad.key"), "not base64 at all!");
    assertThatThrownBy(() -> OwnershipKey.fromFile(dir.resolve("bad.key")))
        .hasMessageContaining("cannot use ownership key file").hasMessageContaining("--ownership-key-file");
  }

  @Test
  void anOldUnsaltedHashMatchesOnceAndIsReplacedByTheHmac() {
    var key = OwnershipKey.of(KEY);
    var state = SyncState.empty();
    state.rememberHash("client/web/secret", Json.sha256("s3cret"));
    state.rememberHash("client/gone/secret", Json.sha256("other"));
    var secrets = new SecretPolicy(Set.of(), state, key);
    assertThat(secrets.matchesStored("client/web/secret", Json.NODES.textNode("s3cret"))).isTrue();
    assertThat(secrets.upgrades()).containsExactly(java.util.Map.entry("client/web/secret", key.hash("s3cret")));
    assertThat(secrets.matchesStored("client/gone/secret", Json.NODES.textNode("rotated"))).isFalse();

    var target = state.copy();
    secrets.upgrades().forEach(target::rememberHash);
    target.forgetLegacyHashes();
    assertThat(target.hash("client/web/secret")).isEqualTo(key.hash("s3cret"));
    assertThat(target.hash("client/gone/secret")).isNull();
    // Once rewritten, the same value matches through the HMAC and needs no further upgrade.
    var next = new SecretPolicy(Set.of(), target, key);
    assertThat(next.matchesStored("client/web/secret", Json.NODES.textNode("s3cret"))).isTrue();
    assertThat(next.upgrades()).isEmpty();
    assertThat(next.matchesStored("client/web/secret", Json.NODES.textNode("rotated"))).isFalse();
  }

  @Test
  void theStoredFormIsTheSameForAValueAndItsOneElementList() {
    var secrets = new SecretPolicy(Set.of(), SyncState.empty(), OwnershipKey.of(KEY));
    var list = Json.NODES.arrayNode().add("s3cret");
    assertThat(secrets.hash(list)).isEqualTo(secrets.hash(Json.NODES.textNode("s3cret")));
  }
}
