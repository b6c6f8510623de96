package org.diffuse4j.runtime.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.diffuse4j.api.io.AtomicFiles;
import org.diffuse4j.api.io.IoErrors;
import org.diffuse4j.api.plugin.OptionException;
import org.tensorflow.Session;

/**
 * The {@code checkpoint/} folder of a run: TensorFlow variables ({@code variables.*}, Adam slots
 * and EMA weights included) plus {@code state.json} (step, loss history, and the size and SHA-256
 * of every variables file). Written into a staging folder and swapped in atomically, so a crash
 * never leaves a half-written checkpoint; verified before every restore, so a damaged one is never
 * loaded.
 *
 * <p>{@code state.json} ends with {@code "checksum"}: the SHA-256 of its own text with that value
 * empty, so any change to it is found too. Checkpoints written before the record existed (no
 * {@code files}, no {@code checksum}) are still read, with the structural checks only.
 */
public final class Checkpoint {
  /**
   * What {@code state.json} holds.
   *
   * @param ema whether the variables include EMA copies ({@code ema/NAME})
   */
  public record State(int step, List<Double> losses, boolean ema) {}

  /** The size and SHA-256 (hex) of one checkpoint file, recorded at save time. */
  record FileSum(long size, String sha256) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATE = "state.json";
  private static final Pattern CHECKSUM = Pattern.compile("(?s)(.*),\"checksum\":\"([0-9a-f]{64})\"}\\s*");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
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

  /**
   * Whether a checkpoint exists. A checkpoint folder without {@code state.json} is damaged (saves
   * swap in complete folders only) and fails naming it.
   */
  public boolean exists() {
    if (Files.isRegularFile(dir.resolve(STATE))) {
      return true;
    }
    if (Files.isDirectory(dir)) {
      throw damaged(dir.resolve(STATE), Files.exists(dir.resolve(STATE)) ? "it is not a file" : "it is missing");
    }
    return false;
  }

  /**
   * Saves the session's variables and the state atomically. On failure (a full disk, a read-only
   * folder) the staging folder is removed, the previous checkpoint stays in place, and the
   * IOException names the folder, the reason and what was kept.
   */
  public void save(Session session, State state) throws IOException {
    Path staged = dir.resolveSibling("checkpoint.staging");
    String kept = keptDescription(); // before anything is touched
    try {
      deleteTree(staged);
      Files.createDirectories(staged);
      try {
        session.save(staged.resolve("variables").toString());
      } catch (RuntimeException e) { // TensorFlow reports write errors as its own runtime exceptions
        throw new IOException(IoErrors.reason(e), e);
      }
      Map<String, FileSum> files = new TreeMap<>();
      try (Stream<Path> list = Files.list(staged)) {
        for (Path f : list.sorted().toList()) {
          force(f);
          files.put(f.getFileName().toString(), sum(f));
        }
      }
      Path stateFile = staged.resolve(STATE);
      Files.writeString(stateFile, stateText(state, files));
      force(stateFile);
      AtomicFiles.replaceDirectory(staged, dir);
    } catch (IOException | UncheckedIOException e) {
      IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      cleanUpAfterFailedSave(staged);
      throw new IOException("cannot write checkpoint " + dir + ": " + IoErrors.reason(cause) + "; " + kept, cause);
    }
  }

  /** What a failed save leaves: the previous checkpoint, or nothing. */
  private String keptDescription() {
    try {
      return exists() ? "the previous checkpoint (step " + state().step() + ") is kept" : "no checkpoint had been saved yet";
    } catch (RuntimeException | IOException e) {
      return "the previous checkpoint is left as it was";
    }
  }

  private void cleanUpAfterFailedSave(Path staged) {
    try {
      deleteTree(staged);
    } catch (IOException | UncheckedIOException ignored) {
      // the staging folder is never read; the next save deletes it
    }
    try {
      AtomicFiles.recoverDirectory(dir); // a swap interrupted half-way: put the previous one back
    } catch (IOException ignored) {
      // recovered on the next run's start
    }
  }

  /** The text of state.json: the state, the file record, then the checksum of everything before it. */
  static String stateText(State state, Map<String, FileSum> files) throws JsonProcessingException {
    ObjectNode node = JSON.valueToTree(state);
    node.set("files", JSON.valueToTree(files));
    String body = JSON.writeValueAsString(node);
    return body.substring(0, body.length() - 1) + ",\"checksum\":\"" + sha256(body.getBytes(StandardCharsets.UTF_8)) + "\"}";
  }

  /** Reads and checks the state; a damaged or absurd state.json is an {@link OptionException} naming it. */
  public State state() throws IOException {
    return read().state();
  }

  /** The parsed state.json and its file record (null for a checkpoint saved before the record existed). */
  private record Stored(State state, Map<String, FileSum> files) {}

