package io.keycloakgitops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A bare repository on disk (what realm-sync watches, as a remote would be) and a work tree cloned from it, where
 * tests edit files, commit and push — with JGit, or with the git CLI where interop must be shown.
 */
public final class GitRepo implements AutoCloseable {
  private final Path bare;
  private final Path work;
  private final Git git;
  private final String branch;

  private GitRepo(Path bare, Path work, Git git, String branch) {
    this.bare = bare;
    this.work = work;
    this.git = git;
    this.branch = branch;
  }

  /** A new bare repository with an initial commit on {@code branch}, and a work tree tracking it. */
  public static GitRepo create(Path dir, String branch) {
    try {
      Path bare = dir.resolve("remote.git");
      Path work = dir.resolve("work");
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch(branch).call().close();
      Git git = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call();
      git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
      GitRepo repo = new GitRepo(bare, work, git, branch);
      repo.write("README.md", "realms managed by keycloak-gitops\n");
      repo.commitAndPush("initial commit");
      return repo;
    } catch (GitAPIException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path bareDir() {
    return bare;
  }

  /** The URL realm-sync clones from (file://). */
  public String url() {
    return bare.toUri().toString();
  }

  public Path workDir() {
    return work;
  }

  public String branch() {
    return branch;
  }

  public GitRepo write(String path, String content) {
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GitRepo delete(String path) {
    try {
      Files.deleteIfExists(work.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stages everything (additions and deletions), commits and pushes; returns the commit id. */
  public String commitAndPush(String message) {
    return commitAndPush(message, null);
  }

  /** As {@link #commitAndPush(String)}, the commit signed by {@code signer} (null: unsigned). */
  public String commitAndPush(String message, org.eclipse.jgit.lib.Signer signer) {
    try {
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      PersonIdent author = new PersonIdent("Test Author", "author@example.invalid");
      var command = git.commit().setMessage(message).setAuthor(author).setCommitter(author).setAllowEmpty(true);
      if (signer != null) {
        command.setSign(true).setSigner(signer).setSigningKey("test");
      }
      RevCommit commit = command.call();
      git.push().setRemote("origin").setRefSpecs(new RefSpec(branch + ":" + branch)).call();
      return commit.getName();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves the branch back to {@code commit} locally and force-pushes it, rewriting the remote's history. */
  public void forcePushTo(String commit) {
    try {
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
      git.push().setRemote("origin").setRefSpecs(new RefSpec("+" + branch + ":" + branch)).setForce(true).call();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the git CLI in the work tree. */
  public ProcessResult gitCli(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=CLI Author", "-c", "user.email=cli@example.invalid"));
    command.addAll(List.of(args));
    return Commands.run(work, Map.of(), null, Duration.ofMinutes(1), command);
  }

  @Override
  public void close() {
    git.close();
  }
}
