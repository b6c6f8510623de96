package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * I/O faults: a disk that fills up for real (a small tmpfs mounted by the test, so it needs root, as
 * CI has), a read-only file system, and paths that are folders, files or dangling links where the
 * command expects otherwise. Tests run as root, where chmod 000 does not deny anything, so
 * unreadable and unwritable paths are made with a read-only mount and with the wrong kind of file.
 * Each row asserts the exit status, a message naming the path and the reason (and, for writes, what
 * was kept), and that the files the command must not touch are as they were.
 */
class IoFaultFuzzTest {
  /** Exit status of an I/O failure (not a usage error). */
  private static final int IO = 1;

  @TempDir static Path work;
  private static Path base;
  private static Path manifest;

  @BeforeAll
  static void trainOnce() throws IOException {
    manifest = work.resolve("tiny.yaml");
    Files.writeString(manifest, CheckpointFuzzTest.TINY);
    base = work.resolve("base");
    Cli c = Cli.run("run", manifest.toString(), "--out", base.toString());
    assertThat(c.code()).as(c.err()).isZero();
  }

  /** What one row runs and expects. {@code after} runs once the rejection has been asserted. */
  record Case(String[] args, List<Path> watched, int exit, String[] message, After after) {}

  /** A check after the failure (e.g. that space freed up lets the run resume). */
  @FunctionalInterface
  interface After {
    void check() throws Exception;
  }

  /** Prepares a row in {@code dir} (a tmpfs when the row asked for one) and says what to run. */
  @FunctionalInterface
  interface Setup {
    Case prepare(Path dir) throws Exception;
  }

  private static Case expect(String[] args, List<Path> watched, String... message) {
    return new Case(args, watched, IO, message, () -> { });
  }

  private static String[] args(Object... a) {
    return Stream.of(a).map(Object::toString).toArray(String[]::new);
  }

