package io.warhorse.core.spi;

import com.codahale.metrics.MetricRegistry;
import io.warhorse.core.config.TestSettings;
import java.time.Duration;
import java.util.List;

/** Routes for the kinds' unit tests, which have no deployment to get them from. */
public final class TestRoutes {

    private TestRoutes() {}

    /** A route of app "/" mapped at {@code mapping}, on the kind's own threads, of an offload with the defaults. */
    public static Route of(String mapping) {
        Offload offload = new Offload(TestSettings.of().offload(), Place.PLATFORM, "test", Duration.ofMillis(2),
                new MetricRegistry(), System::nanoTime);
        return new Route("/", List.of(mapping), Place.KIND, false, offload);
    }

    /** Like {@link #of}, on trial: caught, not moved yet. */
    public static Route onTrial(String mapping) {
        Route route = of(mapping);
        route.accuse(new Route.Trial("caught in a test", new StackTraceElement[0], 2));
        return route;
    }
}
