package io.warhorse.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The effective configuration of one warhorse run: built once at start from reference.conf, the user's file,
 * the environment and the command line, then never changed. Every field maps to exactly one key under
 * {@code warhorse} in reference.conf, where its meaning and default are documented; this type holds no defaults.
 *
 * @param worker            {@code warhorse.worker.kind}: the worker kind's name, as {@code WorkerKind.name()}
 * @param apps              {@code warhorse.apps}: the apps to deploy, each a WAR file or exploded folder (absolute path,
 *                          checked to exist) with a context path no other app uses
 * @param bind              {@code warhorse.bind}: where the app port listens
 * @param backlog           {@code warhorse.backlog}: the listen queue length
 * @param threads           {@code warhorse.threads}: request threads of the sync kind
 * @param queue             {@code warhorse.queue}: requests the sync kind lets wait for a thread before answering 503
 * @param workerConnections {@code warhorse.worker-connections}: requests in flight at once in a virtual or async worker
 * @param ioThreads         {@code warhorse.io-threads}: XNIO I/O threads, 0 for the worker's share of the cores ({@link WorkerSizing})
 * @param async             {@code warhorse.async.*}: the async kind's pool and watchdog
 * @param offload           {@code warhorse.offload.*}: moving routes off a cooperative kind's scarce threads
 * @param http              {@code warhorse.http.*}: protocol limits and timeouts
 * @param routeLimits       {@code warhorse.limits.routes}: bulkheads per URL pattern
 * @param shedding          {@code warhorse.limits.route-share}, {@code queue-timeout} and {@code standing-queue}: the
 *                          default share of a route and how long a request may wait to start
 * @param deploy            {@code warhorse.deploy.*}: where WARs are unpacked
 * @param gracefulTimeout   {@code warhorse.graceful-timeout}: how long a stop waits for requests in flight
 * @param requestTimeout    {@code warhorse.request-timeout}: a request running longer is answered 504 and interrupted;
 *                          zero for no limit
 * @param workerProcess     {@code warhorse.worker.jvm-options} and {@code warhorse.worker.env}: how worker JVMs start
 * @param master            the master's settings: worker count, heartbeat timeout, recycling, pid file, control socket
 * @param health            {@code warhorse.health.*}: the liveness and readiness endpoints
 * @param logLevel          {@code warhorse.log-level}: the root log level, upper case: TRACE, DEBUG, INFO, WARN or ERROR
 * @param observability     {@code warhorse.metrics.*}, {@code admin.*}, {@code access-log.*} and {@code log.*}
 * @param edge              {@code warhorse.forwarded.*}, {@code proxy-protocol.*}, {@code tls.*} and {@code http2.*}
 * @param reload            {@code warhorse.reload.*}: reloading when an app or the config file changes (development)
 * @param sessions          {@code warhorse.sessions.*}: where HttpSessions are kept, read by {@code SessionsReader}
 */
