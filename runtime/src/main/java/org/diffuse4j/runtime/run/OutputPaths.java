package org.diffuse4j.runtime.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.plugin.OptionException;

/**
 * Where a command may write: an output is never one of its inputs (compared by real path, through
 * symbolic links and {@code ..}), never a run folder's own files, and never an existing file or
 * non-empty folder unless {@code --force} is given; a replaced folder is moved aside, not deleted.
 */
public final class OutputPaths {
  /** The names in a run folder that belong to the run itself; no command's {@code --out} may be one of them. */
  public static final List<String> RUN_FILES = List.of("manifest.yaml", "run.log", "checkpoint", "checkpoint.staging",
      "checkpoint.old", "samples.npy", "samples.png", "loss.png", "metrics.json", "evaluation.json");

  /** The folder of a run that holds its sample folders ({@code RUN/samples/NAME/}). */
  public static final String SAMPLES = "samples";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private OutputPaths() {}

  /** Something a command reads: a file, or a run folder (whose own files are then protected too). */
  public record Input(String what, Path path, boolean runFolder) {
    /** An input file (or manifest) named {@code what} in messages, e.g. "--data". */
    public static Input file(String what, Path path) {
      return new Input(what, path, false);
    }

    /** The run folder a command reads. */
    public static Input run(Path dir) {
      return new Input("the run folder", dir, true);
    }
  }

