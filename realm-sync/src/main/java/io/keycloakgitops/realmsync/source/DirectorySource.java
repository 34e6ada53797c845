package io.keycloakgitops.realmsync.source;

import io.keycloakgitops.realmsync.engine.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Realm files in a plain folder: {@code <dir>/<realm>.json} (or .yaml/.yml), whatever their permission bits. A
 * realm-named entry that is not a regular file, or that cannot be read, is reported as failed, not skipped.
 */
public final class DirectorySource implements RealmSource {
  private final Path dir;

  public DirectorySource(Path dir) {
    this.dir = dir;
  }

  @Override
  public Snapshot fetch() {
    if (!Files.isDirectory(dir)) {
      throw new SourceException("realm folder " + dir + " does not exist", null);
    }
    var documents = new ArrayList<RealmDocument>();
    var digest = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        String realm = RealmDocument.realmOf(file.getFileName().toString());
        if (realm == null) {
          continue;
        }
        if (!Files.isRegularFile(file)) {
          documents.add(RealmDocument.unreadable(realm, file.toString(), "not a regular file"));
          digest.append(realm).append("\u0000(unreadable)");
          continue;
        }
        try {
          String content = Files.readString(file);
          documents.add(new RealmDocument(realm, file.toString(), content));
          digest.append(realm).append('\u0000').append(content);
        } catch (IOException e) {
          documents.add(RealmDocument.unreadable(realm, file.toString(), e.getClass().getSimpleName()));
          digest.append(realm).append("\u0000(unreadable)");
        }
      }
    } catch (IOException e) {
      throw new SourceException("cannot read realm folder " + dir + ": " + e.getMessage(), e);
    }
    return new Snapshot("sha256:" + Json.sha256(digest.toString()).substring(0, 12), documents);
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
