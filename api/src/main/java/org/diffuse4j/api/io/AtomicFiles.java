package org.diffuse4j.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so a crash never leaves a half-written file in place: write to a temp sibling, fsync,
 * atomic move.
 *
 * <p>Temp files are named {@code .NAME.tmp-RANDOM} in the target's directory, so the final rename
 * never crosses a file system. A reader sees either the old content or the new, never a mixture.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Suffix of the directory that holds the previous version during {@link #replaceDirectory}. */
  static final String OLD_SUFFIX = ".old";

  /**
   * Atomically writes {@code content} as UTF-8 to {@code file}, replacing any existing file.
   *
   * @param file the file to write; missing parent folders are created
   * @param content the text, written as UTF-8
   * @throws IOException if the file cannot be written; the message names the file and the reason
   */
  public static void writeString(Path file, String content) throws IOException {
    writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically writes {@code content} to {@code file}, replacing any existing file. On failure (a
   * full disk, a read-only folder) the IOException names the file, the reason, and what was kept.
   *
   * @param file the file to write; missing parent folders are created
   * @param content the bytes to write
   * @throws IOException if the file cannot be written; the message names the file, the reason and whether the
   *     previous content was kept
   */
  public static void writeBytes(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    boolean existed = Files.isRegularFile(target);
    try {
      write(target, content);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + IoErrors.reason(e) + "; "
          + (existed ? "its previous content is kept" : "nothing was written"), e);
    }
  }

  private static void write(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: that would give the final file owner-only permissions.
    String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + random);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      move(temp, target);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp); // only still there if something failed
    }
  }

  /**
   * Atomically replaces directory {@code target} by the fully written directory {@code staged}
   * (same parent): rename target→target.old, staged→target, then delete .old; recovers if a
   * previous swap was interrupted.
   *
   * <p>At every instant either {@code target} or {@code target.old} holds a complete version, and
   * {@link #recoverDirectory} (called here first) turns any interrupted state back into a plain
   * {@code target}.
   *
   * @param staged the complete new version, a directory next to {@code target}
   * @param target the directory to replace; it need not exist yet
   * @throws IOException if the two are not siblings, {@code staged} is not a directory, or a move or delete
   *     fails
   */
  public static void replaceDirectory(Path staged, Path target) throws IOException {
    Path stagedAbs = staged.toAbsolutePath().normalize();
    Path targetAbs = target.toAbsolutePath().normalize();
    if (!stagedAbs.getParent().equals(targetAbs.getParent())) {
      throw new IOException("cannot swap " + staged + " into " + target
          + ": they must be in the same directory");
    }
    if (!Files.isDirectory(stagedAbs)) {
      throw new IOException("cannot swap " + staged + " into " + target
          + ": staged directory does not exist");
    }
    recoverDirectory(targetAbs);
    Path old = oldSibling(targetAbs);
    if (Files.exists(targetAbs)) {
      move(targetAbs, old);
    }
    move(stagedAbs, targetAbs);
    syncDirectory(targetAbs.getParent());
    deleteTree(old);
  }

  /**
   * Repairs the state left by an interrupted {@link #replaceDirectory}: if only {@code target.old}
   * exists, it is renamed back to {@code target}; if both exist, the swap had finished and
   * {@code target.old} is deleted. Does nothing when there is no {@code target.old}. Call this
   * before reading a directory that is written with {@code replaceDirectory} (e.g. on resume).
   *
   * @param target the directory that {@link #replaceDirectory} writes
   * @throws IOException if the rename back or the delete fails
   */
  public static void recoverDirectory(Path target) throws IOException {
    Path targetAbs = target.toAbsolutePath().normalize();
    Path old = oldSibling(targetAbs);
    if (!Files.exists(old)) {
      return;
    }
    if (Files.exists(targetAbs)) {
      deleteTree(old);
    } else {
      move(old, targetAbs);
      syncDirectory(targetAbs.getParent());
    }
  }

  static Path oldSibling(Path target) {
    return target.resolveSibling(target.getFileName() + OLD_SUFFIX);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot move " + from + " to " + to + " atomically", e);
    }
  }

  /** Makes a rename durable by syncing the directory; silently skipped where not supported. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (e.g. Windows) cannot open a directory; the rename is still atomic there.
    }
  }

  /**
   * Deletes {@code root} and everything below it; nothing when it does not exist.
   *
   * @param root the file or directory to delete
   * @throws IOException if a file or directory below it cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
