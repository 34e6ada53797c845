package io.keycloakgitops.realmsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryableTest {
  @ParameterizedTest(name = "{0} answered {1} (login failed: {2}) -> retried: {3}")
  @CsvSource({
      "GET,    503, false, true",
      "GET,    500, false, true",
      "GET,    404, false, false",
      "POST,   503, false, false",
      "PUT,    500, false, false",
      "DELETE, 502, false, false",
      "POST,   500, true,  true",
      "PUT,    401, true,  false",
  })
  void only5xxReadsAndFailedLoginsAreRetried(String method, int status, boolean loginFailed, boolean retried) {
    RuntimeException failure = loginFailed
        ? new KeycloakAdmin.LoginFailed("login", status, null)
        : new KeycloakException("call", status, null);
    assertThat(KeycloakAdmin.retryable(method, failure)).isEqualTo(retried);
  }

  @ParameterizedTest
  @CsvSource({"GET", "POST"})
  void aFailureWithoutAnAnswerIsNotRetriedHere(String method) {
    assertThat(KeycloakAdmin.retryable(method, new IllegalStateException("connection refused"))).isFalse();
  }
}
