package io.warhorse.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last minutes of the master's merged metrics, one sample per {@code metrics.interval}, in fixed-size rings:
 * request rate, responses per second by class, 503s by cause (a worker at its cap, a route at its limit or its
 * share, a request queued past {@code limits.queue-timeout}, or past {@code limits.standing-queue.target} while a
 * queue stood), queued requests dropped as their client had gone,
 * requests past their deadline, p50/p99 latency over each interval, requests in flight, and each worker's
 * resident memory. The rings are allocated once; a worker's memory series is dropped once the worker has been gone
 * for a whole window, so nothing grows with time or with worker churn. {@link #sample} runs on the master's
 * sampling thread, {@link #write} on the admin listener's: both lock.
 */
public final class History {

    /** Rate series (as named in {@code /metrics.json?history=1}) and the merged counter each is the rate of. */
    private static final String[][] RATES = {
        {"requests_per_s", "requests.total"}, {"2xx_per_s", "responses.2xx"}, {"4xx_per_s", "responses.4xx"},
        {"5xx_per_s", "responses.5xx"}, {"503_worker_cap_per_s", "requests.rejected.worker"},
        {"503_route_limit_per_s", "requests.rejected.route"}, {"503_route_share_per_s", "requests.rejected.share"},
        {"503_queue_timeout_per_s", "requests.rejected.queue-timeout"},
        {"503_standing_queue_per_s", "requests.rejected.standing-queue"},
        {"dropped_client_gone_per_s", "requests.dropped.client-gone"}, {"deadline_exceeded_per_s", "requests.timeouts"}};
    /** Every series: the rates, then the interval's latency percentiles and the requests in flight. */
    private static final List<String> SERIES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(RATES).map(rate -> rate[0]), java.util.stream.Stream.of("p50_ms", "p99_ms", "in_flight")).toList();

    private final int capacity;
    private final long intervalMillis;
    private final long[] times;
    private final double[][] values;
    private final Map<Integer, WorkerSeries> rss = new TreeMap<>();
    private int next;
    private int size;
    private long previousMillis = -1;
    private Map<String, Long> previousCounters = Map.of();
    private MergedMetrics.Histogram previousLatency;

    private static final class WorkerSeries {
        final double[] mib;
        int samplesSinceSeen;

        WorkerSeries(int capacity) {
            mib = new double[capacity];
            java.util.Arrays.fill(mib, Double.NaN);
        }
    }

    public History(int capacity, long intervalMillis) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a history needs at least 2 samples, was " + capacity);
        }
        this.capacity = capacity;
        this.intervalMillis = intervalMillis;
        this.times = new long[capacity];
        this.values = new double[SERIES.size()][capacity];
    }

    /** Takes one sample at {@code nowMillis}; the first only sets the baseline the next one's rates start from. */
    public synchronized void sample(long nowMillis, MergedMetrics.View merged, List<WorkerFigures> workers) {
        MergedMetrics.Histogram latency = MergedMetrics.Histogram.sum(merged.histograms().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(RequestInstrumentation.DURATION + "|")) // not the session store's
                .map(java.util.Map.Entry::getValue).toList());
        if (previousMillis >= 0 && nowMillis > previousMillis) {
            double seconds = (nowMillis - previousMillis) / 1000.0;
            int series = 0;
            for (String[] rate : RATES) {
                String counter = rate[1];
                long delta = merged.counters().getOrDefault(counter, 0L) - previousCounters.getOrDefault(counter, 0L);
                values[series++][next] = Math.max(0, delta) / seconds;
            }
            MergedMetrics.Histogram interval = latency.plus(previousLatency, -1);
            boolean none = interval.count() <= 0;
            values[series++][next] = none ? Double.NaN : JsonExposition.quantile(interval, 0.50) * 1000;
            values[series++][next] = none ? Double.NaN : JsonExposition.quantile(interval, 0.99) * 1000;
            values[series][next] = workers.stream().mapToLong(WorkerFigures::inFlight).sum();
            times[next] = nowMillis;
            sampleMemory(workers);
            next = (next + 1) % capacity;
            size = Math.min(capacity, size + 1);
        }
        previousMillis = nowMillis;
        previousCounters = new HashMap<>(merged.counters());
        previousLatency = latency;
    }

    private void sampleMemory(List<WorkerFigures> workers) {
        Map<Integer, Double> now = new HashMap<>();
        workers.forEach(worker -> now.put(worker.row().id(), worker.rssBytes() < 0 ? Double.NaN : worker.rssBytes() / 1048576.0));
        for (Iterator<Map.Entry<Integer, WorkerSeries>> it = rss.entrySet().iterator(); it.hasNext(); ) {
            WorkerSeries series = it.next().getValue();
            if (++series.samplesSinceSeen >= capacity) {
                it.remove();
            } else {
                series.mib[next] = Double.NaN;
            }
        }
        now.forEach((id, mib) -> {
            WorkerSeries series = rss.computeIfAbsent(id, key -> new WorkerSeries(capacity));
            series.mib[next] = mib;
            series.samplesSinceSeen = 0;
        });
    }

    /** Samples kept: at most the capacity. */
    public synchronized int size() {
        return size;
    }

    /** Workers with a memory series: those seen within the window. */
    public synchronized int workerSeries() {
        return rss.size();
    }

    /** Writes {@code {"interval_ms", "capacity", "t": [ms], "series": {name: [..]}, "rss_mib": {worker: [..]}}}, oldest first. */
    public synchronized void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("interval_ms", intervalMillis);
        json.writeNumberField("capacity", capacity);
        int first = (next - size + capacity) % capacity;
        json.writeArrayFieldStart("t");
        for (int i = 0; i < size; i++) {
            json.writeNumber(times[(first + i) % capacity]);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("series");
        for (int s = 0; s < SERIES.size(); s++) {
            writeRing(json, SERIES.get(s), values[s], first);
        }
        json.writeEndObject();
        json.writeObjectFieldStart("rss_mib");
        for (Map.Entry<Integer, WorkerSeries> worker : rss.entrySet()) {
            writeRing(json, String.valueOf(worker.getKey()), worker.getValue().mib, first);
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeRing(JsonGenerator json, String name, double[] ring, int first) throws IOException {
        json.writeArrayFieldStart(name);
        for (int i = 0; i < size; i++) {
            double value = ring[(first + i) % capacity];
            if (Double.isNaN(value)) {
                json.writeNull();
            } else {
                json.writeNumber(Math.round(value * 100) / 100.0);
            }
        }
        json.writeEndArray();
    }
}
