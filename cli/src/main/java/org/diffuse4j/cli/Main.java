package org.diffuse4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffuse4j.api.io.IoErrors;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.graph.TensorFlowLogs;
import org.diffuse4j.runtime.plugins.PluginDiscovery;
import org.diffuse4j.runtime.train.TrainingDiverged;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code diffuse4j} command line: {@code run}, {@code validate}, {@code plugins},
 * {@code describe}. Every error prints one message on stderr and returns a non-zero exit code; stack
 * traces only with {@code --verbose}, which also shows TensorFlow's native log lines (off otherwise,
 * {@link TensorFlowLogs}). {@link #execute} runs it in-process (tests use it).
 */
@Command(
    name = "diffuse4j",
    mixinStandardHelpOptions = true,
    version = "diffuse4j 0.1.0",
    description = "Diffusion and flow-matching generative models on TensorFlow Java.",
    subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, DescribeCommand.class, InspectCommand.class, SampleCommand.class, ConvergenceCommand.class,
        LikelihoodCommand.class, EncodeCommand.class, EvaluateCommand.class, ReflowCommand.class, ServeCommand.class})
public final class Main implements Callable<Integer> {
  @Option(names = "--plugins", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "extra plugin jars (default: $" + PluginDiscovery.ENV + ")")
  Path plugins;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of errors and TensorFlow's log lines")
  boolean verbose;

  PrintStream out = System.out;
  PrintStream err = System.err;
  private PluginRegistry registry;

  /** The plugins, discovered once per command. */
  PluginRegistry registry() {
    if (registry == null) {
      registry = PluginDiscovery.discover(PluginDiscovery.pluginsFolder(plugins));
    }
    return registry;
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, out);
    return 0;
  }

  /** Runs the CLI with the process's streams and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the CLI in-process with System.out/System.err; returns the exit code. */
  public static int execute(String... args) {
    return execute(System.out, System.err, args);
  }

  /** Runs the CLI in-process with the given streams; returns the exit code (0 = success). */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    Main main = new Main();
    main.out = out;
    main.err = err;
    CommandLine cli = new CommandLine(main);
    // '--plugins plugins plugins': a folder may be named like a command (docs/writing-a-plugin.md).
    cli.setAllowSubcommandsAsOptionParameters(true);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("error: " + message(e));
      if (main.verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return e instanceof OptionException ? 2 : 1;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + e.getMessage() + setHint(a));
      err.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      err.flush();
      return 2;
    });
    cli.setExecutionStrategy(parsed -> {
      tensorFlowLogs(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli.execute(args);
  }

  /** Commands that only read and print: they never start TensorFlow, so its native library is not loaded for them. */
  private static final java.util.Set<String> NO_TENSORFLOW = java.util.Set.of("diffuse4j", "plugins", "describe", "validate", "inspect", "help");

  /**
   * TensorFlow's native log lines: shown with {@code --verbose}, else off (errors only), unless
   * {@code TF_CPP_MIN_LOG_LEVEL} is set ({@link TensorFlowLogs}). Set before the command starts TensorFlow.
   */
  private static void tensorFlowLogs(CommandLine.ParseResult parsed) {
    boolean verbose = false;
    CommandLine.ParseResult leaf = parsed;
    while (true) {
      verbose |= leaf.hasMatchedOption("--verbose");
      if (!leaf.hasSubcommand()) {
        break;
      }
      leaf = leaf.subcommand();
    }
    TensorFlowLogs.verbose(verbose);
    if (!NO_TENSORFLOW.contains(leaf.commandSpec().name())) {
      TensorFlowLogs.apply();
    }
  }

  /** For '--set KEY VALUE' (a space instead of '='): the hint to write KEY=VALUE. */
  private static String setHint(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--set") && !args[i + 1].contains("=")) {
        return "; --set '" + args[i + 1] + "' has no '=': write --set " + args[i + 1]
            + (i + 2 < args.length ? "=" + args[i + 2] : "=VALUE") + " (one argument, no space)";
      }
    }
    return "";
  }

  private static String message(Throwable e) {
    if (e instanceof OptionException || e instanceof TrainingDiverged) {
      return e.getMessage();
    }
    if (e instanceof java.io.UncheckedIOException u) {
      String own = String.valueOf(u.getMessage());
      String cause = String.valueOf(u.getCause().getMessage());
      return own.startsWith("cannot ") && !cause.startsWith("cannot ") ? (own.contains(": ") ? own : own + ": " + IoErrors.reason(u.getCause()))
          : message(u.getCause());
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) { // Files.createDirectories where a file is
      return "cannot create folder " + f.getFile() + ": a file of that name exists";
    }
    if (e instanceof java.nio.file.FileSystemException f) {
      return "cannot access " + f.getFile() + (f.getOtherFile() == null ? "" : " or " + f.getOtherFile()) + ": "
          + IoErrors.reason(f);
    }
    if (e instanceof java.io.FileNotFoundException && e.getMessage() != null
        && e.getMessage().matches("(?s).* \\([^()]*\\)")) { // java.io's "PATH (Reason)"
      String m = e.getMessage();
      int open = m.lastIndexOf(" (");
      return "cannot open " + m.substring(0, open) + ": " + IoErrors.reason(new java.io.IOException(m.substring(open + 2, m.length() - 1)));
    }
    if (e instanceof java.io.IOException) {
      String m = e.getMessage();
      // our own messages name the path, the reason and what was kept; others get the reason in words
      return m != null && m.startsWith("cannot ") ? m : "I/O error: " + IoErrors.reason(e);
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + " (run with --verbose for details)";
  }
}
