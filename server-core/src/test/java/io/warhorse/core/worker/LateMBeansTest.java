package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The deferring MBean server, on a private MBean server standing in for the platform's. */
class LateMBeansTest {

    public interface CounterMBean {
        int getCount();
    }

    public static final class Counter implements CounterMBean {
        private final int count;

        Counter(int count) {
            this.count = count;
        }

        @Override
        public int getCount() {
            return count;
        }
    }

    private final MBeanServer platform = MBeanServerFactory.newMBeanServer();
    private final AtomicInteger built = new AtomicInteger();
    private final LateMBeans late = new LateMBeans(() -> {
        built.incrementAndGet();
        return platform;
    });
    private final MBeanServer server = late.proxy();

    @Test
    void registrationsWaitWithoutBuildingThePlatformServerThenLandInOrderWhenOpened() throws Exception {
        ObjectName first = new ObjectName("test:name=first");
        ObjectName second = new ObjectName("test:name=second");
        assertEquals(first, server.registerMBean(new Counter(1), first).getObjectName());
        server.registerMBean(new Counter(2), second);
        assertEquals(0, built.get(), "registering built the platform server");
        assertFalse(platform.isRegistered(first));

        assertSame(platform, late.open());
        assertEquals(1, platform.getAttribute(first, "Count"));
        assertEquals(2, platform.getAttribute(second, "Count"));
        late.open();
        assertEquals(1, built.get(), "opened twice");

        ObjectName third = new ObjectName("test:name=third");
        server.registerMBean(new Counter(3), third);
        assertEquals(3, platform.getAttribute(third, "Count"), "after opening, a registration goes straight through");
    }

    @Test
    void aNameWaitingTwiceIsRefusedAsTheRealServerWouldAndAnUnregisteredOneNeverLands() throws Exception {
        ObjectName name = new ObjectName("test:name=twice");
        server.registerMBean(new Counter(1), name);
        assertThrows(InstanceAlreadyExistsException.class, () -> server.registerMBean(new Counter(2), name));
        server.unregisterMBean(name);
        assertEquals(0, built.get());
        late.open();
        assertFalse(platform.isRegistered(name), "an unregistered bean was registered when opened");
    }

    @Test
    void anyOtherCallOpensTheServerFirstSoItSeesWhatWaited() throws Exception {
        ObjectName name = new ObjectName("test:name=seen");
        server.registerMBean(new Counter(7), name);
        assertEquals(List.of(name), List.copyOf(server.queryNames(new ObjectName("test:*"), null)));
        assertEquals(1, built.get());
        assertEquals(7, server.getAttribute(name, "Count"));
    }

    @Test
    void whatOnlyThePlatformServerCanAnswerGetsItsOwnExceptions() throws Exception {
        ObjectName missing = new ObjectName("test:name=missing");
        assertThrows(InstanceNotFoundException.class, () -> server.unregisterMBean(missing));
        assertEquals(1, built.get(), "an unknown name is the platform server's to refuse");
    }

    @Test
    void aBeanThePlatformServerRefusesAtOpeningLeavesTheOthersRegistered() throws Exception {
        ObjectName refused = new ObjectName("test:name=refused");
        ObjectName fine = new ObjectName("test:name=fine");
        server.registerMBean(new Object(), refused); // not an MBean: only the real server can tell
        server.registerMBean(new Counter(4), fine);
        late.open();
        assertFalse(platform.isRegistered(refused));
        assertTrue(platform.isRegistered(fine));
    }
}
