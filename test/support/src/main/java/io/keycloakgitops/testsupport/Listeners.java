package io.keycloakgitops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process tree listens on, read from /proc (Linux). Tests use it to prove that every server
 * they start binds to loopback only.
 */
public final class Listeners {
  private Listeners() {}

  /** Listening addresses ("ip:port") of the process and its descendants that are not on loopback. */
  public static List<String> nonLoopback(ProcessHandle process) {
    Set<String> inodes = new HashSet<>();
    Stream.concat(Stream.of(process), process.descendants()).forEach(p -> inodes.addAll(socketInodes(p.pid())));
    List<String> result = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String[] row : rows(table)) {
        boolean listening = "0A".equals(row[3]);
        if (listening && inodes.contains(row[9]) && !isLoopback(row[1])) {
          result.add(row[1]);
        }
      }
    }
    return result;
  }

  /** Number of listening sockets of the process tree (to show the check saw something). */
  public static int listeningCount(ProcessHandle process) {
    Set<String> inodes = new HashSet<>();
    Stream.concat(Stream.of(process), process.descendants()).forEach(p -> inodes.addAll(socketInodes(p.pid())));
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String[] row : rows(table)) {
        if ("0A".equals(row[3]) && inodes.contains(row[9])) {
          count++;
        }
      }
    }
    return count;
  }

  static boolean isLoopback(String hexAddressAndPort) {
    String address = hexAddressAndPort.substring(0, hexAddressAndPort.indexOf(':'));
    if (address.length() == 8) {
      return address.endsWith("7F"); // 127.x.x.x, little-endian
    }
    return address.equals("00000000000000000000000001000000") // ::1
        || (address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F")); // ::ffff:127.x
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    Path fds = Paths.get("/proc", Long.toString(pid), "fd");
    try (Stream<Path> links = Files.list(fds)) {
      links.forEach(link -> {
        try {
          String target = Files.readSymbolicLink(link).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException ignored) {
          // descriptor closed while listing
        }
      });
    } catch (IOException ignored) {
      // process gone
    }
    return inodes;
  }

  private static List<String[]> rows(String table) {
    try {
      return Files.readAllLines(Paths.get(table)).stream().skip(1).map(l -> l.trim().split("\\s+")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
