package io.warhorse.core.config;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} holds every problem found, not just the first. */
public final class InvalidConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.size() == 1 ? problems.getFirst().toString() : problems.size() + " configuration problems: " + problems);
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
