package io.keycloakgitops.webhook.admission;

/** Input that is not an AdmissionReview we can answer: HTTP 400 with this one-line reason. */
public final class BadRequestException extends Exception {
  public BadRequestException(String reason) {
    super(reason.replaceAll("\\s+", " ").trim(), null, false, false);
  }
}
