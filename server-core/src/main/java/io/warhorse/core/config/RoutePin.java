package io.warhorse.core.config;

/**
 * One entry of {@code warhorse.offload.routes}: where the servlet mapped at {@code path} runs, whatever the
 * watchdogs see.
 *
 * @param path  a servlet mapping exactly as the app declares it ({@code /report/*}, {@code /export},
 *              {@code *.pdf}), matched in every app
 * @param runOn {@code kind}, {@code virtual} or {@code platform}
 */
public record RoutePin(String path, String runOn) {

    /** The places a route can run on, as {@code run-on} spells them. */
    public static final java.util.List<String> PLACES = java.util.List.of("kind", "virtual", "platform");
}
