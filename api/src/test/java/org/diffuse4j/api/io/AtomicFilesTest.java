package org.diffuse4j.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndReplacesContentWithoutLeftovers() throws IOException {
    Path f = dir.resolve("metrics.json");
    AtomicFiles.writeString(f, "{\"a\": 1}");
    assertThat(Files.readString(f)).isEqualTo("{\"a\": 1}");
    AtomicFiles.writeString(f, "{}");
    assertThat(Files.readString(f)).isEqualTo("{}");
    AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
    assertThat(names(dir)).containsExactly("metrics.json");
  }

  @Test
  void aFailedWriteNamesTheFileTheReasonAndWhatWasKept() throws IOException {
    Path file = dir.resolve("f");
    Files.writeString(file, "a file, not a folder");
    Path inside = file.resolve("x.npy");
    assertThatThrownBy(() -> AtomicFiles.writeString(inside, "x"))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot write " + inside.toAbsolutePath() + ": " + file.toAbsolutePath()
            + " exists and is not a folder; nothing was written");
    Path sub = dir.resolve("sub");
    Files.createDirectory(sub);
    Files.writeString(sub.resolve("keep.txt"), "kept");
    assertThatThrownBy(() -> AtomicFiles.writeString(sub, "oops"))
        .hasMessageStartingWith("cannot write " + sub.toAbsolutePath() + ": ")
        .hasMessageEndingWith("; nothing was written");
    assertThat(Files.readString(sub.resolve("keep.txt"))).isEqualTo("kept");
  }

  @Test
  void createsMissingParentDirectories() throws IOException {
    Path f = dir.resolve("a/b/c.txt");
    AtomicFiles.writeString(f, "x");
    assertThat(Files.readString(f)).isEqualTo("x");
  }

  @Test
  void writtenFilesAreNotOwnerOnly() throws IOException {
    Path f = dir.resolve("samples.npy");
    AtomicFiles.writeBytes(f, new byte[] {0});
    if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
      // Same permissions as any new file (following the umask), not Files.createTempFile's rw-------.
      Path plain = Files.createFile(dir.resolve("plain"));
      assertThat(perms).isEqualTo(Files.getPosixFilePermissions(plain));
    }
  }

  @Test
  void failedWriteLeavesOldContentAndNoTempFile() throws IOException {
    Path target = dir.resolve("sub");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "kept");
    // Replacing a non-empty directory by a file fails; nothing must be left behind.
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "oops")).isInstanceOf(IOException.class);
    assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("kept");
    assertThat(names(dir)).containsExactly("sub");
  }

  @Test
  void replaceDirectorySwapsContent() throws IOException {
    Path target = dir.resolve("checkpoint");
    Path staged = dir.resolve("checkpoint.staged");
    makeDir(target, "step 100");
    makeDir(staged, "step 200");
    AtomicFiles.replaceDirectory(staged, target);
    assertThat(Files.readString(target.resolve("state.txt"))).isEqualTo("step 200");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void replaceDirectoryWorksWhenTargetIsNew() throws IOException {
    Path target = dir.resolve("checkpoint");
    Path staged = dir.resolve("tmp-ckpt");
    makeDir(staged, "first");
    AtomicFiles.replaceDirectory(staged, target);
    assertThat(Files.readString(target.resolve("state.txt"))).isEqualTo("first");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void recoversWhenCrashedAfterMovingTargetAside() throws IOException {
    // Crash between "target -> target.old" and "staged -> target": only .old holds a version.
    Path target = dir.resolve("checkpoint");
    makeDir(dir.resolve("checkpoint.old"), "step 100");
    AtomicFiles.recoverDirectory(target);
    assertThat(Files.readString(target.resolve("state.txt"))).isEqualTo("step 100");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void recoversWhenCrashedBeforeDeletingOld() throws IOException {
    // Crash after "staged -> target" but before ".old" was deleted: the new version wins.
    Path target = dir.resolve("checkpoint");
    makeDir(target, "step 200");
    makeDir(dir.resolve("checkpoint.old"), "step 100");
    AtomicFiles.recoverDirectory(target);
    assertThat(Files.readString(target.resolve("state.txt"))).isEqualTo("step 200");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void replaceDirectoryRecoversFromAnInterruptedSwapFirst() throws IOException {
    Path target = dir.resolve("checkpoint");
    makeDir(dir.resolve("checkpoint.old"), "step 100"); // interrupted earlier swap
    Path staged = dir.resolve("staged");
    makeDir(staged, "step 300");
    AtomicFiles.replaceDirectory(staged, target);
    assertThat(Files.readString(target.resolve("state.txt"))).isEqualTo("step 300");
    assertThat(names(dir)).containsExactly("checkpoint");
  }

  @Test
  void replaceDirectoryRejectsDifferentParentsAndMissingStaged() throws IOException {
    Path target = dir.resolve("checkpoint");
    Files.createDirectories(dir.resolve("elsewhere"));
    Path staged = dir.resolve("elsewhere/staged");
    makeDir(staged, "x");
    assertThatThrownBy(() -> AtomicFiles.replaceDirectory(staged, target)).hasMessageContaining("same directory");
    assertThatThrownBy(() -> AtomicFiles.replaceDirectory(dir.resolve("missing"), target))
        .hasMessageContaining("does not exist");
  }

  private static void makeDir(Path d, String state) throws IOException {
    Files.createDirectories(d.resolve("nested"));
    Files.writeString(d.resolve("state.txt"), state);
    Files.writeString(d.resolve("nested/weights.bin"), state + " weights");
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
