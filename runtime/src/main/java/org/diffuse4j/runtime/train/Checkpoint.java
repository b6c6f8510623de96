package org.diffuse4j.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.diffuse4j.runtime.io.AtomicFiles;
import org.tensorflow.Session;

/**
 * The {@code checkpoint/} folder of a run: TensorFlow variables ({@code variables.*}, Adam slots
 * and EMA weights included) plus {@code state.json} (step and loss history). Written into a staging folder and
 * swapped in atomically, so a crash never leaves a half-written checkpoint.
 */
public final class Checkpoint {
  /**
   * What {@code state.json} holds.
   *
   * @param ema whether the variables include EMA copies ({@code ema/NAME})
   */
  public record State(int step, List<Double> losses, boolean ema) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  /** The checkpoint folder of run folder {@code runDir}. */
  public Checkpoint(Path runDir) {
    this.dir = runDir.resolve("checkpoint");
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** The variables prefix Session.save/restore use. */
  public String prefix() {
    return dir.resolve("variables").toString();
  }

  /** Whether a complete checkpoint exists. */
  public boolean exists() {
    return Files.isRegularFile(dir.resolve("state.json"));
  }

  /** Saves the session's variables and the state atomically. */
  public void save(Session session, State state) throws IOException {
    Path staged = dir.resolveSibling("checkpoint.staging");
    deleteTree(staged);
    Files.createDirectories(staged);
    session.save(staged.resolve("variables").toString());
    Files.writeString(staged.resolve("state.json"), JSON.writeValueAsString(state));
    AtomicFiles.replaceDirectory(staged, dir);
  }

  /** Reads the state. */
  public State state() throws IOException {
    return JSON.readValue(dir.resolve("state.json").toFile(), State.class);
  }

  /** Restores the variables into a session whose graph has the same variable names. */
  public void restore(Session session) {
    try {
      session.restore(prefix());
    } catch (RuntimeException e) {
      throw new org.diffuse4j.api.plugin.OptionException("the checkpoint in " + dir
          + " does not fit the manifest's network (was the network changed?): " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Deletes the checkpoint (a fresh run). */
  public void delete() throws IOException {
    deleteTree(dir);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
