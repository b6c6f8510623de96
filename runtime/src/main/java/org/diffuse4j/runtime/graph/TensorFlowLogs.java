package org.diffuse4j.runtime.graph;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.internal.c_api.Listener_BytePointer;

/**
 * TensorFlow's native log lines (start-up notes such as "This TensorFlow binary is optimized to use
 * available CPU instructions…", info and warning lines): off unless asked for, in every process that
 * runs Diffuse4J, not only under the {@code diffuse4j} launcher.
 *
 * <p>TensorFlow reads {@code TF_CPP_MIN_LOG_LEVEL} from the environment once, at its first log line
 * (the first session; nothing logs while the library loads). Java cannot set an environment variable,
 * so {@link #apply()} loads TensorFlow's native library and, before any session exists, calls the C
 * library's {@code putenv} through JavaCPP (which TensorFlow Java loads anyway). The level is
 * {@code TF_CPP_MIN_LOG_LEVEL} when the environment sets it (the user's choice wins), else 0 (all
 * lines) after {@link #verbose(boolean) verbose(true)} ({@code diffuse4j --verbose},
 * {@code Diffuse4j.tensorFlowLogs(true)}), else 2 (errors only), as the launcher always had.
 *
 * <p>Two lines of the Abseil copy linked inside {@code libtensorflow_cc} ("WARNING: All log messages
 * before absl::InitializeLog()…", "…MLIR V1 optimization pass is not enabled") print once at the first
 * session whatever the level: that copy exports no way to change its level (the exported
 * {@code absl::SetMinLogLevel} is another copy's and was measured to change nothing).
 */
public final class TensorFlowLogs {
  /** The environment variable TensorFlow reads. */
  public static final String ENV = "TF_CPP_MIN_LOG_LEVEL";
  /** Errors only: TensorFlow's level when not verbose. */
  public static final int QUIET = 2;

  private static boolean verbose;
  private static boolean applied;
  /** putenv keeps the string it is given: it must live as long as the process. */
  private static BytePointer environmentEntry;
  private static final java.util.List<Pointer> CELLS = new java.util.ArrayList<>();

  private TensorFlowLogs() {}

  /**
   * Asks for TensorFlow's log lines ({@code true}) or not (the default); effective only before the
   * first {@link #apply()}.
   *
   * @param on whether to show TensorFlow's info and warning lines
   */
  public static synchronized void verbose(boolean on) {
    verbose = on;
  }

  /**
   * The level TensorFlow gets: the environment's {@code TF_CPP_MIN_LOG_LEVEL} when it is set to 0–3,
   * else 0 when verbose, else {@link #QUIET}.
   *
   * @param environment the value of {@code TF_CPP_MIN_LOG_LEVEL} (null when unset)
   * @param verbose whether the lines were asked for
   * @return the minimum severity logged (0 info, 1 warning, 2 error, 3 fatal)
   */
  static int level(String environment, boolean verbose) {
    if (environment != null && environment.trim().matches("[0-3]")) {
      return Integer.parseInt(environment.trim());
    }
    return verbose ? 0 : QUIET;
  }

  /**
   * Sets TensorFlow's log level for this process (see the class comment). Call it before the first
   * TensorFlow session; later calls do nothing. It loads TensorFlow's native library, so commands that
   * never run TensorFlow do not call it.
   */
  public static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    String environment = System.getenv(ENV);
    int level = level(environment, verbose);
    if (level == 0) {
      return; // TensorFlow's and Abseil's defaults: every line
    }
    try {
      Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
      if (environment == null) {
        Pointer putenv = Loader.addressof("putenv");
        if (putenv != null) {
          environmentEntry = new BytePointer(ENV + "=" + level);
          function(putenv).call(environmentEntry); // int putenv(char *): the result is not needed
        }
      }
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      // the log level is cosmetic: a platform without these symbols keeps TensorFlow's defaults
    }
  }

  /**
   * A callable for the native function at {@code address}, taking one pointer-sized argument. A JavaCPP
   * function pointer points at a cell that holds the function's address, so the address goes in one.
   */
  private static Listener_BytePointer function(Pointer address) {
    PointerPointer<Pointer> cell = new PointerPointer<>(1);
    cell.put(0, address);
    CELLS.add(cell); // a few bytes, kept so the cell outlives every call
    return new Listener_BytePointer(cell);
  }
}
