package io.keycloakgitops.webhook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.webhook.Json;
import io.keycloakgitops.webhook.mutation.Defaulter;
import io.keycloakgitops.webhook.rules.FieldError;
import io.keycloakgitops.webhook.rules.Findings;
import io.keycloakgitops.webhook.rules.NamespacePolicy;
import io.keycloakgitops.webhook.rules.Review;
import io.keycloakgitops.webhook.rules.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Run the webhook's defaults and rules on manifests (YAML or JSON, several documents per file), "
        + "as the API server would on CREATE. Prints one line per problem: FILE: KIND/NAME: FIELD: MESSAGE.",
        "Exit status: 0 all admitted, 1 something denied, 2 unreadable input."})
final class CheckCommand implements Callable<Integer> {
  static final int DENIED = 1;
  static final int UNREADABLE = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--mutate", description = "Print the defaulted manifests on stdout (findings then go to stderr).")
  boolean mutate;

  @Option(names = "--namespace", defaultValue = "default",
      description = "Namespace of objects that name none, for --policy (default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--policy", description = "Namespace relaxation policy file, as given to serve.")
  Path policy;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Manifest files; - reads stdin.")
  List<String> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter findingsOut = mutate ? spec.commandLine().getErr() : out;
    PrintWriter err = spec.commandLine().getErr();
    NamespacePolicy namespacePolicy;
    try {
      namespacePolicy = policy == null ? NamespacePolicy.DEFAULT : NamespacePolicy.parse(Files.readString(policy));
    } catch (IOException | IllegalArgumentException e) {
      err.println(policy + ": " + e.getMessage());
      return UNREADABLE;
    }
    Validator validator = Validator.load();
    boolean unreadable = false;
    boolean denied = false;
    int checked = 0;
    List<JsonNode> defaulted = new ArrayList<>();
    for (String file : files) {
      List<JsonNode> objects;
      try {
        objects = read(file);
      } catch (IOException | RuntimeException e) {
        err.println(file + ": unreadable: " + oneLine(e));
        unreadable = true;
        continue;
      }
      for (JsonNode object : objects) {
        Review review = review(object);
        if (review == null) {
          defaulted.add(object);
          continue;
        }
        checked++;
        Defaulter.Result result = Defaulter.mutate(review);
        Review mutated = new Review(review.group(), review.kind(), review.operation(), review.namespace(),
            result.object(), null);
        Findings findings = validator.validate(mutated, namespacePolicy.rulesFor(review.namespace()));
        for (FieldError error : findings.errors()) {
          findingsOut.println(file + ": " + mutated.displayName() + ": " + error);
        }
        for (String warning : result.warnings().isEmpty() ? findings.warnings()
            : concat(result.warnings(), findings.warnings())) {
          findingsOut.println(file + ": " + mutated.displayName() + ": warning: " + warning);
        }
        denied |= !findings.allowed();
        defaulted.add(result.object());
      }
    }
    if (mutate) {
      printYaml(out, defaulted);
    }
    err.printf("checked %d Keycloak/KeycloakRealmImport object(s) in %d file(s)%s%n", checked, files.size(),
        denied ? ": denied" : unreadable ? ": some input unreadable" : ": all admitted");
    out.flush();
    findingsOut.flush();
    return unreadable ? UNREADABLE : denied ? DENIED : 0;
  }

  /** A review of an object of our kinds, or null for anything else (a GitOps repository holds other kinds too). */
  private Review review(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    var review = new Review(slash < 0 ? "" : apiVersion.substring(0, slash), object.path("kind").asText(""), "CREATE",
        object.path("metadata").path("namespace").asText(namespace), object, null);
    return review.isKeycloak() || review.isRealmImport() ? review : null;
  }

  private static List<JsonNode> read(String file) throws IOException {
    String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(file));
    var objects = new ArrayList<JsonNode>();
    try (var documents = Json.YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        if (!document.isObject()) {
          throw new IOException("a document is not an object");
        }
        if ("List".equals(document.path("kind").asText()) && document.path("items").isArray()) {
          document.path("items").forEach(objects::add);
        } else {
          objects.add(document);
        }
      }
    }
    return objects;
  }

  private static void printYaml(PrintWriter out, List<JsonNode> objects) {
    for (JsonNode object : objects) {
      try {
        out.print("---\n" + Json.YAML.writeValueAsString(object));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
