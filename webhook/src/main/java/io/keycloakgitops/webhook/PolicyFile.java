package io.keycloakgitops.webhook;

import io.keycloakgitops.webhook.rules.NamespacePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace policy file (a mounted ConfigMap), re-read when it changes. An invalid first version stops the
 * start; an invalid later edit is logged and the last good policy stays in force.
 */
public final class PolicyFile implements Supplier<NamespacePolicy>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);

  private final Path file;
  private final Poller poller;
  private volatile NamespacePolicy policy;
  private String loadedText;

  public PolicyFile(Path file, Duration pollInterval) {
    this.file = file;
    try {
      loadedText = Files.readString(file);
      policy = NamespacePolicy.parse(loadedText);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the policy file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid policy file " + file + ": " + e.getMessage(), e);
    }
    LOG.info("namespace policy from {}: {} relaxation(s), {} realm grant(s)", file, policy.namespaces().size(),
        policy.realmGrants().grants().size());
    poller = new Poller("webhook-policy-file", pollInterval, this::reloadIfChanged);
  }

  @Override
  public NamespacePolicy get() {
    return policy;
  }

  synchronized void reloadIfChanged() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      LOG.warn("cannot read the policy file {}; keeping the last good policy: {}", file, e.toString());
      return;
    }
    if (text.equals(loadedText)) {
      return;
    }
    try {
      policy = NamespacePolicy.parse(text);
      LOG.info("namespace policy reloaded from {}: {} relaxation(s), {} realm grant(s)", file,
          policy.namespaces().size(), policy.realmGrants().grants().size());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid policy file {}; keeping the last good policy: {}", file, e.getMessage());
    }
    loadedText = text;
  }

  @Override
  public void close() {
    poller.close();
  }
}
