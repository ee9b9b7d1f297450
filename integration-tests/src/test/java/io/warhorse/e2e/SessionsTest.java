package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.it.Deadline;
import io.warhorse.it.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions with the default store (local: SQLite in the master's run folder) on one master with two workers, the
 * session-counter app at /session-counter (whose /plain, without a session, keeps the workers busy): one user's session
 * is found by every worker and survives every way warhorse replaces workers; expiry, a login and two requests of one
 * session in flight at once behave as the README says.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SessionsTest {

    private static final String APP = "/session-counter";
    /** Generous: on a loaded 2-core machine a worker's boot alone took 50 s. Never waited out when all is well. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    @TempDir
    static Path dir;
    private static Warhorse warhorse;

    /** hello.war behind container FORM login: its /whoami (which names the worker's pid) for the realm's users. */
    private static final String FORM = "/form";
    private static final String FORM_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <security-constraint>
                <web-resource-collection><url-pattern>/whoami</url-pattern></web-resource-collection>
                <auth-constraint><role-name>user</role-name></auth-constraint>
              </security-constraint>
              <security-role><role-name>user</role-name></security-role>
              <login-config>
                <auth-method>FORM</auth-method>
                <form-login-config>
                  <form-login-page>/login.html</form-login-page><form-error-page>/error.html</form-error-page>
                </form-login-config>
              </login-config>
            </web-app>
            """;

    @BeforeAll
    static void start() throws Exception {
        Path realm = Files.writeString(dir.resolve("realm.properties"), "carol: pear, user\n");
        Path config = Files.writeString(dir.resolve("warhorse.conf"), """
                warhorse.security.realm-file = "%s"
                warhorse.security.failed-login-delay = 0s
                """.formatted(realm));
        TestWars.copyWith(Warhorse.war("hello"), dir.resolve("form.war"), java.util.Map.of("WEB-INF/web.xml",
                FORM_WEB_XML, "login.html", "<form method=post action=j_security_check><input name=j_username>"
                        + "<input name=j_password></form>", "error.html", "wrong user or password"));
        warhorse = Warhorse.start("sessions", dir, "-c", config.toString(), "--workers", "2", "--bind", "127.0.0.1:0",
                "--timeout", "20s", "--graceful-timeout", "5s", "--max-requests", "300", "--max-requests-jitter", "50",
                Warhorse.war("session-counter") + "=" + APP, "form.war=" + FORM);
        warhorse.awaitListening(WAIT);
        warhorse.awaitWorkers(2, WAIT);
    }

    @AfterAll
    static void stop() {
        if (warhorse != null) {
            warhorse.close();
        }
    }

    @Test
    void theCounterReachesAHundredAcrossBusyWorkersAndSurvivesEveryWorkerChange() throws Exception {
        SessionClient user = new SessionClient(warhorse.port());
        Counter counter = new Counter(user);
        Set<Long> pids = new HashSet<>();
        int from = warhorse.lineCount();
        try (Load load = Load.start(warhorse.port(), APP + "/plain", 6)) {
            for (int i = 0; i < 100; i++) {
                pids.add(counter.next());
            }
            assertEquals(100, counter.value);
            assertTrue(pids.size() >= 2, "both workers answered the user: " + pids);
            assertTrue(user.cookieAttributes().contains("HttpOnly"), "cookie-config from web.xml: " + user.cookieAttributes());
            warhorse.awaitLine("\\(max-requests\\)", from, WAIT); // the busy workers recycle
            counter.next();
        }
        int mark = warhorse.lineCount();
        warhorse.signal("HUP");
        warhorse.awaitLine("reload complete: generation 2 serving", mark, WAIT);
        counter.next();
        warhorse.signal("TTOU");
        warhorse.awaitWorkers(1, WAIT);
        counter.next();
        warhorse.signal("TTIN");
        warhorse.awaitWorkers(2, WAIT);
        long victim = counter.next();
        Warhorse.kill("KILL", victim);
        Deadline.within(WAIT, () -> warhorse.workers().stream().noneMatch(w -> w.pid() == victim)
                && warhorse.workers().stream().filter(w -> w.state().equals("ready")).count() == 2);
        counter.next();
        counter.next();
        System.out.printf("sessions: counter at %d over %d workers, a recycle, HUP, TTOU+TTIN and kill -9%n",
                counter.value, pids.size());
    }

    @Test
    void anExpiredSessionIsGoneInEveryWorkerAndItsListenersRunOnce() throws Exception {
        SessionClient user = new SessionClient(warhorse.port());
        assertEquals(200, user.get(APP + "/expiring?seconds=2").status());
        String id = user.session();
        warhorse.awaitLine("session-counter: destroyed " + Pattern.quote(id), 0, WAIT);
        Set<Long> answered = new HashSet<>();
        Deadline.within(WAIT, () -> {
            SessionClient replay = SessionClient.with(warhorse.port(), id);
            SessionClient.Response response = replay.get(APP + "/attrs");
            assertEquals(200, response.status());
            assertTrue(!response.body().contains("tracker"), "expired session served: " + response.body());
            assertNotEquals(id, replay.session(), "a new session replaces the expired one");
            answered.add(response.pid());
            return answered.size() >= 2;
        });
        for (String event : new String[] {"destroyed", "valueUnbound", "removed:tracker"}) {
            long times = warhorse.lines().stream()
                    .filter(line -> line.text().startsWith("session-counter: " + event + " " + id + " ")).count();
            assertEquals(1, times, event + " of the expired session, across both workers:\n" + warhorse.tail(40));
        }
    }

    @Test
    void aLoginChangesTheSessionIdAndStaysLoggedInAcrossWorkers() throws Exception {
        SessionClient user = new SessionClient(warhorse.port());
        assertEquals(401, user.get(APP + "/whoami").status());
        user.get(APP + "/count");
        String before = user.session();
        SessionClient.Response login = user.post(APP + "/login?user=alice");
        assertEquals(200, login.status(), login.body());
        assertTrue(login.body().contains("changed=true"), login.body());
        assertNotEquals(before, user.session(), "changeSessionId sent a new cookie");
        Set<Long> answered = new HashSet<>();
        Deadline.within(WAIT, () -> {
            SessionClient.Response whoami = user.get(APP + "/whoami");
            assertEquals(200, whoami.status(), whoami.body());
            assertTrue(whoami.body().startsWith("user=alice "), whoami.body());
            answered.add(whoami.pid());
            return answered.size() >= 2;
        });
        assertEquals(401, SessionClient.with(warhorse.port(), before).get(APP + "/whoami").status(),
                "the id from before the login no longer works");
        assertEquals(200, user.post(APP + "/logout").status());
        assertEquals(401, user.get(APP + "/whoami").status());
        Matcher admin = Pattern.compile("admin listener at http://127\\.0\\.0\\.1:(\\d+)/")
                .matcher(warhorse.awaitLine("admin listener at", 0, WAIT).text());
        assertTrue(admin.find());
        int adminPort = Integer.parseInt(admin.group(1));
        Deadline.within(WAIT, () -> { // the master merges what every worker ships each second
            String json = Http.get(adminPort, "/metrics.json").body();
            return counter(json, "sessions.invalidated") >= 1 && counter(json, "sessions.created") >= 2
                    && counter(json, "sessions.cache.hits") >= 1 && json.contains("\"sessions.store.latency\"");
        });
    }

    /**
     * A container FORM login keeps the user's account in the session: it follows the user to every worker, from the
     * very next request (the redirect after the login is sent only once the session is written).
     */
    @Test
    void aContainerFormLoginStaysLoggedInAcrossWorkers() throws Exception {
        warhorse.awaitWorkers(2, WAIT);
        SessionClient user = new SessionClient(warhorse.port(), "JSESSIONID");
        SessionClient.Response page = user.get(FORM + "/whoami");
        assertTrue(page.body().contains("j_security_check"), "the login page: " + page.status() + " " + page.body());
        assertTrue(user.postForm(FORM + "/j_security_check", "j_username=carol&j_password=plum").body()
                .contains("wrong user or password"), "a bad password gets the error page");
        user.get(FORM + "/whoami");
        SessionClient.Response login = user.postForm(FORM + "/j_security_check", "j_username=carol&j_password=pear");
        assertTrue(login.status() == 302 || login.status() == 303, login.status() + " " + login.head());
        assertTrue(login.head().matches("(?is).*\r\nLocation: [^\r\n]*/form/whoami.*"),
                "back to the page first asked for: " + login.head());
        Pattern pid = Pattern.compile("\"pid\":(\\d+)");
        Set<Long> answered = new HashSet<>();
        Deadline.within(WAIT, () -> {
            SessionClient.Response whoami = user.get(FORM + "/whoami");
            Matcher matcher = pid.matcher(whoami.body());
            assertTrue(whoami.status() == 200 && matcher.find(), "logged in on every worker: " + whoami.status() + " "
                    + whoami.body() + " (after " + answered.size() + " answers)");
            answered.add(Long.parseLong(matcher.group(1)));
            return answered.size() >= 2;
        });
    }

    private static long counter(String json, String name) {
        Matcher value = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        return value.find() ? Long.parseLong(value.group(1)) : -1;
    }

    /** The rule README's "Sessions" states: a request writes its whole session back, and the last write wins. */
    @Test
    void twoRequestsOfOneSessionInTwoWorkersTheLastWholeWriteWins() throws Exception {
        SessionClient user = new SessionClient(warhorse.port());
        user.get(APP + "/count");
        String token = "hold-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path release = Path.of(System.getProperty("java.io.tmpdir"), token);
        int mark = warhorse.lineCount();
        CompletableFuture<SessionClient.Response> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return user.get(APP + "/set?name=a&value=1&hold=" + token);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            Matcher held = Pattern.compile("holding " + token + " pid=(\\d+)")
                    .matcher(warhorse.awaitLine("holding " + token, mark, WAIT).text());
            assertTrue(held.find());
            String fast = otherWorker(Long.parseLong(held.group(1)),
                    "GET " + APP + "/set?name=b&value=2 HTTP/1.1\r\nHost: x\r\nCookie: COUNTER_SID=" + user.session()
                            + "\r\n\r\n");
            assertTrue(fast.startsWith("HTTP/1.1 200"), fast);
            Files.createFile(release);
            assertEquals(200, slow.get(30, TimeUnit.SECONDS).status());
        } finally {
            Files.deleteIfExists(release);
        }
        String attrs = user.get(APP + "/attrs").body();
        assertTrue(attrs.contains("a=1"), "the slow request wrote last: " + attrs);
        assertTrue(!attrs.contains("b=2"), "its whole session replaced the fast request's write: " + attrs);
    }

    /** Sends {@code request} on a kept-alive connection accepted by a worker other than {@code pid}. */
    private static String otherWorker(long pid, String request) throws Exception {
        String[] answer = new String[1];
        Deadline.within(WAIT, () -> {
            try (Socket socket = new Socket("127.0.0.1", warhorse.port())) {
                socket.setSoTimeout(15_000);
                String probe = exchange(socket, "GET " + APP + "/plain HTTP/1.1\r\nHost: x\r\n\r\n");
                if (probe.contains("{\"pid\":" + pid + "}")) {
                    return false;
                }
                answer[0] = exchange(socket, request);
                return true;
            }
        });
        return answer[0];
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head.toString(StandardCharsets.ISO_8859_1));
        assertTrue(length.find(), head.toString(StandardCharsets.ISO_8859_1));
        return head.toString(StandardCharsets.ISO_8859_1)
                + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    /** The user's counter: each request must answer exactly one more than the last. */
    private static final class Counter {
        private final SessionClient user;
        int value;

        Counter(SessionClient user) {
            this.user = user;
        }

        long next() throws IOException {
            SessionClient.Response response = user.get(APP + "/count");
            assertEquals(200, response.status(), response.body());
            assertEquals(value + 1, response.count(), "the session was lost or stale: " + response.body()
                    + "\n" + warhorse.tail(30));
            value++;
            return response.pid();
        }
    }
}
