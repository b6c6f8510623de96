package org.diffuse4j.runtime.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The run viewer: an HTTP server (the JDK's) over one runs folder. Pages are rendered on the server
 * (run list, run, compare); a small script in the page draws the interactive charts, sorts and
 * filters the list and polls the JSON API every few seconds for live runs. Read-only: it only
 * reads files, and only inside the runs folder ({@link RunFolders}).
 */
public final class RunServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TYPES = Map.of("png", "image/png", "svg", "image/svg+xml", "json",
      "application/json", "yaml", "text/plain; charset=utf-8", "log", "text/plain; charset=utf-8", "txt",
      "text/plain; charset=utf-8", "csv", "text/plain; charset=utf-8", "npy", "application/octet-stream");

  private final RunFolders runs;
  private final HttpServer server;
  private final ExecutorService pool;

  /** Serves {@code runs} on {@code host:port} (port 0: any free port); call {@link #start}. */
  public RunServer(RunFolders runs, String host, int port) throws IOException {
    this.runs = runs;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 32);
    this.pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "diffuse4j-serve");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  /** Starts serving in background threads. */
  public void start() {
    server.start();
  }

  /** The address clients use, e.g. http://127.0.0.1:8080/. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, "text/plain; charset=utf-8", "read-only viewer: only GET".getBytes(StandardCharsets.UTF_8));
        return;
      }
      route(ex);
    } catch (RuntimeException | IOException e) {
      try {
        send(ex, 500, "text/plain; charset=utf-8", ("error: " + e).getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // the client went away
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    List<String> seg = segments(raw);
    if (seg == null) {
      refuse(ex);
      return;
    }
    String first = seg.isEmpty() ? "" : seg.get(0);
    switch (first) {
      case "" -> html(ex, Pages.list(runs.list()));
      case "run" -> {
        Optional<Path> dir = seg.size() == 2 ? runs.run(seg.get(1)) : Optional.empty();
        if (dir.isEmpty()) {
          notFound(ex, "no run " + (seg.size() > 1 ? "'" + seg.get(1) + "'" : ""));
          return;
        }
        html(ex, Pages.run(runs.summary(seg.get(1)).orElseThrow(), detail(seg.get(1), dir.get()), runs.list()));
      }
      case "compare" -> {
        List<String> names = query(ex.getRequestURI().getRawQuery(), "run");
        List<Map<String, Object>> details = new ArrayList<>();
        for (String n : names) {
          Optional<Path> dir = runs.run(n);
          if (dir.isEmpty()) {
            notFound(ex, "no run '" + n + "'");
            return;
          }
          details.add(detail(n, dir.get()));
        }
        if (details.size() < 2) {
          send(ex, 400, "text/plain; charset=utf-8", "compare needs two or more runs: /compare?run=A&run=B".getBytes(StandardCharsets.UTF_8));
          return;
        }
        html(ex, Pages.compare(details));
      }
      case "api" -> api(ex, seg);
      case "files" -> {
        if (seg.size() < 3) {
          notFound(ex, "no file");
          return;
        }
        Optional<Path> f = runs.file(seg.get(1), String.join("/", seg.subList(2, seg.size())));
        if (f.isEmpty()) {
          notFound(ex, "no file '" + String.join("/", seg.subList(2, seg.size())) + "' in run '" + seg.get(1) + "'");
          return;
        }
        String name = f.get().getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), Files.readAllBytes(f.get()));
      }
      case "static" -> {
        String name = seg.size() == 2 ? seg.get(1) : "";
        if (!name.equals("viewer.js") && !name.equals("viewer.css")) {
          notFound(ex, "no such resource");
          return;
        }
        try (InputStream in = RunServer.class.getResourceAsStream(name)) {
          send(ex, 200, name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", in.readAllBytes());
        }
      }
      default -> notFound(ex, "no page '" + first + "'");
    }
  }

  private void api(HttpExchange ex, List<String> seg) throws IOException {
    if (seg.size() == 2 && seg.get(1).equals("runs")) {
      json(ex, runs.list());
      return;
    }
    if (seg.size() == 3 && seg.get(1).equals("run")) {
      Optional<Path> dir = runs.run(seg.get(2));
      if (dir.isPresent()) {
        json(ex, detail(seg.get(2), dir.get()));
        return;
      }
    }
    notFound(ex, "no such API path");
  }

  /** Everything the run and compare pages show of one run. */
  private Map<String, Object> detail(String name, Path dir) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("summary", runs.summary(name).orElse(null));
    Map<String, Object> manifest;
    try {
      manifest = RunFolders.manifest(dir);
    } catch (RuntimeException e) {
      manifest = Map.of();
    }
    d.put("manifest", manifest);
    d.put("metrics", RunFolders.metrics(dir));
    d.put("evaluation", RunFolders.readJson(dir.resolve("evaluation.json")));
    d.put("losses", RunFolders.losses(dir));
    d.put("scalars", RunFolders.scalars(dir));
    d.put("files", RunFolders.filesIn(dir));
    d.put("sampleFolders", RunFolders.sampleFolders(dir));
    Map<String, Map<String, Object>> folderMetrics = new LinkedHashMap<>();
    for (String f : RunFolders.sampleFolders(dir).keySet()) {
      folderMetrics.put(f, RunFolders.readJson(dir.resolve("samples").resolve(f).resolve("metrics.json")));
    }
    d.put("sampleFolderMetrics", folderMetrics);
    return d;
  }

  /**
   * The decoded path segments, or null when the path is refused: a segment that decodes to
   * {@code ..} or {@code .}, an empty segment inside the path (absolute paths after a prefix),
   * backslashes, NULs or malformed escapes.
   */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    String[] parts = rawPath.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String s;
      try {
        s = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      boolean last = i == parts.length - 1;
      if (s.isEmpty() && last) {
        continue; // a trailing slash
      }
      if (!RunFolders.plainName(s)) {
        return null;
      }
      out.add(s);
    }
    return out;
  }

  /** The decoded values of {@code key} in a raw query string (also comma-separated lists). */
  static List<String> query(String raw, String key) {
    List<String> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(key)) {
        for (String v : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).split(",")) {
          if (!v.isBlank()) {
            out.add(v.trim());
          }
        }
      }
    }
    return out;
  }

  private static void refuse(HttpExchange ex) throws IOException {
    send(ex, 403, "text/plain; charset=utf-8", "refused: the viewer only serves files inside its runs folder".getBytes(StandardCharsets.UTF_8));
  }

  private static void notFound(HttpExchange ex, String what) throws IOException {
    send(ex, 404, "text/html; charset=utf-8", Pages.notFound(what).getBytes(StandardCharsets.UTF_8));
  }

  private static void html(HttpExchange ex, String page) throws IOException {
    send(ex, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  private static void json(HttpExchange ex, Object value) throws IOException {
    send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
