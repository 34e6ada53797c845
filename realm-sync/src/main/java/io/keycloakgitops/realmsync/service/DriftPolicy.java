package io.keycloakgitops.realmsync.service;

/** What a periodic compare does with edits made outside Git (in the console, say). */
public enum DriftPolicy {
  /** Put the realm back as the files say. */
  REVERT,
  /** Only report them (status, metrics, events). */
  REPORT
}
