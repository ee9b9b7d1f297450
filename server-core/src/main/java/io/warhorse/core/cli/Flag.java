package io.warhorse.core.cli;

import java.util.List;

/**
 * One command-line flag that sets one setting. Every such flag is in {@link #ALL}; a test walks the table and
 * checks each path against reference.conf, so a flag cannot drift away from the setting it claims to set.
 *
 * @param names the flag's names, long one first ({@code --bind}, {@code -b})
 * @param path  the setting it overrides, as in reference.conf
 * @param label the value's placeholder in --help; a DURATION flag takes a bare number as seconds, as gunicorn's
 *              do (a config file does not: there HOCON would read it as milliseconds)
 * @param help  one line for --help; the default from reference.conf is appended
 */
public record Flag(List<String> names, String path, String label, String help) {

    public static final List<Flag> ALL = List.of(
            new Flag(List.of("--worker", "-k"), "warhorse.worker.kind", "NAME",
                    "Worker kind: how a worker runs requests (kinds listed below)."),
            new Flag(List.of("--bind", "-b"), "warhorse.bind", "HOST:PORT",
                    "Address to listen on, e.g. 0.0.0.0:8000 or [::1]:8000."),
            new Flag(List.of("--backlog"), "warhorse.backlog", "N",
                    "Connections the kernel queues before a worker accepts them."),
            new Flag(List.of("--threads"), "warhorse.threads", "N",
                    "sync worker: request threads per worker."),
            new Flag(List.of("--queue"), "warhorse.queue", "N",
                    "sync worker: requests that may wait for a thread; more get 503."),
            new Flag(List.of("--worker-connections"), "warhorse.worker-connections", "N",
                    "virtual and async workers: requests in flight per worker; more get 503."),
            new Flag(List.of("--io-threads"), "warhorse.io-threads", "N",
                    "I/O threads per worker; 0 means cores / workers, rounded up."),
            new Flag(List.of("--async-threads"), "warhorse.async.threads", "N",
                    "async worker: request threads per worker; 0 means cores / workers, rounded up."),
            new Flag(List.of("--graceful-timeout"), "warhorse.graceful-timeout", "DURATION",
                    "How long a stopping worker waits for requests in flight, e.g. 30 (seconds) or 2m."),
            new Flag(List.of("--workers", "-w"), "warhorse.workers", "N",
                    "Worker processes the master keeps running."),
            new Flag(List.of("--timeout", "-t"), "warhorse.timeout", "DURATION",
                    "A worker with no heartbeat for this long is dumped, killed and replaced, e.g. 30 (seconds) or 2m."),
            new Flag(List.of("--request-timeout"), "warhorse.request-timeout", "DURATION",
                    "A request running longer gets 504 and its thread is interrupted, e.g. 60s; 0s no limit."),
            new Flag(List.of("--max-requests"), "warhorse.max-requests", "N",
                    "Recycle a worker after this many requests; 0 never."),
            new Flag(List.of("--max-requests-jitter"), "warhorse.max-requests-jitter", "N",
                    "Random extra requests before recycling, so workers recycle apart."),
            new Flag(List.of("--max-worker-uptime"), "warhorse.max-worker-uptime", "DURATION",
                    "Recycle a worker after it has run this long, e.g. 6h; 0s never."),
            new Flag(List.of("--max-worker-memory"), "warhorse.max-worker-memory", "SIZE",
                    "Recycle a worker whose resident memory passes this, e.g. 512MiB; 0 never."),
            new Flag(List.of("--reuse-port"), "warhorse.reuse-port", "BOOL",
                    "true: each worker binds the port with SO_REUSEPORT instead of sharing the master's socket."),
            new Flag(List.of("--cpu-affinity"), "warhorse.cpu-affinity", "BOOL",
                    "true: pin each worker to its own CPUs (one each with as many workers as CPUs)."),
            new Flag(List.of("--pid", "-p"), "warhorse.pid", "FILE",
                    "Write the master's pid to FILE; removed at exit."),
            new Flag(List.of("--user", "-u"), "warhorse.user", "USER",
                    "Run the workers as this user (name or id); the master binds first, as root."),
            new Flag(List.of("--group", "-g"), "warhorse.group", "GROUP",
                    "Run the workers as this group (name or id); default: the user's own."),
            new Flag(List.of("--umask", "-m"), "warhorse.umask", "UMASK",
                    "The workers' file mode creation mask, in octal, e.g. 027."),
            new Flag(List.of("--drain-delay"), "warhorse.shutdown.drain-delay", "DURATION",
                    "On TERM, serve this long with readiness 503 before draining, e.g. 10s."),
            new Flag(List.of("--log-level"), "warhorse.log-level", "LEVEL",
                    "Lowest level logged: TRACE, DEBUG, INFO, WARN or ERROR."),
            new Flag(List.of("--error-logfile", "--log-file"), "warhorse.log.file", "FILE",
                    "Write warhorse's own log to FILE instead of standard error; '-' is standard error."),
            new Flag(List.of("--log-config"), "warhorse.log.config", "FILE",
                    "A logback.xml that replaces warhorse's logging setup."),
            new Flag(List.of("--access-logfile"), "warhorse.access-log.file", "FILE",
                    "Access log file; '-' is standard output."),
            new Flag(List.of("--access-logformat"), "warhorse.access-log.format", "FORMAT",
                    "Access log format: common, combined, json or an Undertow pattern."),
            new Flag(List.of("--admin-bind"), "warhorse.admin.bind", "HOST:PORT",
                    "The master's admin listener (status page, /metrics), e.g. 127.0.0.1:9000."),
            // ---- the edge
            new Flag(List.of("--forwarded-allow-ips"), "warhorse.forwarded.trusted-proxies", "IPS",
                    "Proxies (addresses or CIDRs) whose X-Forwarded-* and Forwarded headers are believed, e.g. 127.0.0.1,10.0.0.0/8."),
            new Flag(List.of("--proxy-protocol"), "warhorse.proxy-protocol.enabled", "BOOL",
                    "true: read a PROXY protocol v1/v2 header on connections from --proxy-allow-from."),
            new Flag(List.of("--proxy-allow-from"), "warhorse.proxy-protocol.allow-from", "IPS",
                    "Peers (addresses or CIDRs) whose PROXY header is read, e.g. 127.0.0.1,10.0.0.0/8."),
            new Flag(List.of("--certfile"), "warhorse.tls.certfile", "FILE",
                    "Serve TLS with this PEM certificate chain (server certificate first)."),
            new Flag(List.of("--keyfile"), "warhorse.tls.keyfile", "FILE",
                    "The PEM private key of --certfile (PKCS#8, PKCS#1 RSA or SEC1 EC)."),
            new Flag(List.of("--ca-certs"), "warhorse.tls.ca-certs", "FILE",
                    "PEM CA certificates that client certificates are checked against."),
            new Flag(List.of("--cert-reqs"), "warhorse.tls.cert-reqs", "MODE",
                    "Client certificates: none, optional or required."),
            new Flag(List.of("--h2c"), "warhorse.http2.h2c", "BOOL",
                    "true: accept cleartext HTTP/2 (Upgrade: h2c and prior knowledge) without TLS."),
            // ---- sessions
            new Flag(List.of("--session-store"), "warhorse.sessions.store", "NAME",
                    "Where HttpSessions live: local (shared by this host's workers), redis or memory."),
            new Flag(List.of("--session-redis-uri"), "warhorse.sessions.redis.uri", "URI",
                    "The Redis server of the redis session store, e.g. redis://10.0.0.5:6379."),
            new Flag(List.of("--session-save"), "warhorse.sessions.save", "WHEN",
                    "When a request writes its session back: on-change or always."));

    public Flag {
        names = List.copyOf(names);
    }

    /** The long name, as origins show it: {@code --threads}. */
    public String name() {
        return names.getFirst();
    }
}
