package org.diffuse4j.acceptance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad arguments to {@code serve} and to {@code inspect schedule RUN_DIR}: each is refused with exit
 * status 2, a message naming the cause, and every file left as it was.
 */
class ViewerFuzzTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "serve {0}")
  @CsvSource(delimiter = '|', value = {
      "missing RUNS_DIR      | serve;MISSING                    | RUNS_DIR;is not a folder",
      "RUNS_DIR is a file    | serve;FILE                       | RUNS_DIR;is not a folder",
      "negative port         | serve;RUNS;--port;-1             | --port must be in 0..65535",
      "port above 65535      | serve;RUNS;--port;70000          | --port must be in 0..65535",
      "port not a number     | serve;RUNS;--port;http           | --port;http",
      "host that resolves to nothing | serve;RUNS;--host;no-such-host.invalid | cannot resolve --host;no-such-host.invalid",
      "host not on this machine | serve;RUNS;--host;192.0.2.1;--port;0 | cannot listen;192.0.2.1",
      "port already in use   | serve;RUNS;--port;BUSY           | choose another --port",
      "unknown option        | serve;RUNS;--bind;0.0.0.0        | Unknown option;--bind",
      "two folders           | serve;RUNS;RUNS                  | Unmatched argument",
  })
  void serveRejects(String name, String args, String message) throws IOException {
    Path runs = Files.createDirectories(tmp.resolve("runs").resolve("a"));
    Files.writeString(runs.resolve("manifest.yaml"), "data: two-moons\n");
    Path file = Files.writeString(tmp.resolve("file.txt"), "not a folder");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> argv = new ArrayList<>();
      for (String a : args.split(";")) {
        argv.add(switch (a) {
          case "MISSING" -> tmp.resolve("missing").toString();
          case "FILE" -> file.toString();
          case "RUNS" -> tmp.resolve("runs").toString();
          case "BUSY" -> String.valueOf(busy.getLocalPort());
          default -> a;
        });
      }
      Fuzz.Watch w = Fuzz.watch(tmp);
      w.assertRejected(Cli.run(argv.toArray(String[]::new)), Fuzz.USAGE, message.split(";"));
    }
  }

  @ParameterizedTest(name = "inspect schedule RUN_DIR: {0}")
  @CsvSource(delimiter = '|', value = {
      "manifest without a schedule | data: two-moons                    | has no 'schedule';inspect schedule vp",
      "unknown schedule            | 'schedule: vpp'                    | unknown schedule 'vpp';did you mean 'vp'",
      "bad schedule option         | 'schedule: {name: vp, beta_max: 0.01}' | beta_max",
      "manifest not YAML           | 'schedule: [vp'                    | manifest.yaml",
  })
  void inspectOfARunFolderRejects(String name, String manifest, String message) throws IOException {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("manifest.yaml"), manifest + "\n");
    Fuzz.Watch w = Fuzz.watch(tmp);
    w.assertRejected(Cli.run("inspect", "schedule", run.toString()), Fuzz.USAGE, message.split(";"));
  }
}
