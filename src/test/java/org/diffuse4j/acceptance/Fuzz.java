package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The fuzz suite's harness: fingerprint the files a command may touch, run the command, then assert
 * the exit status, that the message names the cause, and that no existing file changed.
 *
 * <p>Each {@code *FuzzTest} class is one category of docs/reliability.md; each parameterised row is
 * one case.
 */
final class Fuzz {
  private Fuzz() {}

  /** Exit status of a rejected input or option (picocli parameter errors and {@code OptionException}). */
  static final int USAGE = 2;

  /** Path (relative to a watched root) → SHA-256 of the content, or "dir" / "link→target". */
  static Map<String, String> fingerprint(Path root) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(p -> out.put(root.relativize(p).toString(), describe(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String describe(Path p) {
    try {
      if (Files.isSymbolicLink(p)) {
        return "link→" + Files.readSymbolicLink(p);
      }
      if (Files.isDirectory(p)) {
        return "dir";
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
          md.update(buf, 0, r);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fingerprints taken now of the given roots (files or folders), to compare after a command. */
  static Watch watch(Path... roots) {
    return new Watch(roots);
  }

  /** The state of some files and folders before a command. */
  static final class Watch {
    private final Path[] roots;
    private final Map<Path, Map<String, String>> before = new TreeMap<>();

    private Watch(Path[] roots) {
      this.roots = roots.clone();
      for (Path r : roots) {
        before.put(r, fingerprint(r));
      }
    }

    /** Asserts that every watched root is exactly as it was (same files, same bytes, nothing added). */
    void assertUnchanged(String why) {
      for (Path r : roots) {
        assertThat(fingerprint(r)).as("%s must leave %s as it was", why, r).isEqualTo(before.get(r));
      }
    }

    /**
     * Asserts the command failed with {@code exit}, printed every part of {@code message} on stderr
     * (case-insensitive), printed no stack trace, and left every watched root as it was.
     */
    void assertRejected(Cli c, int exit, String... message) {
      assertThat(c.code()).as("exit status; stderr: %s", c.err()).isEqualTo(exit);
      for (String part : message) {
        assertThat(c.err()).as("the message names the cause").containsIgnoringCase(part);
      }
      assertThat(c.err()).as("no stack trace without --verbose").doesNotContain("\tat ");
      assertUnchanged("a failed command");
    }
  }
}
