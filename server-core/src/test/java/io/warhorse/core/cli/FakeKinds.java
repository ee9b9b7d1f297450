package io.warhorse.core.cli;

import io.warhorse.core.worker.WorkerKinds;
import io.warhorse.core.spi.KindContext;
import io.warhorse.core.spi.RequestRunner;
import io.warhorse.core.spi.WorkerKind;
import java.util.List;

/** Worker kinds that only have a name: the CLI lists and checks kinds, it never starts one. */
final class FakeKinds {

    private FakeKinds() {}

    static WorkerKinds all() {
        return WorkerKinds.of(List.of(new Virtual(), new Sync(), new Async()));
    }

    abstract static class Named implements WorkerKind {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return "the " + name + " test kind";
        }

        @Override
        public RequestRunner start(KindContext context) {
            throw new UnsupportedOperationException("a test kind does not run requests");
        }
    }

    public static final class Sync extends Named {
        public Sync() {
            super("sync");
        }
    }

    public static final class Virtual extends Named {
        public Virtual() {
            super("virtual");
        }
    }

    public static final class Async extends Named {
        public Async() {
            super("async");
        }
    }
}
