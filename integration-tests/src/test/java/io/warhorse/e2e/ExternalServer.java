package io.warhorse.e2e;

import io.warhorse.it.Deadline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server the tests start as a user would (redis-server, nginx), on 127.0.0.1 and a port of its own, its
 * output in a file. {@link #close()} stops it by pid: TERM, then KILL.
 */
final class ExternalServer implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    final int port;

    private ExternalServer(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** A port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code command} and waits until {@code port} accepts connections. */
    static ExternalServer start(String name, Path dir, int port, List<String> command) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ExternalServer server = new ExternalServer(name, process, log, port);
        try {
            Deadline.within(Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                return accepts(port);
            });
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    static ExternalServer redis(Path dir, int port) throws Exception {
        return start("redis-" + port, dir, port, List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    }

    /** nginx, round-robin over {@code upstreams} (ports on 127.0.0.1), listening on a port of its own. */
    static ExternalServer nginx(Path dir, int... upstreams) throws Exception {
        int port = freePort();
        StringBuilder servers = new StringBuilder();
        for (int upstream : upstreams) {
            servers.append("    server 127.0.0.1:").append(upstream).append(";\n");
        }
        String prefix = dir.toAbsolutePath().toString();
        String conf = "daemon off;\nworker_processes 1;\npid " + prefix + "/nginx.pid;\nerror_log " + prefix
                + "/nginx-error.log;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n"
                + "  client_body_temp_path " + prefix + "/body;\n  proxy_temp_path " + prefix + "/proxy;\n"
                + "  fastcgi_temp_path " + prefix + "/fastcgi;\n  uwsgi_temp_path " + prefix + "/uwsgi;\n"
                + "  scgi_temp_path " + prefix + "/scgi;\n  upstream warhorse {\n" + servers + "  }\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n    location / { proxy_pass http://warhorse; }\n  }\n}\n";
        Path file = Files.writeString(dir.resolve("nginx.conf"), conf);
        return start("nginx", dir, port, List.of("nginx", "-p", prefix, "-e", prefix + "/nginx-error.log", "-c",
                file.toString()));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** TERM, and waits for the process to exit (KILL after 10 s). */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name + " on 127.0.0.1:" + port;
    }
}
