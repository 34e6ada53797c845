package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.testsupport.ProcessResult;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json (and the chart's cross-value checks) reject wrong values, naming the offending key. */
class ValuesSchemaTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("webhook.failurePolicy=Never", "/webhook/failurePolicy", "'Fail', 'Ignore'"),
        Arguments.of("webhook.timeoutSeconds=60", "/webhook/timeoutSeconds", "maximum"),
        Arguments.of("webhook.replicas=0", "/webhook/replicas", "minimum"),
        Arguments.of("webhook.port=443", "/webhook/port", "minimum"),
        Arguments.of("webhook.certificate.mode=vault", "/webhook/certificate/mode", "cert-manager"),
        Arguments.of("webhook.certificate.certManager.issuerRef.kind=ClusterIssuer", "/webhook/certificate/certManager/issuerRef", "name"),
        Arguments.of("webhook.excludeNamespaces[0]=Not_A_Namespace", "/webhook/excludeNamespaces/0", "pattern"),
        Arguments.of("webhook.replicaCount=3", "/webhook", "replicaCount"),
        Arguments.of("webhook.policy.namespaces[0].name=dev-*,webhook.policy.namespaces[0].podSecurity=lax",
            "/webhook/policy/namespaces/0/podSecurity", "'restricted', 'baseline', 'privileged'"),
        Arguments.of("webhook.policy.namespaces[0].tls=optional", "/webhook/policy/namespaces/0", "name"),
        Arguments.of("webhook.resources.limits=null", "/webhook/resources", "limits"),
        Arguments.of("webhook.resources.requests.memory=lots", "/webhook/resources/requests/memory", "oneOf"),
        Arguments.of("securityContext.runAsUser=0", "/securityContext/runAsUser", "minimum"),
        Arguments.of("logFormat=xml", "/logFormat", "'text', 'json'"),
        Arguments.of("reconciler.watchNamespaces[0]=Team_A", "/reconciler/watchNamespaces/0", "pattern"),
        Arguments.of("reconciler.replicas=2,reconciler.leaderElection=false", "/reconciler/leaderElection", "true"),
        Arguments.of("realmSync.interval=soon", "/realmSync/interval", "pattern"),
        Arguments.of("realmSync.git.repo=https://git.example.com/realms.git", "/realmSync/keycloak/url", "minLength"),
        Arguments.of("realmSync.git.repo=ftp://git.example.com/realms", "/realmSync/git/repo", "pattern"),
        Arguments.of("realmSync.watchCrs=false", "/realmSync/git/repo", "minLength"),
        Arguments.of("realmSync.pushWebhook.ingress.enabled=true", "/realmSync/pushWebhook/ingress/host", "minLength"),
        Arguments.of("networkPolicy.egress.enabled=true", "/networkPolicy/egress/apiServer", "minItems"),
        Arguments.of("argocd.syncWaves.webhook=0", "/argocd/syncWaves/webhook", "minimum"),
        Arguments.of("image.pullPolicy=Sometimes", "/image/pullPolicy", "IfNotPresent"),
        Arguments.of("webhook.image.digest=latest", "/webhook/image/digest", "pattern"),
        Arguments.of("fullnameOverride=a-name-that-is-far-too-long-for-our-resource-names", "/fullnameOverride", "maxLength"),
        Arguments.of("realmGrants[0].namespace=team-a", "/realmGrants/0", "realms"),
        Arguments.of("realmGrants[0].namespace=team-a,realmGrants[0].realms=null", "/realmGrants/0", "realms"),
        Arguments.of("realmSync.placeholders.envPrefix=", "/realmSync/placeholders/envPrefix", "pattern"),
        Arguments.of("realmSync.placeholders.dir=relative/dir", "/realmSync/placeholders/dir", "pattern"),
        Arguments.of("realmSync.maxDeletions=-1", "/realmSync/maxDeletions", "minimum"),
        Arguments.of("reconciler.excludeNamespaces[0]=Bad_Name", "/reconciler/excludeNamespaces/0", "pattern"),
        Arguments.of("realmSync.git.signatures.verify=true", "/realmSync/git/signatures/trustedKeys", "minLength"),
        // Cross-value checks the schema cannot express (templates/checks.yaml).
        Arguments.of("realmSync.managementPort=8080", "realmSync.managementPort must differ from realmSync.port", ""),
        Arguments.of("webhook.replicas=1", "webhook.replicas (1) must be greater than webhook.pdb.minAvailable (1)", ""),
        Arguments.of("argocd.syncWaves.keycloak=1", "argocd.syncWaves must increase", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void rejectsWithTheOffendingKey(String set, String where, String why) {
    ProcessResult result = Helm.template("kg", "keycloak-gitops", "--set", set);
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).as("stderr").contains(where).contains(why);
  }
}
