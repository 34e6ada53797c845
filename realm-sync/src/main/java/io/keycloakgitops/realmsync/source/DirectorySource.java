package io.keycloakgitops.realmsync.source;

import io.keycloakgitops.realmsync.engine.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Realm files in a plain folder: {@code <dir>/<realm>.json} (or .yaml/.yml), whatever their permission bits. A
 * realm-named entry that is not a regular file, or that cannot be read, is reported as failed, not skipped.
 */
public final class DirectorySource implements RealmSource {
  private final Path dir;
  private List<String> fragmentGlobs = List.of();

  public DirectorySource(Path dir) {
    this.dir = dir;
  }

  /** Also reads fragment files: paths relative to the folder matching one of {@code globs}. */
  public DirectorySource withFragments(List<String> globs) {
    this.fragmentGlobs = List.copyOf(globs);
    return this;
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
    readFragments(documents, digest);
    return new Snapshot("sha256:" + Json.sha256(digest.toString()).substring(0, 12), documents);
  }

  private void readFragments(List<RealmDocument> documents, StringBuilder digest) {
    if (fragmentGlobs.isEmpty()) {
      return;
    }
    var globs = fragmentGlobs.stream().map(Tenancy::glob).toList();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        String relative = dir.relativize(file).toString().replace('\\', '/');
        if (file.getParent().equals(dir) && RealmDocument.realmOf(file.getFileName().toString()) != null
            || RealmDocument.realmOf(file.getFileName().toString()) == null || Files.isDirectory(file)
            || globs.stream().noneMatch(g -> g.matcher(relative).matches())) {
          continue;
        }
        String content = null;
        String why = Files.isRegularFile(file) ? null : "not a regular file";
        if (why == null) {
          try {
            content = Files.readString(file);
          } catch (IOException e) {
            why = e.getClass().getSimpleName();
          }
        }
        documents.add(RealmDocument.fragment(file.toString(), content, why));
        digest.append(relative).append('\u0000').append(content == null ? "(unreadable)" : content);
      }
    } catch (IOException e) {
      throw new SourceException("cannot read fragments below " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
