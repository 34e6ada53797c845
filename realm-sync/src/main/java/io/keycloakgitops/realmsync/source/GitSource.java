package io.keycloakgitops.realmsync.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A branch of a Git repository, fetched with JGit into a private bare cache. Files are read straight from the
 * fetched commit's tree (no work tree to keep clean); the fetch refspec is forced, so a force-pushed branch is
 * followed like any other move. Executable files are read like any other; a realm-named entry that is not a file
 * (a symlink, a submodule, a folder) is reported as failed, so its realm is never taken for deleted.
 */
public final class GitSource implements RealmSource {
  private static final int TIMEOUT_SECONDS = 30;
  /** A realm file larger than this is refused rather than loaded into memory. */
  private static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  private final GitSettings settings;
  private final Git git;
  private final SshdSessionFactory ssh;
  private List<String> fragmentGlobs = List.of();

  public GitSource(GitSettings settings) {
    this.settings = settings;
    try {
      Path cache = settings.cacheDir() != null ? settings.cacheDir() : Files.createTempDirectory("realm-sync-git");
      Files.createDirectories(cache);
      this.git = Files.exists(cache.resolve("HEAD")) ? Git.open(cache.toFile())
          : Git.init().setBare(true).setDirectory(cache.toFile()).call();
      this.ssh = settings.sshKeyFile() == null ? null : sshFactory(settings, cache);
    } catch (IOException | GitAPIException e) {
      throw new SourceException("cannot prepare the Git cache: " + GitSettings.redact(e.getMessage()), e);
    }
  }

  /** Also reads fragment files: repository paths matching one of {@code globs} (see {@link Tenancy#glob}). */
  public GitSource withFragments(List<String> globs) {
    this.fragmentGlobs = List.copyOf(globs);
    return this;
  }