  /**
   * Whether {@code dir} is a Diffuse4J run folder: it holds {@code manifest.yaml} and {@code run.log}
   * or {@code checkpoint/} (every {@code run} writes the first two before it trains).
   */
  public static boolean isRunFolder(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("manifest.yaml"))
        && (Files.isRegularFile(dir.resolve("run.log")) || Files.isDirectory(dir.resolve("checkpoint")));
  }

  /** Whether {@code dir} is a folder with nothing in it. */
  public static boolean isEmptyFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
    }
  }

  /** A few of the names in a folder, for messages ("a, b, c, …"). */
  public static String someNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(4).toList();
      return String.join(", ", names) + (names.size() == 4 ? ", …" : "");
    } catch (IOException e) {
      return "?";
    }
  }

  /** Fails for an empty or blank path: it would name the working directory. */
  public static void requireNotBlank(String path, String option, String what, String example) {
    if (path == null || path.isBlank()) {
      throw new OptionException(option + " is empty; it would write " + what
          + " into the working directory. Give a path, e.g. " + example);
    }
  }

  /**
   * The real path of {@code p}, which need not exist: the real path of its nearest existing ancestor
   * (symbolic links resolved) with the rest appended and normalised.
   */
  public static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }

  /** Checks an output file: not an input, not part of a run, not a folder, not existing unless {@code force}. */
  public static void checkFile(Path out, String option, boolean force, Input... inputs) {
    requireNotBlank(out == null ? null : out.toString(), option, "the file", option + " out.npy");
    checkNotInput(out, option, inputs);
    if (Files.isDirectory(out)) {
      throw new OptionException(option + " " + out + " is a folder; give a file name, e.g. " + out.resolve("out.npy"));
    }
    if (Files.exists(out) && !force) {
      throw new OptionException(option + " " + out + " exists; nothing was written. Add --force to overwrite it, "
          + "or choose another " + option);
    }
  }

  /**
   * Checks an output folder: not an input or a folder holding one, not part of a run, and, unless
   * {@code force}, not an existing non-empty folder (an empty one is fine).
   */
  public static void checkFolder(Path out, String option, boolean force, Input... inputs) {
    requireNotBlank(out == null ? null : out.toString(), option, "its files", option + " my-folder");
    checkNotInput(out, option, inputs);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new OptionException(option + " " + out + " is a file, not a folder; choose another " + option);
    }
    if (Files.isDirectory(out) && !isEmptyFolder(out) && !force) {
      throw new OptionException(option + " " + out + " exists and is not empty; nothing was written. Add --force to move it "
          + "aside (to " + out.getFileName() + ".replaced-DATE-TIME, nothing is deleted), or choose another " + option);
    }
  }

  /** Fails when {@code out} is one of the inputs, holds one, or is one of a read run folder's own files. */
  public static void checkNotInput(Path out, String option, Input... inputs) {
    Path o = real(out);
    for (Input in : inputs) {
      if (in == null || in.path() == null) {
        continue;
      }
      Path i = real(in.path());
      if (o.equals(i)) {
        throw new OptionException(option + " " + out + " is " + in.what() + " (" + in.path()
            + "): a command never writes over what it reads. Choose another " + option);
      }
      if (i.startsWith(o)) {
        throw new OptionException(option + " " + out + " holds " + in.what() + " (" + in.path()
            + "): a command never replaces a folder it reads from. Choose another " + option);
      }
      if (in.runFolder() && o.startsWith(i)) {
        Path rel = i.relativize(o);
        String first = rel.getName(0).toString();
        if (RUN_FILES.contains(first) || (first.equals(SAMPLES) && rel.getNameCount() == 1)) {
          throw new OptionException(option + " " + out + " is part of the run folder " + in.path() + " (its " + first
              + "), which no command but 'run' writes. Choose a new path, e.g. " + option + " "
              + in.path().resolve("my-output"));
        }
      }
    }
  }

  /** A sibling of {@code target} that is free: {@code NAME.replaced-YYYYMMDD-HHMMSS}, with a counter if taken. */
  public static Path asideName(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    String base = abs.getFileName() + ".replaced-" + LocalDateTime.now().format(STAMP);
    Path aside = abs.resolveSibling(base);
    for (int k = 2; Files.exists(aside); k++) {
      aside = abs.resolveSibling(base + "-" + k);
    }
    return aside;
  }

  /** Renames {@code dir} to a free {@link #asideName} and returns the new path; nothing is deleted. */
  public static Path moveAside(Path dir) throws IOException {
    Path aside = asideName(dir);
    Files.move(dir.toAbsolutePath().normalize(), aside, StandardCopyOption.ATOMIC_MOVE);
    return aside;
  }

  /** A fresh hidden staging folder beside {@code target}, where a command writes before {@link #publish}. */
  public static Path staging(Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Files.createDirectories(abs.getParent());
    String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return Files.createDirectory(abs.resolveSibling("." + abs.getFileName() + ".partial-" + random));
  }

  /**
   * Renames the fully written {@code staged} folder to {@code target}. An existing empty target is
   * removed first; an existing non-empty one is moved aside (callers check {@code --force} before
   * any work). Returns where the old folder went, or null.
   */
  public static Path publish(Path staged, Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path aside = null;
    if (isEmptyFolder(abs)) {
      Files.delete(abs);
    } else if (Files.exists(abs)) {
      aside = moveAside(abs);
    }
    Files.move(staged, abs, StandardCopyOption.ATOMIC_MOVE);
    return aside;
  }

  /** Deletes a staging folder left by a failed command (only folders this class created). */
  public static void discard(Path staged) {
    if (staged == null || !Files.exists(staged)) {
      return;
    }
    try {
      AtomicFiles.deleteTree(staged);
    } catch (IOException e) {
      // best effort: a hidden .partial folder is left; the error that got us here matters more
    }
  }

  /** {@code SOLVER-GRID-STEPS} of {@code m}'s sampling, or with {@code -2}, {@code -3}, … the first not taken in RUN_DIR/samples/. */
  public static String freeSampleName(Path runDir, org.diffuse4j.runtime.manifest.Manifest m) {
    java.util.Map<?, ?> sampling = (java.util.Map<?, ?>) m.resolved().get("sampling");
    String base = (pluginName(sampling.get("solver")) + "-" + pluginName(sampling.get("grid")) + "-" + m.sampling().steps())
        .replaceAll("[^A-Za-z0-9._+-]", "_");
    Path samples = runDir.resolve(SAMPLES);
    String candidate = base;
    for (int k = 2; Files.exists(samples.resolve(candidate)); k++) {
      candidate = base + "-" + k;
    }
    return candidate;
  }

  private static String pluginName(Object spec) {
    return String.valueOf(spec instanceof java.util.Map<?, ?> map ? map.get("name") : spec);
  }
}
