package org.diffuse4j.runtime.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunServerTest {
  @TempDir static Path base;
  static Path runs;
  static RunServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws IOException {
    runs = ExampleRuns.create(base);
    server = new RunServer(new RunFolders(runs), "127.0.0.1", 0);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Reply(int status, String type, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static Reply get(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** A request with the path sent byte for byte as given (no client-side normalisation). */
  static Reply raw(String path) throws IOException {
    try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(all.substring(9, 12));
      return new Reply(status, "", all.substring(all.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void runListShowsEveryRunWithStatusChoicesAndMetrics() throws Exception {
    Reply r = get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.type()).startsWith("text/html");
    String html = r.text();
    assertThat(html).contains("href=\"/run/moons\"", "href=\"/run/moons-vp\"", "href=\"/run/live\"", "href=\"/run/broken\"")
        .contains("rectified-flow", "sliced_wasserstein", "id=filter", "data-sort=number")
        .doesNotContain("escape", ExampleRuns.SECRET);
    JsonNode list = JSON.readTree(get("/api/runs").body());
    TreeMap<String, String> status = new TreeMap<>();
    list.forEach(n -> status.put(n.get("name").asText(), n.get("status").asText()));
    assertThat(status).containsExactlyEntriesOf(new TreeMap<>(java.util.Map.of(
        "broken", "failed", "live", "training", "moons", "done", "moons-vp", "done")));
    JsonNode moons = find(list, "moons");
    assertThat(moons.at("/choices/schedule").asText()).isEqualTo("rectified-flow");
    assertThat(moons.at("/choices/solver").asText()).isEqualTo("test-euler");
    assertThat(moons.at("/metrics/sliced_wasserstein").asDouble()).isPositive();
  }

  @Test
  void runPageShowsManifestMetricsSamplesAndSampleFolders() throws Exception {
    Reply r = get("/run/moons");
    assertThat(r.status()).isEqualTo(200);
    String html = r.text();
    String manifest = Files.readString(runs.resolve("moons").resolve("manifest.yaml"));
    assertThat(html).contains("id=manifest", Pages.esc("test-regression"), "src=\"/files/moons/samples.png\"",
        "src=\"/files/moons/loss.png\"", "samples/euler-8", "src=\"/files/moons/samples/euler-8/samples.png\"",
        "id=loss-chart", "id=lr-chart", "<td>sliced_wasserstein</td>", "name=run value=\"moons-vp\"");
    assertThat(manifest).contains("test-regression");

    JsonNode d = JSON.readTree(get("/api/run/moons").body());
    assertThat(d.get("losses")).hasSize(30);
    assertThat(d.at("/scalars/loss")).hasSize(3);
    assertThat(d.at("/scalars/loss/2/0").asInt()).isEqualTo(30);
    assertThat(d.at("/scalars/learning_rate/0/1").asDouble()).isCloseTo(0.003, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(d.at("/sampleFolderMetrics/euler-8/nfe").asInt()).isEqualTo(8);
    JsonNode live = JSON.readTree(get("/api/run/live").body());
    assertThat(live.at("/scalars/loss/1/1").asDouble()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-7));
    assertThat(live.get("losses")).isEmpty();
  }

  @Test
  void comparePageHighlightsManifestDifferencesAndShowsBothRuns() throws Exception {
    Reply r = get("/compare?run=moons&run=moons-vp");
    assertThat(r.status()).isEqualTo(200);
    String html = r.text();
    assertThat(html).containsPattern("<tr class=diff><td>schedule</td><td>rectified-flow</td><td>vp</td></tr>")
        .contains("<tr><td>seed</td><td>7</td><td>7</td></tr>")
        .contains("src=\"/files/moons/samples.png\"", "src=\"/files/moons-vp/samples.png\"", "class=metrics");
    assertThat(get("/compare?run=moons").status()).isEqualTo(400);
    assertThat(get("/compare?run=moons&run=nope").status()).isEqualTo(404);
  }

  @Test
  void filesAndStaticResourcesAreServed() throws Exception {
    Reply png = get("/files/moons/samples.png");
    assertThat(png.status()).isEqualTo(200);
    assertThat(png.type()).isEqualTo("image/png");
    assertThat(png.body()).isEqualTo(Files.readAllBytes(runs.resolve("moons").resolve("samples.png")));
    assertThat(get("/files/moons/samples/euler-8/metrics.json").text()).contains("\"nfe\": 8");
    assertThat(get("/static/viewer.js").text()).contains("function Chart");
    assertThat(get("/static/viewer.css").type()).startsWith("text/css");
    assertThat(get("/static/other.js").status()).isEqualTo(404);
    assertThat(get("/run/nope").status()).isEqualTo(404);
    assertThat(get("/nowhere").status()).isEqualTo(404);
    assertThat(get("/files/moons/missing.png").status()).isEqualTo(404);
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/files/moons/../../outside/secret.txt", "/files/moons/..%2F..%2Foutside%2Fsecret.txt",
      "/files/moons/%2e%2e/%2e%2e/outside/secret.txt", "/files/moons/%2E%2E/%2E%2E/outside/secret.txt",
      "/files/%2e%2e/outside/secret.txt", "/files/moons//etc/passwd", "/files/moons/%2Fetc%2Fpasswd",
      "/files/moons/leak.txt", "/files/escape/secret.txt", "/files/escape/manifest.yaml", "/run/escape",
      "/api/run/escape", "/files/moons/..%5C..%5Coutside%5Csecret.txt", "/files/moons/samples.png%00.txt",
      "/files/moons/./samples.png", "/compare?run=moons&run=..%2Foutside", "/compare?run=moons&run=escape",
      "/files/moons/%252e%252e/%252e%252e/outside/secret.txt"})
  void pathsOutsideTheRunsFolderAreRefused(String path) throws Exception {
    Reply r = raw(path);
    assertThat(r.status()).as(path).isIn(403, 404, 400);
    assertThat(r.text()).doesNotContain(ExampleRuns.SECRET);
  }

  @Test
  void theServerNeverWritesAndSurvivesRunsThatChangeOrVanish() throws Exception {
    String before = fingerprint(runs);
    for (String p : List.of("/", "/api/runs", "/run/moons", "/run/live", "/api/run/moons", "/compare?run=moons&run=live",
        "/files/moons/samples.png", "/run/broken")) {
      assertThat(get(p).status()).as(p).isEqualTo(200);
    }
    assertThat(fingerprint(runs)).as("nothing in RUNS_DIR changed").isEqualTo(before);

    // a half-written TensorBoard record: the complete ones are still shown
    Path temp = base.resolve("runs").resolve("temp");
    ExampleRuns.copy(runs.resolve("live"), temp);
    Path events;
    try (Stream<Path> s = Files.list(temp.resolve("tensorboard"))) {
      events = s.findFirst().orElseThrow();
    }
    Files.write(events, new byte[] {42, 0, 0, 0, 0, 0, 0, 0, 1, 2}, java.nio.file.StandardOpenOption.APPEND);
    assertThat(JSON.readTree(get("/api/run/temp").body()).at("/scalars/loss")).hasSize(2);
    // a half-written metrics.json is shown as no metrics
    Files.writeString(temp.resolve("metrics.json"), "{\"sliced_was");
    assertThat(get("/run/temp").status()).isEqualTo(200);
    // deleted while served
    ExampleRunsDelete.delete(temp);
    assertThat(get("/run/temp").status()).isEqualTo(404);
    assertThat(get("/").text()).doesNotContain("/run/temp");
  }

  @Test
  void serveCommandChecksItsArgumentsAndServesUntilStopped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = org.diffuse4j.cli.Main.execute(new PrintStream(out), new PrintStream(err), "serve", base.resolve("none").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("RUNS_DIR", "is not a folder");
    err.reset();
    code = org.diffuse4j.cli.Main.execute(new PrintStream(out), new PrintStream(err), "serve", runs.toString(),
        "--port", String.valueOf(server.uri().getPort()));
    assertThat(code).as("port in use").isEqualTo(2);
    assertThat(err.toString()).contains("choose another --port");

    ServeControl.reset();
    ByteArrayOutputStream served = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(served, true);
    Thread t = new Thread(() -> org.diffuse4j.cli.Main.execute(ps, ps, "serve", runs.toString(), "--port", "0"));
    t.start();
    long deadline = System.currentTimeMillis() + 20_000;
    while (!served.toString().contains("serving") && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    String line = served.toString();
    assertThat(line).contains("serving", "http://127.0.0.1:", "read-only");
    URI uri = URI.create(line.substring(line.indexOf("http://"), line.indexOf('/', line.indexOf("http://") + 7) + 1));
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("/run/moons");
    ServeControl.stop();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
  }

  private static JsonNode find(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no run " + name);
  }

  /** Paths, sizes, modification times and SHA-256 of every file under dir. */
  static String fingerprint(Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        b.append(dir.relativize(p)).append(' ').append(Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          b.append(' ').append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** Recursive delete. */
  static final class ExampleRunsDelete {
    static void delete(Path dir) throws IOException {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Starts and stops the in-process serve command (its latch). */
  static final class ServeControl {
    static void reset() throws Exception {
      var f = Class.forName("org.diffuse4j.cli.ServeCommand").getDeclaredField("stop");
      f.setAccessible(true);
      f.set(null, new CountDownLatch(1));
    }

    static void stop() throws Exception {
      var f = Class.forName("org.diffuse4j.cli.ServeCommand").getDeclaredField("stop");
      f.setAccessible(true);
      ((CountDownLatch) f.get(null)).countDown();
    }
  }
}
