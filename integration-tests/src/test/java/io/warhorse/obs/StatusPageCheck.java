package io.warhorse.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads the admin status page in headless Chromium (Debian's {@code chromium}): the rendered DOM shows the live
 * worker count, a row per worker, every chart drawn with data points, a busiest-routes row and the events;
 * Chromium's log shows no console message, and a screenshot is kept in {@code target/status-page.png}. Skips only
 * where chromium is not installed.
 */
final class StatusPageCheck {

    private static final Pattern COUNT = Pattern.compile("id=\"worker-count\">(\\d+)<");
    private static final Pattern WORKER_ROWS = Pattern.compile("<tbody id=\"workers\">(.*?)</tbody>", Pattern.DOTALL);
    private static final Pattern ROUTE_ROWS = Pattern.compile("<tbody id=\"routes\">(.*?)</tbody>", Pattern.DOTALL);
    private static final Pattern PLACED_ROWS = Pattern.compile("<tbody id=\"placed-routes\">(.*?)</tbody>", Pattern.DOTALL);
    private static final Pattern CHART = Pattern.compile("<figure class=\"chart\" id=\"chart-([\\w-]+)\" data-points=\"(\\d+)\">(.*?)</figure>",
            Pattern.DOTALL);
    private static final List<String> CHARTS = List.of("rate", "refused", "latency", "in-flight", "rss");

    private StatusPageCheck() {}

    static void assertShowsWorkers(URI page, int workers) throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Run dom = run(chromium, target, "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0", "--dump-dom", page.toString());
        Matcher count = COUNT.matcher(dom.out);
        assertTrue(count.find(), "no worker count in the rendered page:\n" + dom.out);
        assertEquals(workers, Integer.parseInt(count.group(1)));
        Matcher rows = WORKER_ROWS.matcher(dom.out);
        assertTrue(rows.find(), dom.out);
        assertEquals(workers, rows.group(1).split("<tr>", -1).length - 1, "a row per worker:\n" + dom.out);
        assertTrue(dom.out.contains("master pid "), dom.out);
        assertChartsDrawn(dom.out);
        Matcher routes = ROUTE_ROWS.matcher(dom.out);
        assertTrue(routes.find() && routes.group(1).contains("<td class=\"l\">/hello</td>"), "a row for the /hello app:\n" + dom.out);
        assertTrue(dom.out.contains("class=\"event info\"") && dom.out.contains(" ready ("), "the events, with the workers' ready:\n" + dom.out);
        List<String> console = dom.err.lines().filter(line -> line.contains(":CONSOLE") || line.contains("Uncaught")).toList();
        assertTrue(console.isEmpty(), "console messages: " + console);
        Path screenshot = target.resolve("status-page.png");
        Files.deleteIfExists(screenshot);
        run(chromium, target, "--virtual-time-budget=3000", "--window-size=1200,1700", "--screenshot=" + screenshot, page.toString());
        assertTrue(Files.size(screenshot) > 1000, "screenshot written to " + screenshot);
    }

    /** The rendered page lists {@code route} of {@code app} as running on {@code runsOn} because it was moved. */
    static void assertShowsMovedRoute(URI page, String app, String route, String runsOn) throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Run dom = run(chromium, target, "--virtual-time-budget=3000", "--dump-dom", page.toString());
        Matcher rows = PLACED_ROWS.matcher(dom.out);
        assertTrue(rows.find(), dom.out);
        String row = "<td class=\"l\">" + app + "</td><td class=\"l\">" + route + "</td><td class=\"l\">" + runsOn
                + "</td><td class=\"l\">moved</td>";
        assertTrue(rows.group(1).contains(row), "a row " + row + " in:\n" + rows.group(1));
    }

    /** Every chart is in the DOM with an SVG polyline and data points; requests/s has at least two. */
    private static void assertChartsDrawn(String dom) {
        Matcher chart = CHART.matcher(dom);
        java.util.Map<String, Integer> points = new java.util.HashMap<>();
        while (chart.find()) {
            points.put(chart.group(1), Integer.parseInt(chart.group(2)));
            assertTrue(chart.group(3).contains("<polyline"), "chart " + chart.group(1) + " has no line: " + chart.group(3));
        }
        assertEquals(java.util.Set.copyOf(CHARTS), points.keySet(), "charts drawn: " + points + "\n" + dom);
        points.forEach((id, count) -> assertTrue(count > 0, "chart " + id + " has no data point: " + points));
        assertTrue(points.get("rate") >= 2, "requests/s has a line of at least two samples: " + points);
    }

    private record Run(String out, String err) {}

    private static Run run(String chromium, Path target, String... args) throws Exception {
        Path profile = Files.createTempDirectory(target, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path out = profile.resolve("chromium.out"); // the profile's own folder: test classes run in parallel forks
        Path err = profile.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return new Run(Files.readString(out), Files.readString(err));
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
