package io.keycloakgitops.webhook.admission;

/** Input that is not an AdmissionReview we can answer: HTTP 400 (413 when too large) with this one-line reason. */
public final class BadRequestException extends Exception {
  private final int status;

  public BadRequestException(String reason) {
    this(400, reason);
  }

  private BadRequestException(int status, String reason) {
    super(reason.replaceAll("\\s+", " ").trim(), null, false, false);
    this.status = status;
  }

  /** A body over a size or complexity limit: 413 Content Too Large. */
  static BadRequestException tooLarge(String reason) {
    return new BadRequestException(413, reason);
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