public record Settings(
        String worker,
        List<AppSpec> apps,
        HostPort bind,
        int backlog,
        int threads,
        int queue,
        int workerConnections,
        int ioThreads,
        Async async,
        Offload offload,
        Http http,
        List<RouteLimit> routeLimits,
        Shedding shedding,
        Deploy deploy,
        Duration gracefulTimeout,
        Duration requestTimeout,
        WorkerProcess workerProcess,
        Master master,
        Health health,
        String logLevel,
        Observability observability,
        Edge edge,
        Reload reload,
        Sessions sessions) {

    public Settings {
        apps = List.copyOf(apps);
        routeLimits = List.copyOf(routeLimits);
    }

    /**
     * @param threads            {@code warhorse.async.threads}: request threads, 0 for one per core
     * @param watchdogThreshold  {@code warhorse.async.watchdog-threshold}: a task holding a thread longer is reported
     */
    public record Async(int threads, Duration watchdogThreshold) {}

    /**
     * @param enabled      {@code warhorse.offload.enabled}: caught routes are moved
     * @param strikes      {@code warhorse.offload.strikes}: caught requests of one route before it moves
     * @param cpuThreshold {@code warhorse.offload.cpu-threshold}: virtual kind, carrier CPU without parking
     * @param virtualMax   {@code warhorse.offload.virtual-max}: async kind, requests of one moved route at once, 0 for half of
     *                     worker-connections
     * @param platformQueue {@code warhorse.offload.platform-queue}: virtual kind, moved requests waiting
     * @param pins         {@code warhorse.offload.routes}: routes the user placed
     */
    public record Offload(boolean enabled, int strikes, Duration cpuThreshold, int virtualMax, int platformQueue,
                          List<RoutePin> pins) {
        public Offload {
            pins = List.copyOf(pins);
        }
    }

    /**
     * @param routeShare   {@code warhorse.limits.route-share}: the fraction of a worker's capacity one route may
     *                     hold, in (0, 1]; 1 for no share
     * @param queueTimeout {@code warhorse.limits.queue-timeout}: a request waiting longer to start is answered 503;
     *                     zero for no limit
     * @param standingTarget   {@code warhorse.limits.standing-queue.target}: the wait allowed while a queue stands;
     *                         zero turns the adaptive timeout off
     * @param standingInterval {@code warhorse.limits.standing-queue.interval}: how long waits must stay above the
     *                         target for the queue to count as standing
     */
    public record Shedding(double routeShare, Duration queueTimeout, Duration standingTarget, Duration standingInterval) {}

    /**
     * @param maxHeaderSize       {@code warhorse.http.max-header-size}: bytes of request line and headers
     * @param maxHeaders          {@code warhorse.http.max-headers}: header fields per request
     * @param maxParameters       {@code warhorse.http.max-parameters}: query and form parameters per request
     * @param maxEntitySize       {@code warhorse.http.max-entity-size}: request body bytes, 0 for no limit
     * @param requestParseTimeout {@code warhorse.http.request-parse-timeout}: time to receive a request's head
     * @param idleTimeout         {@code warhorse.http.idle-timeout}: keep-alive connection with no request is closed after this
     */
    public record Http(long maxHeaderSize, int maxHeaders, int maxParameters, long maxEntitySize,
                       Duration requestParseTimeout, Duration idleTimeout) {}

    /**
     * @param tempDir  {@code warhorse.deploy.temp-dir}: parent of the unpack folders, absolute; the system's
     *                 temporary folder ({@code java.io.tmpdir}) when the setting is empty
     * @param jsp      {@code warhorse.jsp.*}: how JSP pages are compiled
     * @param security {@code warhorse.security.*}: the container login's users and brute-force guard
     * @param stackTraces {@code warhorse.deploy.stack-traces}: "none", "local" or "all"
     */
    public record Deploy(Path tempDir, Jsp jsp, Security security, String stackTraces) {}

    /**
     * @param precompile  {@code warhorse.jsp.precompile}: compile every JSP at deploy
     * @param development {@code warhorse.jsp.development}: recompile a page whose source changed
     */
    public record Jsp(boolean precompile, boolean development) {}

    /**
     * @param realmFile        {@code warhorse.security.realm-file}: the users file, absolute, or null for none
     * @param failedLoginDelay {@code warhorse.security.failed-login-delay}: the first wait after a failed login
     */
    public record Security(Path realmFile, Duration failedLoginDelay) {}

    /**
     * @param jvmOptions {@code warhorse.worker.jvm-options}: options for each worker's JVM
     * @param env        {@code warhorse.worker.env}: extra environment variables, from "NAME=value" strings
     * @param classDataArchive {@code warhorse.worker.class-data-archive}: "auto", a file path, or "" for none
     * @param defaultJvmOptions {@code warhorse.worker.default-jvm-options}: warhorse's heap and GC options, before
     *                   {@code jvmOptions}, which replace those of the same family
     * @param heapPercent {@code warhorse.worker.heap-percent}: the RAM all workers' heaps may take together, 0 for
     *                   the JDK's default per worker
     */
    public record WorkerProcess(List<String> jvmOptions, java.util.Map<String, String> env, String classDataArchive,
                                List<String> defaultJvmOptions, int heapPercent) {
        public WorkerProcess {
            jvmOptions = List.copyOf(jvmOptions);
            defaultJvmOptions = List.copyOf(defaultJvmOptions);
            env = java.util.Map.copyOf(env);
        }
    }

    /**
     * @param workers           {@code warhorse.workers}: worker processes to keep running
     * @param timeout           {@code warhorse.timeout}: a worker silent this long is hung
     * @param maxRequests       {@code warhorse.max-requests}: recycle after this many requests, 0 for never
     * @param maxRequestsJitter {@code warhorse.max-requests-jitter}: random extra requests per worker
     * @param maxWorkerUptime   {@code warhorse.max-worker-uptime}: recycle after this long, zero for never
     * @param maxWorkerMemory   {@code warhorse.max-worker-memory}: recycle above this RSS in bytes, 0 for never
     * @param pidFile           {@code warhorse.pid}: the pidfile, or null for none
     * @param controlSocket     {@code warhorse.control-socket}: the control socket's path, "" for the default
     * @param drainDelay        {@code warhorse.shutdown.drain-delay}: serving time with readiness 503 before a stop
     * @param reusePort         {@code warhorse.reuse-port}: workers bind the port with SO_REUSEPORT themselves
     * @param cpuAffinity       {@code warhorse.cpu-affinity}: each worker is pinned to its own part of the CPUs
     * @param privileges        {@code warhorse.user}, {@code group} and {@code umask}: whom the workers run as
     */
    public record Master(int workers, Duration timeout, int maxRequests, int maxRequestsJitter,
                         Duration maxWorkerUptime, long maxWorkerMemory, Path pidFile, String controlSocket,
                         Duration drainDelay, boolean reusePort, boolean cpuAffinity, Privileges privileges) {}

    /**
     * @param user  {@code warhorse.user}: the workers' user (name or id), "" for the master's
     * @param group {@code warhorse.group}: the workers' group (name or id), "" for the user's own
     * @param umask {@code warhorse.umask}: the workers' umask, or -1 to keep the master's
     */
    public record Privileges(String user, String group, int umask) {
        /** Whether workers run as another user than the master. */
        public boolean dropped() {
            return !user.isEmpty();
        }
    }

    /**
     * @param enabled       {@code warhorse.health.enabled}
     * @param livenessPath  {@code warhorse.health.liveness-path}
     * @param readinessPath {@code warhorse.health.readiness-path}
     */
    public record Health(boolean enabled, String livenessPath, String readinessPath) {}

    /** Metrics, the admin listener and the logs, read by {@code ObservabilityReader}. */
    public record Observability(Metrics metrics, Admin admin, AccessLog accessLog, Log log) {}

    /**
     * @param enabled        {@code warhorse.metrics.enabled}: instrument requests and ship metrics to the master
     * @param interval       {@code warhorse.metrics.interval}: how often a worker ships its metrics
     * @param jmx            {@code warhorse.metrics.jmx}: publish the merged metrics over JMX in the master
     * @param graphite       {@code warhorse.metrics.graphite}: the Graphite server, or null for none
     * @param csvDir         {@code warhorse.metrics.csv-dir}: the CSV reporter's folder, or null for none
     * @param slf4j          {@code warhorse.metrics.slf4j}: log the merged metrics
     * @param reportInterval {@code warhorse.metrics.report-interval}: period of the Graphite, CSV and SLF4J reporters
     * @param history        {@code warhorse.metrics.history}: how far back the master keeps its merged metrics
     * @param events         {@code warhorse.metrics.events}: how many of the master's events it keeps
     */
    public record Metrics(boolean enabled, Duration interval, boolean jmx, HostPort graphite, Path csvDir,
                          boolean slf4j, Duration reportInterval, Duration history, int events) {}

    /**
     * @param enabled {@code warhorse.admin.enabled}: serve the admin listener in the master
     * @param bind    {@code warhorse.admin.bind}: where it listens, or null for 127.0.0.1 on the app port + 1000
     * @param maxConnections {@code warhorse.admin.max-connections}: connections it keeps open at once
     */
    public record Admin(boolean enabled, HostPort bind, int maxConnections) {
        /** Where it listens, given the configured app address. */
        public HostPort bindBeside(HostPort app) {
            if (bind != null) {
                return bind;
            }
            int port = app.port() == 0 || app.port() + 1000 > 65535 ? 0 : app.port() + 1000;
            return new HostPort("127.0.0.1", port);
        }
    }

    /**
     * @param file   {@code warhorse.access-log.file}: the file, "-" for standard output, or "" for no access log
     * @param format {@code warhorse.access-log.format}: common, combined, json or an Undertow pattern
     */
    public record AccessLog(String file, String format) {
        public boolean enabled() {
            return !file.isEmpty();
        }
    }

    /**
     * @param file   {@code warhorse.log.file}: the error log file, or null for standard error
     * @param config {@code warhorse.log.config}: a Logback configuration file that replaces ours, or null
     */
    public record Log(Path file, Path config) {}

    // ---- the edge, read by EdgeReader

    /**
     * @param trustedProxies {@code warhorse.forwarded.trusted-proxies}: peers whose forwarded headers are believed
     * @param proxyProtocol  {@code warhorse.proxy-protocol.*}
     * @param tls            {@code warhorse.tls.*}
     * @param http2          {@code warhorse.http2.*}
     */
    public record Edge(List<Cidr> trustedProxies, ProxyProtocol proxyProtocol, Tls tls, Http2 http2) {
        public Edge {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * @param enabled   {@code warhorse.proxy-protocol.enabled}
     * @param allowFrom {@code warhorse.proxy-protocol.allow-from}: peers whose PROXY header is read
     */
    public record ProxyProtocol(boolean enabled, List<Cidr> allowFrom) {
        public ProxyProtocol {
            allowFrom = List.copyOf(allowFrom);
        }
    }

    /**
     * @param certfile  {@code warhorse.tls.certfile}: the PEM chain, or null for plain HTTP
     * @param keyfile   {@code warhorse.tls.keyfile}: its PEM private key (null exactly when certfile is)
     * @param caCerts   {@code warhorse.tls.ca-certs}: PEM CA certificates for client certificates, or null
     * @param certReqs  {@code warhorse.tls.cert-reqs}: "none", "optional" or "required"
     * @param protocols {@code warhorse.tls.protocols}
     * @param ciphers   {@code warhorse.tls.ciphers}: TLS 1.2 suites, empty for the JDK's defaults
     */
    public record Tls(Path certfile, Path keyfile, Path caCerts, String certReqs, List<String> protocols,
                      List<String> ciphers) {
        public Tls {
            protocols = List.copyOf(protocols);
            ciphers = List.copyOf(ciphers);
        }

        public boolean enabled() {
            return certfile != null;
        }
    }

    /**
     * @param enabled              {@code warhorse.http2.enabled}: h2 by ALPN with TLS
     * @param h2c                  {@code warhorse.http2.h2c}: h2c by upgrade and prior knowledge without TLS
     * @param maxConcurrentStreams {@code warhorse.http2.max-concurrent-streams}
     * @param maxHeaderListSize    {@code warhorse.http2.max-header-list-size}, bytes
     */
    public record Http2(boolean enabled, boolean h2c, int maxConcurrentStreams, int maxHeaderListSize) {}

    /**
     * @param enabled      {@code warhorse.reload.enabled}: watch the apps, the config file and the extra files
     * @param extraFiles   {@code warhorse.reload.extra-files}: more files or folders to watch, absolute
     * @param settle       {@code warhorse.reload.settle}: how long a change must rest before the reload
     * @param pollInterval {@code warhorse.reload.poll-interval}: the comparison period where inotify cannot be used
     */
    public record Reload(boolean enabled, List<Path> extraFiles, Duration settle, Duration pollInterval) {
        public Reload {
            extraFiles = List.copyOf(extraFiles);
        }
    }

    // ---- sessions (one block, kept together)

    /**
     * @param store            {@code warhorse.sessions.store}: the session store's name, as {@code SessionStoreFactory.name()}
     * @param saveAlways       {@code warhorse.sessions.save}: true for "always", false for "on-change"
     * @param scavengeInterval {@code warhorse.sessions.scavenge-interval}: how often a worker looks for expired sessions
     * @param touchInterval    {@code warhorse.sessions.touch-interval}: a read-only request writes the access time back
     *                         when the stored one is at least this old
     * @param local            {@code warhorse.sessions.local.*}
     * @param redis            {@code warhorse.sessions.redis.*}
     */
    public record Sessions(String store, boolean saveAlways, Duration scavengeInterval, Duration touchInterval,
                           LocalStore local, RedisStore redis) {}

    /**
     * @param busyTimeout {@code warhorse.sessions.local.busy-timeout}: how long a write waits while another worker writes
     * @param connections {@code warhorse.sessions.local.connections}: database connections per worker
     */
    public record LocalStore(Duration busyTimeout, int connections) {}

    /**
     * @param uri         {@code warhorse.sessions.redis.uri}: redis://[user:password@]host:port[/db]
     * @param keyPrefix   {@code warhorse.sessions.redis.key-prefix}: put before every key warhorse writes
     * @param timeout     {@code warhorse.sessions.redis.timeout}: connect and read timeout
     * @param connections {@code warhorse.sessions.redis.connections}: pooled connections per worker
     * @param expiryGrace {@code warhorse.sessions.redis.expiry-grace}: how long Redis keeps a key past its expiry, so
     *                    that a worker can still run the session's listeners before Redis drops it
     */
    public record RedisStore(String uri, String keyPrefix, Duration timeout, int connections, Duration expiryGrace) {}
}
