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
  private final CommitSignatures signatures;
  private final String ref;
  private final Git git;
  private final SshdSessionFactory ssh;
  private List<String> fragmentGlobs = List.of();

  public GitSource(GitSettings settings) {
    this(settings, null, null);
  }

  /**
   * {@code signatures}: when not null, a head commit without a good signature by a trusted key is refused
   * ({@link CommitSignatures.UntrustedCommitException}). {@code ref}: when not null, read this branch, tag, full ref
   * name or commit id instead of the settings' branch.
   */
  public GitSource(GitSettings settings, CommitSignatures signatures, String ref) {
    this.settings = settings;
    this.signatures = signatures;
    this.ref = ref == null || ref.isBlank() ? null : ref.trim();
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
    try {
      ObjectId head = ref == null ? fetchBranch() : fetchRef();
      if (signatures != null) {
        try (var walk = new RevWalk(git.getRepository())) {
          signatures.check(git.getRepository(), walk.parseCommit(head));
        }
      }
      return read(head);
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof SourceException) {
        throw (SourceException) e;
      }
      // JGit messages may quote the URL with its user info (a token): only the redacted text travels on, and not
      // the exception itself, whose message and causes a logger would print.
      throw new SourceException("cannot fetch " + settings + ": " + safe(rootMessage(e)), null);
    }
  }

  private ObjectId fetchBranch() throws GitAPIException, IOException {
    String remoteRef = "refs/remotes/origin/" + settings.branch();
    fetch(new RefSpec("+refs/heads/" + settings.branch() + ":" + remoteRef));
    Ref found = git.getRepository().exactRef(remoteRef);
    if (found == null) {
      throw new SourceException("branch " + settings.branch() + " not found in " + settings, null);
    }
    return found.getObjectId();
  }

  /**
   * All branches and tags (and a full ref name such as refs/pull/7/head when one is asked for), then {@code ref}
   * resolved as a branch, a tag, a full ref or a commit id reachable from them.
   */
  private ObjectId fetchRef() throws GitAPIException, IOException {
    var specs = new ArrayList<>(List.of(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
        new RefSpec("+refs/tags/*:refs/tags/*")));
    if (ref.startsWith("refs/") && !ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) {
      specs.add(new RefSpec("+" + ref + ":refs/fetched/" + ref.substring("refs/".length())));
    } else if (ref.equals("HEAD") || ref.matches("[0-9a-fA-F]{7,40}")) {
      // A CI checkout is often a detached merge commit: reachable from the remote's HEAD or its other refs only.
      specs.add(new RefSpec("+HEAD:refs/fetched/HEAD"));
      specs.add(new RefSpec("+refs/*:refs/fetched/all/*"));
    }
    fetch(specs.toArray(RefSpec[]::new));
    Repository repo = git.getRepository();
    String name = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    for (String candidate : List.of("refs/remotes/origin/" + name, "refs/tags/" + name,
        "refs/fetched/" + name.replaceFirst("^refs/", ""))) {
      Ref found = repo.exactRef(candidate);
      if (found != null) {
        ObjectId peeled = repo.resolve(candidate + "^{commit}");
        return peeled != null ? peeled : found.getObjectId();
      }
    }
    if (name.matches("[0-9a-fA-F]{7,40}")) {
      try {
        ObjectId commit = repo.resolve(name + "^{commit}");
        if (commit != null) {
          return commit;
        }
      } catch (org.eclipse.jgit.errors.AmbiguousObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
        throw new SourceException("ref " + ref + " in " + GitSettings.redact(settings.repo()) + ": " + e.getMessage(), null);
      }
    }
    throw new SourceException("ref " + ref + " not found in " + GitSettings.redact(settings.repo())
        + " (not a branch, tag or commit of a branch or tag)", null);
  }

  private void fetch(RefSpec... specs) throws GitAPIException {
    var fetch = git.fetch().setRemote(uri()).setTimeout(TIMEOUT_SECONDS).setRefSpecs(specs)
        .setTransportConfigCallback(transportConfig());
    if (settings.token() != null && !settings.token().isBlank()) {
      fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider(settings.username(), settings.token()));
    }
    fetch.call();
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
    return ref == null ? settings.toString() : GitSettings.redact(settings.repo()) + "@" + ref
        + (settings.path().isEmpty() ? "" : ":" + settings.path());
  }

  @Override
  public void close() {
    git.close();
    if (ssh != null) {
      ssh.close();
    }
  }
}
