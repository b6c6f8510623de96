package org.diffuse4j.runtime.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.tensorboard.EventFiles;
import org.diffuse4j.runtime.tensorboard.TrainingLog;
import org.tensorflow.proto.Event;


/**
 * Read-only access to the run folders under one root: lists them, reads their manifest, metrics,
 * losses and TensorBoard scalars, and resolves file paths so that nothing outside the root (by
 * {@code ..}, an absolute path or a symbolic link) is ever reached. Tolerates runs that are being
 * written or deleted while it reads: what cannot be read is left out.
 */
public final class RunFolders {
  /** A run whose files changed within this many seconds and has no fresh metrics is "training". */
  static final long LIVE_SECONDS = 90;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final Path root;

  /** The run folders directly under {@code root} (an existing directory). */
  public RunFolders(Path root) throws IOException {
    this.root = root.toRealPath();
  }

  /** The root, as a real path. */
  public Path root() {
    return root;
  }

  /** One run as the list shows it. */
  public record Summary(String name, String date, long modified, String status, Map<String, String> choices,
      Map<String, Object> metrics) {}

  /** Every run folder (a directory directly under the root holding manifest.yaml), newest first. */
  public List<Summary> list() {
    List<Summary> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path dir : s.toList()) {
        String name = dir.getFileName().toString();
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !name.startsWith(".")) {
          summary(name).ifPresent(out::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      return out; // the root vanished or changed under us: show what was read
    }
    out.sort(Comparator.comparingLong(Summary::modified).reversed().thenComparing(Summary::name));
    return out;
  }

  /** The run named {@code name}, if it is a readable run folder. */
  public Optional<Summary> summary(String name) {
    Optional<Path> dir = run(name);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<String, Object> manifest = manifest(dir.get());
      long modified = Files.getLastModifiedTime(dir.get().resolve("manifest.yaml")).toMillis();
      return Optional.of(new Summary(name, DATE.format(Instant.ofEpochMilli(modified)), modified, status(dir.get()),
          choices(manifest), metrics(dir.get())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // deleted or half-written while we read
    }
  }

  /** The folder of run {@code name}: a plain name of a real directory under the root with a manifest. */
  public Optional<Path> run(String name) {
    if (!plainName(name)) {
      return Optional.empty();
    }
    Path dir = root.resolve(name);
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !dir.toRealPath().equals(dir)
          || !Files.isRegularFile(dir.resolve("manifest.yaml"), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(dir);
  }

  /**
   * The regular file at {@code relative} (segments separated by '/') inside run {@code name}, or
   * empty when it does not exist or lies outside the run: {@code ..} or {@code .} segments, empty
   * segments (absolute paths), backslashes, NULs and symbolic links leading out are all refused.
   */
  public Optional<Path> file(String name, String relative) {
    Optional<Path> dir = run(name);
    if (dir.isEmpty() || !safeRelative(relative)) {
      return Optional.empty();
    }
    Path p = dir.get().resolve(relative).normalize();
    try {
      Path real = p.toRealPath();
      if (!real.startsWith(dir.get()) || !Files.isRegularFile(real)) {
        return Optional.empty();
      }
      return Optional.of(real);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code relative} is a path of plain names separated by single slashes. */
  static boolean safeRelative(String relative) {
    if (relative == null || relative.isEmpty()) {
      return false;
    }
    for (String seg : relative.split("/", -1)) {
      if (!plainName(seg)) {
        return false;
      }
    }
    return true;
  }

  /** A single path segment that is not empty, '.', '..', and has no slash, backslash, colon or NUL. */
  static boolean plainName(String s) {
    return s != null && !s.isEmpty() && !s.equals(".") && !s.equals("..") && s.length() < 256
        && s.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0 || c == ':');
  }

  /** The manifest tree of a run folder. */
  static Map<String, Object> manifest(Path dir) {
    return ManifestLoader.read(dir.resolve("manifest.yaml"));
  }

  /** training (files changing, no fresh metrics), done (metrics newer than the manifest) or failed. */
  static String status(Path dir) throws IOException {
    long manifest = Files.getLastModifiedTime(dir.resolve("manifest.yaml")).toMillis();
    Path metrics = dir.resolve("metrics.json");
    if (Files.isRegularFile(metrics) && Files.getLastModifiedTime(metrics).toMillis() >= manifest) {
      return "done";
    }
    long newest = manifest;
    for (String f : List.of("run.log", "checkpoint", TrainingLog.FOLDER)) {
      newest = Math.max(newest, newest(dir.resolve(f)));
    }
    return System.currentTimeMillis() - newest < LIVE_SECONDS * 1000 ? "training" : "failed";
  }

  private static long newest(Path p) {
    try {
      long t = Files.getLastModifiedTime(p).toMillis();
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          for (Path c : s.toList()) {
            t = Math.max(t, Files.getLastModifiedTime(c).toMillis());
          }
        }
      }
      return t;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The manifest's main choices as short labels: data, network, schedule, objective, solver, steps, guidance. */
  static Map<String, String> choices(Map<String, Object> m) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("data", label(m.get("data")));
    c.put("network", label(m.get("network")));
    c.put("schedule", label(m.get("schedule")));
    c.put("objective", label(m.get("objective")));
    Map<?, ?> sampling = m.get("sampling") instanceof Map<?, ?> s ? s : Map.of();
    Map<?, ?> training = m.get("training") instanceof Map<?, ?> t ? t : Map.of();
    c.put("solver", label(sampling.get("solver")));
    c.put("steps", label(sampling.get("steps")));
    c.put("train steps", label(training.get("steps")));
    c.put("guidance", label(m.get("guidance")));
    return c;
  }

  /** A plugin spec as its name (a map's "name"), a scalar as text, a missing value as "-". */
  static String label(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof Map<?, ?> map) {
      Object name = map.get("name");
      return name == null ? "-" : String.valueOf(name);
    }
    return String.valueOf(v);
  }

