package io.warhorse.core.sessions;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * The session counters of one worker, all apps together, merged across workers by the master like the request
 * counters: {@code sessions.created}, {@code .expired}, {@code .invalidated}, {@code sessions.cache.hits} and
 * {@code .misses} (a hit: the cached copy was current, no attributes read), {@code sessions.rejected} (requests
 * answered 503 because the store failed). Thread-safe.
 */
record SessionCounters(Counter created, Counter expired, Counter invalidated, Counter hits, Counter misses,
                       Counter rejected) {

    static SessionCounters in(MetricRegistry metrics) {
        return new SessionCounters(metrics.counter("sessions.created"), metrics.counter("sessions.expired"),
                metrics.counter("sessions.invalidated"), metrics.counter("sessions.cache.hits"),
                metrics.counter("sessions.cache.misses"), metrics.counter("sessions.rejected"));
    }
}
