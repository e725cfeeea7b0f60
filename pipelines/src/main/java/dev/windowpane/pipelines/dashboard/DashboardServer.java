package dev.windowpane.pipelines.dashboard;

import com.sun.net.httpserver.Headers;
import dev.windowpane.pipelines.cli.CommandFailure;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's web server, on the JDK's own {@link HttpServer}: the page ({@code /}, {@code
 * /app.js}, {@code /style.css}, from the classpath's {@code dashboard/}), the newest state as JSON
 * ({@code /api/snapshot}, see {@link DashboardState#snapshot()}) and the same state pushed as
 * Server-Sent Events ({@code /api/events}: an event {@code snapshot} at once and after every
 * change, a comment every {@value #KEEP_ALIVE_MILLIS} ms otherwise).
 *
 * <p>A slow or closed browser never holds up the pipeline: each event stream has its own thread
 * that writes the newest state when it can, so a client that falls behind skips to the newest
 * state (its buffer is one snapshot), and the pipeline only ever takes the state's lock for the
 * time of an update. At most {@value #MAX_EVENT_STREAMS} streams at once; more are refused with
 * 503. Every response forbids inline script and any other origin (Content-Security-Policy), MIME
 * sniffing and framing; only GET and HEAD are served.
 */
public final class DashboardServer implements AutoCloseable {
  static final int MAX_EVENT_STREAMS = 32;
  static final long KEEP_ALIVE_MILLIS = 15_000;
  /** The page's own files: script, style and data only from this server, nothing inline. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

  private static final Map<String, String[]> PAGE_FILES =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
          "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final DashboardState state;
  private final AtomicInteger eventStreams = new AtomicInteger();
  private volatile boolean closing;

  private DashboardServer(HttpServer server, ThreadPoolExecutor threads, DashboardState state) {
    this.server = server;
    this.threads = threads;
    this.state = state;
  }

  /**
   * Serves {@code state} on {@code host}:{@code port} (0: a free port) until {@link #close}.
   *
   * @throws CommandFailure when the address cannot be bound (the port is taken, say)
   */
  public static DashboardServer start(DashboardState state, String host, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
    } catch (IOException e) {
      throw new CommandFailure(
          "Cannot serve the dashboard on " + host + ":" + port + " (" + e.getMessage() + "): give another"
              + " --ui=PORT, or stop what uses this one.",
          e);
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            0,
            MAX_EVENT_STREAMS + 8,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, "dashboard-http-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    DashboardServer dashboard = new DashboardServer(server, threads, state);
    server.setExecutor(threads);
    server.createContext("/", dashboard::handle);
    server.start();
    return dashboard;
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Whether it listens on the loopback interface only (this machine). */
  public boolean loopbackOnly() {
    return address().getAddress().isLoopbackAddress();
  }

  /** The page's address: on the bound host, or 127.0.0.1 for an any-interface bind. */
  public URI url() {
    InetAddress address = address().getAddress();
    String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
    if (address instanceof Inet6Address && !address.isAnyLocalAddress()) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return URI.create("http://" + host + ":" + address().getPort() + "/");
  }

  /** One sentence for the console: the page's URL and the address it is bound to. */
  public String announcement() {
    String bound = address().getAddress().getHostAddress() + ":" + address().getPort();
    return "Dashboard: " + url() + " (listening on " + bound
        + (loopbackOnly()
            ? ", this machine only; --uiHost=0.0.0.0 serves other machines too)"
            : address().getAddress().isAnyLocalAddress()
                ? ", every network interface: anyone who reaches this port sees the rankings)"
                : ": anyone who reaches this address sees the rankings)");
  }

  /** Stops serving: open event streams end, the port is free again. */
  @Override
  public void close() {
    closing = true;
    state.wakeAll();
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Cache-Control", "no-store");
      String method = exchange.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        headers.set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD are served.\n", false);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String[] file = PAGE_FILES.get(path);
      if (file != null) {
        send(exchange, 200, file[1], pageFile(file[0]), head);
      } else if (path.equals("/api/snapshot")) {
        send(exchange, 200, "application/json; charset=utf-8", state.snapshotJson() + "\n", head);
      } else if (path.equals("/api/events")) {
        streamEvents(exchange, head);
      } else {
        send(exchange, 404, "text/plain; charset=utf-8", "Not found: the dashboard is at /.\n", head);
      }
    } catch (IOException e) {
      // The browser went away mid-response: nothing to tell it.
    }
  }

  private static String pageFile(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IOException("The dashboard's " + name + " is not on the classpath.");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Writes the newest snapshot at once and after every change, until the client or server goes. */
  private void streamEvents(HttpExchange exchange, boolean head) throws IOException {
    if (eventStreams.incrementAndGet() > MAX_EVENT_STREAMS) {
      eventStreams.decrementAndGet();
      exchange.getResponseHeaders().set("Retry-After", "10");
      send(exchange, 503, "text/plain; charset=utf-8", "Too many live views of this dashboard; try again later.\n", head);
      return;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      if (head) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long seen = Long.MIN_VALUE;
      while (!closing) {
        long version = state.awaitChange(seen, KEEP_ALIVE_MILLIS);
        if (closing) {
          break;
        }
        String event = version != seen ? "event: snapshot\ndata: " + state.snapshotJson() + "\n\n" : ": still here\n\n";
        seen = version;
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      eventStreams.decrementAndGet();
    }
  }

  /** How many event streams are open now. */
  int openEventStreams() {
    return eventStreams.get();
  }
}