  /** metrics.json as a map (empty when absent or unreadable). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> metrics(Path dir) {
    return readJson(dir.resolve("metrics.json"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readJson(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        return JSON.readValue(file.toFile(), LinkedHashMap.class);
      }
    } catch (IOException | RuntimeException e) {
      // being rewritten: treat as absent
    }
    return new LinkedHashMap<>();
  }

  /** The per-step losses saved with the checkpoint (empty before the first save). */
  static List<Double> losses(Path dir) {
    JsonNode state;
    try {
      Path f = dir.resolve("checkpoint").resolve("state.json");
      if (!Files.isRegularFile(f)) {
        return List.of();
      }
      state = JSON.readTree(f.toFile());
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    List<Double> out = new ArrayList<>();
    state.path("losses").forEach(n -> out.add(n.asDouble()));
    return out;
  }

  /** TensorBoard scalars of the run: tag → [[step, value], …] in step order (the last value of a repeated step wins). */
  static Map<String, List<double[]>> scalars(Path dir) {
    Map<String, TreeMap<Long, Double>> byTag = new TreeMap<>();
    Path tb = dir.resolve(TrainingLog.FOLDER);
    if (Files.isDirectory(tb, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(tb)) {
        for (Path f : s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList()) {
          for (Event e : EventFiles.readComplete(f)) {
            for (org.tensorflow.proto.Summary.Value v : e.getSummary().getValueList()) {
              Double value = v.hasTensor() && v.getTensor().getFloatValCount() > 0 ? Double.valueOf(v.getTensor().getFloatVal(0))
                  : v.getValueCase() == org.tensorflow.proto.Summary.Value.ValueCase.SIMPLE_VALUE ? Double.valueOf(v.getSimpleValue()) : null;
              if (value != null) {
                byTag.computeIfAbsent(v.getTag(), k -> new TreeMap<>()).put(e.getStep(), value);
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // a file vanished: keep what was read
      }
    }
    Map<String, List<double[]>> out = new TreeMap<>();
    byTag.forEach((tag, points) -> {
      List<double[]> list = new ArrayList<>();
      points.forEach((step, value) -> list.add(new double[] {step, value}));
      out.put(tag, list);
    });
    return out;
  }

  /** The sample folders {@code samples/NAME/} of a run, each with its image files, sorted by name. */
  static Map<String, List<String>> sampleFolders(Path dir) {
    Map<String, List<String>> out = new TreeMap<>();
    Path samples = dir.resolve("samples");
    if (!Files.isDirectory(samples, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> s = Files.list(samples)) {
      for (Path sub : s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        out.put(sub.getFileName().toString(), filesIn(sub));
      }
    } catch (IOException | RuntimeException e) {
      // changing under us
    }
    return out;
  }

  /** The names of the regular files directly in {@code dir}, sorted. */
  static List<String> filesIn(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The modification time of a file, or 0. */
  static long modified(Path p) {
    try {
      FileTime t = Files.getLastModifiedTime(p);
      return t.toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