  private Stored read() throws IOException {
    Path file = dir.resolve(STATE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + IoErrors.reason(e), e);
    }
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw damaged(file, "it is empty");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      String where = e instanceof JsonProcessingException j && j.getLocation() != null
          ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
      throw damaged(file, "it is not valid JSON" + where);
    }
    if (root == null || !root.isObject()) {
      throw damaged(file, "it is not a JSON object");
    }
    JsonNode stepNode = root.get("step");
    if (stepNode == null) {
      throw damaged(file, "it has no 'step'");
    }
    if (!stepNode.isIntegralNumber() || !stepNode.canConvertToInt()) {
      throw damaged(file, "'step' is " + stepNode + ", not a step count (a whole number from 0 to " + Integer.MAX_VALUE + ")");
    }
    int step = stepNode.intValue();
    if (step < 0) {
      throw damaged(file, "'step' is " + step + ", a negative step count");
    }
    JsonNode lossNode = root.get("losses");
    if (lossNode == null || !lossNode.isArray()) {
      throw damaged(file, lossNode == null ? "it has no 'losses'" : "'losses' is not a list");
    }
    List<Double> losses = new ArrayList<>();
    for (JsonNode l : lossNode) {
      if (!l.isNumber() || !Double.isFinite(l.doubleValue())) {
        throw damaged(file, "loss " + (losses.size() + 1) + " is " + l + ", not a finite number");
      }
      losses.add(l.doubleValue());
    }
    if (losses.size() != step) {
      throw damaged(file, "'step' is " + step + " but " + losses.size() + " losses are recorded (one per step)");
    }
    JsonNode emaNode = root.get("ema");
    if (emaNode == null || !emaNode.isBoolean()) {
      throw damaged(file, emaNode == null ? "it has no 'ema'" : "'ema' is " + emaNode + ", not true or false");
    }
    Map<String, FileSum> files = null;
    JsonNode filesNode = root.get("files");
    if (filesNode != null) {
      if (!filesNode.isObject() || filesNode.isEmpty()) {
        throw damaged(file, "'files' is not a record of the variables files");
      }
      files = new TreeMap<>();
      for (var it = filesNode.fields(); it.hasNext(); ) {
        var f = it.next();
        JsonNode size = f.getValue().get("size");
        JsonNode sha = f.getValue().get("sha256");
        if (!f.getKey().matches("[A-Za-z0-9._-]+") || f.getKey().equals(STATE) || size == null || !size.canConvertToLong()
            || size.longValue() < 0 || sha == null || !HEX64.matcher(sha.asText()).matches()) {
          throw damaged(file, "the record of file '" + f.getKey() + "' is not a name, a size and a SHA-256");
        }
        files.put(f.getKey(), new FileSum(size.longValue(), sha.asText()));
      }
    }
    if (root.has("checksum")) {
      Matcher m = CHECKSUM.matcher(text);
      if (!m.matches() || !sha256((m.group(1) + "}").getBytes(StandardCharsets.UTF_8)).equals(m.group(2))) {
        throw damaged(file, "its content does not match its checksum (it was changed after it was written)");
      }
    }
    return new Stored(new State(step, List.copyOf(losses), emaNode.booleanValue()), files);
  }

  /**
   * Checks every variables file against the size and SHA-256 recorded at save time; a damaged or
   * missing file is an {@link OptionException} naming it. Returns whether there was a record to check
   * (false for a checkpoint saved before the record existed: then only the files' presence is checked,
   * and TensorFlow's restore is the only check of their content).
   */
  public boolean verify() throws IOException {
    if (!exists()) {
      throw new OptionException("there is no checkpoint in " + dir.getParent() + " (no folder " + dir + ")");
    }
    Stored s = read();
    if (s.files() == null) { // saved before the record existed: the files must at least be there
      for (String name : new String[] {"variables.index", "variables.data-00000-of-00001"}) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
          throw damaged(f, Files.exists(f) ? "it is not a file" : "it is missing");
        }
      }
      return false;
    }
    for (var e : s.files().entrySet()) {
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        throw damaged(f, Files.exists(f) ? "it is not a file" : "it is missing");
      }
      long size;
      try {
        size = Files.size(f);
      } catch (IOException x) {
        throw new IOException("cannot read " + f + ": " + IoErrors.reason(x), x);
      }
      if (size != e.getValue().size()) {
        throw damaged(f, "it has " + size + " bytes, but " + e.getValue().size() + " were written");
      }
      if (!sum(f).sha256().equals(e.getValue().sha256())) {
        throw damaged(f, "its content differs from what was written (SHA-256 mismatch)");
      }
    }
    return true;
  }

  /**
   * Restores the variables into a session whose graph has the same variable names, after {@link
   * #verify}: a damaged checkpoint is never loaded.
   */
  public void restore(Session session) {
    boolean verified;
    try {
      verified = verify();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    try {
      session.restore(prefix());
    } catch (RuntimeException e) {
      String tf = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      if (verified) {
        throw new OptionException("the checkpoint in " + dir
            + " does not fit the manifest's network (was the network changed?): " + tf, e);
      }
      throw new OptionException("the checkpoint in " + dir + " cannot be restored: its variables files are damaged, "
          + "or it does not fit the manifest's network (was the network changed?): " + tf, e);
    }
  }

  private OptionException damaged(Path file, String why) {
    return new OptionException("the checkpoint in " + dir + " is damaged: " + file + ": " + why
        + "; it cannot be used. Restore the run folder from a copy, or train afresh (run without --resume)");
  }

  private static FileSum sum(Path f) throws IOException {
    MessageDigest md = digest();
    long size = 0;
    try (InputStream in = Files.newInputStream(f)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
        size += r;
      }
    }
    return new FileSum(size, HexFormat.of().formatHex(md.digest()));
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void force(Path f) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Deletes the checkpoint (a fresh run). */
  public void delete() throws IOException {
    deleteTree(dir);
  }

  static void deleteTree(Path p) throws IOException {
    AtomicFiles.deleteTree(p);
  }
}
