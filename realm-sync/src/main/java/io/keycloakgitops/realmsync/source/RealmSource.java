package io.keycloakgitops.realmsync.source;

import java.util.List;

/** Where realm files come from: a folder, or a Git branch. */
public interface RealmSource extends AutoCloseable {
  /**
   * The realm files at the current revision. {@code revision} is a commit id (or a content hash for a folder);
   * {@code problems} lists entries that could not be read as realm files.
   */
  record Snapshot(String revision, List<RealmDocument> documents) {}

  /** Reads the current revision; a {@link SourceException} when the source cannot be reached. */
  Snapshot fetch();

  String describe();

  @Override
  default void close() {}
}
