package org.diffuse4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.runtime.serve.RunFolders;
import org.diffuse4j.runtime.serve.RunServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code serve [RUNS_DIR]}: the read-only run viewer in the browser. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Browse, compare and watch the runs in RUNS_DIR in a web browser (read-only).")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS_DIR", description = "folder whose subfolders are run folders (default: runs)")
  Path dir = Path.of("runs");

  @Option(names = "--host", paramLabel = "ADDRESS", description = "address to listen on (default 127.0.0.1: this machine only)")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "port (default 8080; 0 = any free port)")
  int port = 8080;

  /** Counted down to stop a server started in-process (tests); the command line stops with Ctrl-C. */
  static volatile CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!Files.isDirectory(dir)) {
      throw new OptionException("RUNS_DIR '" + dir + "' is not a folder; give the folder that holds your run folders, e.g. 'serve runs'");
    }
    if (port < 0 || port > 65535) {
      throw new OptionException("--port must be in 0..65535, got " + port);
    }
    if (new java.net.InetSocketAddress(host, port).isUnresolved()) {
      throw new OptionException("cannot resolve --host '" + host + "'; use an address of this machine, e.g. 127.0.0.1");
    }
    RunServer server;
    try {
      server = new RunServer(new RunFolders(dir), host, port);
    } catch (java.net.BindException e) {
      throw new OptionException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); choose another --port");
    } catch (java.net.SocketException | IllegalArgumentException e) {
      throw new OptionException("cannot listen on --host " + host + ": " + e.getMessage());
    }
    try (server) {
      server.start();
      main.out.println("serving " + dir.toAbsolutePath() + " at " + server.uri() + " (read-only; Ctrl-C stops)");
      main.out.flush();
      stop.await();
    }
    return 0;
  }
}
