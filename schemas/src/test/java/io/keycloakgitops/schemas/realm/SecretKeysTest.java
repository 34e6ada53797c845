package io.keycloakgitops.schemas.realm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeysTest {
  @ParameterizedTest
  @ValueSource(strings = {"secret", "clientSecret", "password", "smtpPassword", "bindCredential", "credentials",
      "privateKey", "private_key", "secretData", "keystorePassphrase", "keyStorePass", "trustStorePass", "PASSWORD", "x.token", "registrationAccessToken", "api_key",
      "apiKey"})
  void secretNames(String name) {
    assertThat(SecretKeys.isSecret(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"passwordPolicy", "secretName", "clientId", "credentialData", "value", "username", "key",
      "client_credentials.use_refresh_token", "tokenUrl", "accessTokenLifespan"})
  void ordinaryNames(String name) {
    assertThat(SecretKeys.isSecret(name)).isFalse();
  }
}
