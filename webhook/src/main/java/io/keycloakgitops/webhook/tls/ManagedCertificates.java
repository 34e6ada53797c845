package io.keycloakgitops.webhook.tls;

import io.keycloakgitops.webhook.Poller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-managed TLS: keeps a CA and a serving certificate in a {@link CertStore}, rotates them by {@link Rotation},
 * publishes the CA bundle to the webhook configurations and hands every new serving certificate to Jetty. Each
 * replica runs this loop on the shared store; optimistic writes make one of them win and the others follow.
 * The loop runs on a wall-clock schedule, so a renewal missed while suspended happens on wake-up.
 */
public final class ManagedCertificates implements TlsSource {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedCertificates.class);

  /** @param settle how long the clients must have trusted a new CA before the serving certificate switches to it */
  public record Settings(Rotation.Policy policy, Duration checkInterval, Duration settle) {}

  private final CertStore store;
  private final Settings settings;
  private final CaBundlePublisher publisher;
  private final Clock clock;
  private Poller poller;

  private volatile CertBundle bundle;
  private ServingCertificate serving;
  private String trustedCaPem;
  private Instant trustedSince;
  private Consumer<Rotation.Step> onRotation = step -> { };
  private String lastReason;

  /** @param publisher null when nobody needs the CA bundle published (it is then trusted after {@code settle}) */
  public ManagedCertificates(CertStore store, Settings settings, CaBundlePublisher publisher, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Loads or creates the certificates (failing fast when the store is unusable) and starts the rotation loop. */
  @Override
  public synchronized ServingCertificate start() {
    reconcile();
    if (bundle == null) {
      throw new IllegalStateException("no serving certificate could be stored in " + store.describe());
    }
    poller = new Poller("webhook-certificates", settings.checkInterval(), this::reconcile);
    return serving;
  }

  public void onRotation(Consumer<Rotation.Step> listener) {
    this.onRotation = listener;
  }

  @Override
  public String caBundlePem() {
    CertBundle current = bundle;
    return current == null ? null : current.caBundlePem();
  }

  @Override
  public ServingCertificate serving() {
    return serving;
  }

  /** One pass: read, rotate if due (one step at a time), store, publish, serve. */
  synchronized void reconcile() {
    for (int attempt = 0; attempt < 3; attempt++) {
      CertStore.Versioned stored = store.load();
      Instant now = clock.instant();
      CertBundle current = stored.bundle();
      if (current != null) {
        publish(current, now);
      }
      Rotation.Outcome outcome = Rotation.next(current, now, settings.policy(), caTrusted(current, now));
      if (outcome.step() == Rotation.Step.NONE) {
        apply(current);
        if (current != null && !outcome.reason().equals("up to date") && !outcome.reason().equals(lastReason)) {
          LOG.info("certificates in {}: {}", store.describe(), outcome.reason());
        }
        lastReason = outcome.reason();
        return;
      }
      if (!store.save(outcome.bundle(), stored.version())) {
        LOG.info("another replica updated {} first; re-reading", store.describe());
        continue;
      }
      LOG.info("{} in {}: {}", describe(outcome.step()), store.describe(), outcome.reason());
      lastReason = null;
      publish(outcome.bundle(), now);
      apply(outcome.bundle());
      onRotation.accept(outcome.step());
      return;
    }
  }

  private static String describe(Rotation.Step step) {
    return switch (step) {
      case CREATED -> "created a CA and a serving certificate";
      case CA_ROTATED -> "rotated the CA (the bundle trusts the old and the new one)";
      case LEAF_RENEWED -> "renewed the serving certificate";
      case BUNDLE_UPDATED -> "updated the CA bundle";
      case NONE -> "no change";
    };
  }

  private void publish(CertBundle current, Instant now) {
    if (!current.caBundlePem().equals(trustedCaPem)) {
      if (publisher != null) {
        publisher.publish(current.caBundlePem());
      }
      trustedCaPem = current.caBundlePem();
      trustedSince = now;
    }
  }

  /** The clients trust the current CA once its bundle has been published for {@code settle}. */
  private boolean caTrusted(CertBundle current, Instant now) {
    return current != null && current.caBundlePem().equals(trustedCaPem)
        && !now.isBefore(trustedSince.plus(settings.settle()));
  }

  private void apply(CertBundle current) {
    if (current == null) {
      return;
    }
    if (serving == null) {
      serving = new ServingCertificate(current.tlsCertPem(), current.tlsKeyPem());
    } else if (!serving.current().equals(current.leaf())) {
      serving.update(current.tlsCertPem(), current.tlsKeyPem());
      LOG.info("serving a new certificate, valid until {}", current.leaf().getNotAfter().toInstant());
    }
    bundle = current;
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.close();
    }
  }
}
