package io.keycloakgitops.webhook;

import io.keycloakgitops.webhook.tls.Certificates;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS clients that trust exactly the given CA bundle, as the API server does with caBundle. */
public final class TlsClients {
  private TlsClients() {}

  public static HttpClient trusting(String caBundlePem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<X509Certificate> cas = Certificates.parseCertificates(caBundlePem);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
