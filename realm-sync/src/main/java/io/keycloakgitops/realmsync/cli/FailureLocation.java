package io.keycloakgitops.realmsync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Points a change Keycloak refused at the file: the first line declaring the refused object's key (for a nested key
 * such as {@code client/role}, its last part), so an editor can jump to it as it does for schema errors.
 */
final class FailureLocation {
  /** How a failed change starts its message: {@code + client "web": ...}. */
  private static final Pattern CHANGE = Pattern.compile("^[+~-] [\\w-]+ \"([^\"]+)\"");

  private FailureLocation() {}

  /** {@code path:line} for the object the failure names, or null when the file or the object is not found. */
  static String of(String path, String failure) {
    var m = CHANGE.matcher(failure == null ? "" : failure);
    Path file = Path.of(path);
    if (!m.find() || !Files.isRegularFile(file)) {
      return null;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return null;
    }
    String key = m.group(1);
    for (String candidate : List.of(key, key.substring(key.lastIndexOf('/') + 1))) {
      var value = Pattern.compile(":\\s*\"" + Pattern.quote(candidate) + "\"");
      for (int i = 0; i < lines.size(); i++) {
        if (value.matcher(lines.get(i)).find()) {
          return path + ":" + (i + 1);
        }
      }
    }
    return null;
  }
}