  /** Fills the file system of {@code dir} until {@code leave} bytes are free. */
  private static Path fill(Path dir, long leave) throws IOException {
    FileStore store = Files.getFileStore(dir);
    Path filler = dir.resolve("filler");
    long size = store.getUsableSpace() - leave;
    try (var out = Files.newOutputStream(filler)) {
      byte[] block = new byte[8192];
      for (long w = 0; w < size; w += block.length) {
        out.write(block, 0, (int) Math.min(block.length, size - w));
      }
    }
    return filler;
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s (this test mounts a small tmpfs to fill a disk for real; it needs root, as CI has)",
        String.join(" ", command), out).isZero();
  }

  private static Arguments row(String name, int tmpfsKb, Setup setup) {
    return Arguments.of(name, tmpfsKb, setup);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("disk full at a checkpoint while resuming", 4096, dir -> {
          Path run = CheckpointFuzzTest.copyOfRun(base, dir.resolve("run"));
          Path filler = fill(dir, 8 * 1024);
          String[] resume = args("run", manifest, "--out", run, "--resume", "--set", "training.steps=60");
          return new Case(resume, List.of(run.resolve("checkpoint")), IO, new String[] {"cannot write checkpoint",
              run.resolve("checkpoint").toString(), "no space left on device", "the previous checkpoint (step 50) is kept"},
              () -> {
                assertThat(run.resolve("checkpoint.staging")).doesNotExist();
                Files.delete(filler);
                Cli again = Cli.run(resume);
                assertThat(again.code()).as(again.err()).isZero();
                assertThat(again.out()).contains("resumed from", "at step 50");
              });
        }),
        row("disk full at the first checkpoint", 1024, dir -> {
          Path run = dir.resolve("run");
          fill(dir, 12 * 1024);
          return new Case(args("run", manifest, "--out", run), List.of(manifest), IO, new String[] {"cannot write checkpoint",
              run.resolve("checkpoint").toString(), "no space left on device", "no checkpoint had been saved yet"},
              () -> assertThat(run.resolve("checkpoint.staging")).doesNotExist());
        }),
        row("disk full writing samples.npy", 2048, dir -> {
          Path run = dir.resolve("run");
          // room for the checkpoint, TensorBoard files and the loss plot (PNG and SVG), not for 100000 samples (800 kB)
          fill(dir, 700 * 1024);
          return new Case(args("run", manifest, "--out", run, "--set", "sampling.n=100000"), List.of(manifest), IO,
              new String[] {"cannot write " + run.resolve("samples.npy"), "no space left on device", "nothing was written"},
              () -> {
                assertThat(new org.diffuse4j.runtime.train.Checkpoint(run).verify()).isTrue();
                assertThat(run.resolve("samples.npy")).doesNotExist();
              });
        }),
        row("disk full writing likelihood --out", 256, dir -> {
          fill(dir, 0);
          Path out = dir.resolve("samples.npy");
          return expect(args("likelihood", base, "--sample", 5000, "--out", out, "--steps", 2), List.of(base),
              "cannot write " + out, "no space left on device", "nothing was written");
        }),
        row("disk full writing encode --out", 256, dir -> {
          fill(dir, 0);
          Path out = dir.resolve("z.npy");
          return expect(args("encode", base, "--data", base.resolve("samples.npy"), "--out", out, "--steps", 2), List.of(base),
              "cannot write " + out, "no space left on device", "nothing was written");
        }),
        row("a previous file is kept when the disk is full", 256, dir -> {
          Path out = dir.resolve("samples.npy");
          Files.write(out, new byte[100]);
          fill(dir, 0);
          // --force: replacing a file is allowed, and a full disk must still keep the old one
          return expect(args("likelihood", base, "--sample", 5000, "--out", out, "--force", "--steps", 2), List.of(base, out),
              "cannot write " + out, "no space left on device", "previous content is kept");
        }),
        row("run into a read-only file system", 256, dir -> {
          sh("mount", "-o", "remount,ro", dir.toString());
          Path run = dir.resolve("run");
          return expect(args("run", manifest, "--out", run), List.of(manifest, dir), run.toString(), "read-only file system");
        }),
        row("resume a run on a read-only file system", 1024, dir -> {
          Path run = CheckpointFuzzTest.copyOfRun(base, dir.resolve("run"));
          sh("mount", "-o", "remount,ro", dir.toString());
          return expect(args("run", manifest, "--out", run, "--resume", "--set", "training.steps=60"), List.of(run),
              run.toString(), "read-only file system");
        }),
        row("likelihood --out on a read-only file system", 256, dir -> {
          sh("mount", "-o", "remount,ro", dir.toString());
          Path out = dir.resolve("s.npy");
          return expect(args("likelihood", base, "--sample", 10, "--out", out, "--steps", 2), List.of(base, dir),
              "cannot write " + out, "read-only file system", "nothing was written");
        }),
        row("output folder is a file", 0, dir -> {
          Path file = Files.writeString(dir.resolve("out"), "a file");
          return new Case(args("run", manifest, "--out", file), List.of(file, manifest), -1, new String[] {file.toString(), "a file"},
              () -> { });
        }),
        row("output folder's parent is a file", 0, dir -> {
          Path file = Files.writeString(dir.resolve("out"), "a file");
          return new Case(args("run", manifest, "--out", file.resolve("run")), List.of(file, manifest), -1,
              new String[] {file.toString()}, () -> { });
        }),
        row("likelihood --out inside a file", 0, dir -> {
          Path file = Files.writeString(dir.resolve("f"), "a file");
          Path out = file.resolve("s.npy");
          return expect(args("likelihood", base, "--sample", 10, "--out", out, "--steps", 2), List.of(file, base),
              "cannot write " + out, file + " exists and is not a folder");
        }),
        row("--data is a folder", 0, dir -> {
          Path folder = Files.createDirectories(dir.resolve("x.npy"));
          return new Case(args("likelihood", base, "--data", folder, "--steps", 2), List.of(base, folder), -1,
              new String[] {folder.toString()}, () -> { });
        }),
        row("--data is a dangling link", 0, dir -> {
          Path link = Files.createSymbolicLink(dir.resolve("x.npy"), dir.resolve("gone.npy"));
          return new Case(args("encode", base, "--data", link, "--out", dir.resolve("z.npy"), "--steps", 2), List.of(base, dir),
              -1, new String[] {link.toString()}, () -> { });
        }),
        row("manifest is a folder", 0, dir -> {
          Path folder = Files.createDirectories(dir.resolve("m.yaml"));
          return new Case(args("run", folder, "--out", dir.resolve("run")), List.of(dir), -1, new String[] {folder.toString()},
              () -> { });
        }),
        row("manifest is a dangling link", 0, dir -> {
          Path link = Files.createSymbolicLink(dir.resolve("m.yaml"), dir.resolve("gone.yaml"));
          return new Case(args("validate", link), List.of(dir), -1, new String[] {link.toString()}, () -> { });
        }),
        row("--init is a folder", 0, dir -> {
          Path folder = Files.createDirectories(dir.resolve("noise.npy"));
          // watches what existed only: today the failed run still leaves a new run folder (manifest.yaml, run.log)
          return new Case(args("run", manifest, "--out", dir.resolve("run"), "--init", folder), List.of(folder, manifest), -1,
              new String[] {folder.toString()}, () -> { });
        }),
        row("run.log is a folder", 0, dir -> {
          Path run = CheckpointFuzzTest.copyOfRun(base, dir.resolve("run"));
          Files.delete(run.resolve("run.log"));
          Files.createDirectories(run.resolve("run.log"));
          return expect(args("run", manifest, "--out", run, "--resume"), List.of(run), run.resolve("run.log").toString(),
              "is a folder");
        }),
        row("--out is an existing folder", 0, dir -> {
          Path folder = Files.createDirectories(dir.resolve("s.npy"));
          Files.writeString(folder.resolve("keep.txt"), "mine");
          return new Case(args("likelihood", base, "--sample", 10, "--out", folder, "--steps", 2), List.of(base, folder), -1,
              new String[] {folder.toString()}, () -> { });
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void anIoFaultNamesThePathAndTheReason(String name, int tmpfsKb, Setup setup) throws Exception {
    Path dir = Files.createTempDirectory(work, "io");
    boolean mounted = false;
    try {
      if (tmpfsKb > 0) {
        sh("mount", "-t", "tmpfs", "-o", "size=" + tmpfsKb + "k", "tmpfs", dir.toString());
        mounted = true;
      }
      Case c = setup.prepare(dir);
      Fuzz.Watch watch = Fuzz.watch(c.watched().toArray(Path[]::new));
      Cli r = Cli.run(c.args());
      if (c.exit() < 0) { // a usage error or an I/O error, whichever check comes first (a command may check the path first)
        assertThat(r.code()).as(r.err()).isIn(Fuzz.USAGE, IO);
        watch.assertRejected(r, r.code(), c.message());
      } else {
        watch.assertRejected(r, c.exit(), c.message());
      }
      c.after().check();
    } finally {
      if (mounted) {
        sh("umount", dir.toString());
      }
    }
  }
}
