package dev.switchboard.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway as users run it: {@code java dev.switchboard.Main ...} in its own JVM, its log captured. */
final class GatewayProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private GatewayProcess(Process process) {
    this.process = process;
    reader = new Thread(this::readLog, "gateway-log");
    reader.setDaemon(true);
    reader.start();
  }

  static GatewayProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, List.of(), args);
  }

  /** With JVM options ({@code -Dname=value}) before the main class. */
  static GatewayProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.switchboard.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
    return new GatewayProcess(pb.start());
  }

  private void readLog() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
      }
    } catch (IOException ignored) {
      // the process ended
    } finally {
      port.completeExceptionally(new IllegalStateException("gateway exited before listening:\n" + log()));
    }
  }

  int awaitPort() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /** SIGTERM, as a container runtime or systemd would send it; returns the exit status. */
  int terminate() throws Exception {
    sigterm();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("gateway did not stop within 90 s after SIGTERM");
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /**
   * Sends SIGTERM and returns at once; {@link #awaitExit(long)} waits for the status. Through the
   * process handle: {@code Process.destroy()} also closes the pipe the log is read from, so
   * nothing the gateway logs while it stops would reach {@link #log()}.
   */
  void sigterm() {
    process.toHandle().destroy();
  }

  /** SIGHUP, as {@code kill -HUP} or {@code systemctl reload} sends it: the gateway reloads its configuration. */
  void sighup() throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IllegalStateException("kill -HUP failed");
  }

  /** How many log lines contain {@code text}. */
  long count(String text) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.contains(text)).count();
    }
  }

  int awaitExit() throws Exception {
    return awaitExit(60);
  }

  /** The exit status; past {@code seconds}, kills the process and throws. */
  int awaitExit(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("gateway did not exit within " + seconds + " s");
    }
    reader.join(10_000); // the last lines, so that log() holds everything the gateway wrote
    return process.exitValue();
  }

  String log() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
