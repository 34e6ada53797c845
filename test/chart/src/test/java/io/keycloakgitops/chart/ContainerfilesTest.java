package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Containerfiles' structure (no container engine runs here): the Keycloak image builds in one stage with
 * build-steps.sh and only copies the result into a runtime stage that runs nothing; every image runs as a numeric
 * non-root user; our service image copies the jars the module poms actually produce.
 */
class ContainerfilesTest {
  private static final Pattern PACKAGE_MANAGERS = Pattern.compile("\\b(apt|apt-get|dpkg|dnf|microdnf|yum|rpm|apk)\\b");

  record Stage(String from, List<String> instructions) {
    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    }
  }

  @Test
  void keycloakImageBuildsInOneStageAndRunsOptimizedAsNonRoot() throws IOException {
    List<Stage> stages = stages(Tools.repoRoot().resolve("keycloak-image/Containerfile"));
    assertThat(stages).hasSize(2);
    Stage builder = stages.get(0);
    Stage runtime = stages.get(1);
    assertThat(builder.from()).endsWith("AS builder");
    assertThat(builder.all("RUN")).singleElement().asString().contains("/tmp/build-steps.sh /opt/keycloak")
        .contains("KEYCLOAK_DB=").contains("KEYCLOAK_FEATURES=").contains("KEYCLOAK_FEATURES_DISABLED=");
    assertThat(builder.all("ARG")).extracting(a -> a.split("[ =]")[1])
        .contains("KEYCLOAK_DB", "KEYCLOAK_FEATURES", "KEYCLOAK_FEATURES_DISABLED");

    assertThat(runtime.all("RUN")).as("the runtime stage runs nothing, so it installs nothing").isEmpty();
    assertThat(String.join("\n", runtime.instructions())).doesNotContainPattern(PACKAGE_MANAGERS);
    assertThat(runtime.all("COPY")).singleElement().asString().contains("--from=builder").contains("/opt/keycloak/");
    assertNumericNonRootUser(runtime);
    assertThat(runtime.all("CMD")).singleElement().asString().contains("\"start\", \"--optimized\"");
  }

  @Test
  void serviceImageCopiesTheShadedJarOfEachModule() throws IOException {
    List<Stage> stages = stages(Tools.repoRoot().resolve("images/Containerfile"));
    assertThat(stages).hasSize(1);
    Stage stage = stages.get(0);
    assertNumericNonRootUser(stage);
    assertThat(stage.all("COPY")).singleElement().asString().contains("${SERVICE}/target/${SERVICE}.jar");
    for (String module : List.of("webhook", "reconciler", "realm-sync")) {
      String pom = Files.readString(Tools.repoRoot().resolve(module + "/pom.xml"));
      assertThat(pom).as(module + " shades " + module + ".jar").contains("<cli.jar.name>" + module + "</cli.jar.name>");
    }
  }

  private static void assertNumericNonRootUser(Stage stage) {
    assertThat(stage.all("USER")).singleElement().satisfies(user -> {
      Matcher m = Pattern.compile("USER (\\d+)(:\\d+)?").matcher(user);
      assertThat(m.matches()).as(user + " is numeric (runAsNonRoot can only verify a numeric user)").isTrue();
      assertThat(Integer.parseInt(m.group(1))).isPositive();
    });
  }

  /** FROM-separated stages of instructions, comments dropped, continuation lines joined. */
  static List<Stage> stages(Path containerfile) throws IOException {
    List<Stage> stages = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(containerfile)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      String instruction = pending.append(trimmed).toString().replaceAll("\\s+", " ");
      pending.setLength(0);
      if (instruction.startsWith("FROM ")) {
        stages.add(new Stage(instruction.substring(5), new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(instruction);
      }
    }
    return stages;
  }
}