  @Override
  public Snapshot fetch() {
    String remoteRef = "refs/remotes/origin/" + settings.branch();
    try {
      var fetch = git.fetch().setRemote(uri()).setTimeout(TIMEOUT_SECONDS)
          .setRefSpecs(new RefSpec("+refs/heads/" + settings.branch() + ":" + remoteRef))
          .setTransportConfigCallback(transportConfig());
      if (settings.token() != null && !settings.token().isBlank()) {
        fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider(settings.username(), settings.token()));
      }
      fetch.call();
      Ref ref = git.getRepository().exactRef(remoteRef);
      if (ref == null) {
        throw new SourceException("branch " + settings.branch() + " not found in " + settings, null);
      }
      return read(ref.getObjectId());
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof SourceException) {
        throw (SourceException) e;
      }
      // JGit messages may quote the URL with its user info (a token): only the redacted text travels on, and not
      // the exception itself, whose message and causes a logger would print.
      throw new SourceException("cannot fetch " + settings + ": " + safe(rootMessage(e)), null);
    }
  }

  /** A message with the URL user info and the token removed, whatever form JGit quoted them in. */
  private String safe(String message) {
    String out = GitSettings.redact(message);
    for (String secret : secrets()) {
      out = out.replace(secret, "***");
    }
    return out;
  }

  private List<String> secrets() {
    var out = new ArrayList<String>();
    if (settings.token() != null && !settings.token().isBlank()) {
      out.add(settings.token());
    }
    var userInfo = java.util.regex.Pattern.compile("://([^/?#\\s]*)@").matcher(settings.repo());
    if (userInfo.find()) {
      // The password part of user:password, or the whole user info when a token is given as the user name.
      String info = userInfo.group(1);
      String secret = info.substring(info.indexOf(':') + 1);
      if (!secret.isEmpty()) {
        out.add(secret);
        try {
          out.add(java.net.URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // not percent-encoded: the literal form is covered
        }
      }
    }
    return out;
  }

  /** URLs (https, ssh, file, scp-like {@code git@host:path}) as given; anything else is a local path. */
  private String uri() {
    String repo = settings.repo();
    boolean url = repo.contains("://") || repo.matches("^[^/]+@[^/]+:.*");
    return url ? repo : Path.of(repo).toAbsolutePath().toUri().toString();
  }

  private Snapshot read(ObjectId commitId) throws IOException {
    Repository repo = git.getRepository();
    var documents = new ArrayList<RealmDocument>();
    try (var walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      ObjectId tree = commit.getTree();
      if (!settings.path().isEmpty()) {
        try (TreeWalk folder = TreeWalk.forPath(repo, settings.path(), tree)) {
          if (folder == null || !folder.isSubtree()) {
            return new RealmSource.Snapshot(commit.getName(), List.of());
          }
          tree = folder.getObjectId(0);
        }
      }
      try (var files = new TreeWalk(repo)) {
        files.addTree(tree);
        files.setRecursive(false);
        while (files.next()) {
          String name = files.getNameString();
          String realm = RealmDocument.realmOf(name);
          if (realm == null) {
            continue;
          }
          String path = (settings.path().isEmpty() ? "" : settings.path() + "/") + name;
          FileMode mode = files.getFileMode(0);
          // 100644 and 100755 are both plain files: the executable bit says nothing about a realm.
          if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            try {
              String content = new String(repo.open(files.getObjectId(0)).getBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
              documents.add(new RealmDocument(realm, path, content));
            } catch (LargeObjectException e) {
              documents.add(RealmDocument.unreadable(realm, path, "larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB"));
            }
          } else {
            documents.add(RealmDocument.unreadable(realm, path, "not a regular file (Git mode " + mode + ")"));
          }
        }
      }
      readFragments(repo, commit.getTree(), documents);
      return new RealmSource.Snapshot(commit.getName(), documents);
    }
  }

  /** Every file of the commit matching a fragment glob that is not already a realm file. */
  private void readFragments(Repository repo, ObjectId tree, List<RealmDocument> documents) throws IOException {
    if (fragmentGlobs.isEmpty()) {
      return;
    }
    var globs = fragmentGlobs.stream().map(Tenancy::glob).toList();
    var mainPaths = documents.stream().map(RealmDocument::path).collect(java.util.stream.Collectors.toSet());
    try (var files = new TreeWalk(repo)) {
      files.addTree(tree);
      files.setRecursive(true);
      while (files.next()) {
        String path = files.getPathString();
        if (RealmDocument.realmOf(files.getNameString()) == null || mainPaths.contains(path)
            || globs.stream().noneMatch(g -> g.matcher(path).matches())) {
          continue;
        }
        FileMode mode = files.getFileMode(0);
        if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          try {
            documents.add(RealmDocument.fragment(path,
                new String(repo.open(files.getObjectId(0)).getBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8), null));
          } catch (LargeObjectException e) {
            documents.add(RealmDocument.fragment(path, null, "larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB"));
          }
        } else {
          documents.add(RealmDocument.fragment(path, null, "not a regular file (Git mode " + mode + ")"));
        }
      }
    }
  }

  private TransportConfigCallback transportConfig() {
    return transport -> {
      if (ssh != null && transport instanceof SshTransport sshTransport) {
        sshTransport.setSshSessionFactory(ssh);
      }
    };
  }

  private static SshdSessionFactory sshFactory(GitSettings settings, Path cache) throws IOException {
    Path home = Files.createDirectories(cache.resolve("ssh-home"));
    var builder = new SshdSessionFactoryBuilder().setHomeDirectory(home.toFile())
        .setSshDirectory(home.toFile())
        .setDefaultIdentities(dir -> List.of(settings.sshKeyFile()));
    if (settings.knownHostsFile() != null) {
      builder.setDefaultKnownHostsFiles(dir -> List.of(settings.knownHostsFile()));
    }
    return builder.build(null);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
  }

  @Override
  public String describe() {
    return settings.toString();
  }

  @Override
  public void close() {
    git.close();
    if (ssh != null) {
      ssh.close();
    }
  }
}
