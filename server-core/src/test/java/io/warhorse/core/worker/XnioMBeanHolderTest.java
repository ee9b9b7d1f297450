package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassModel;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.xnio.Xnio;

/**
 * warhorse's {@code org.xnio.Xnio$MBeanHolder$1} replaces XNIO's own on the class path: this checks that it is the
 * one loaded, that XNIO's original still is what it replaces (a {@code PrivilegedAction} whose {@code run()} returns
 * the platform MBean server: an XNIO upgrade that changes it fails here, not silently in production), and that
 * XNIO's MBeans reach the platform server once it is open.
 */
class XnioMBeanHolderTest {

    private static final String HOLDER = "org/xnio/Xnio$MBeanHolder$1.class";

    @Test
    void warhorsesHolderComesFirstAndXniosOriginalIsWhatItReplaces() throws Exception {
        ReplacedClass holder = ReplacedClass.of(HOLDER, "xnio-api-3.8.");
        Class<?> loaded = Class.forName("org.xnio.Xnio$MBeanHolder$1");
        assertFalse(loaded.getProtectionDomain().getCodeSource().getLocation().toString().contains("xnio-api"));

        ClassModel model = holder.originalModel();
        assertEquals(List.of("java/security/PrivilegedAction"),
                model.interfaces().stream().map(type -> type.asInternalName()).toList());
        List<String> calls = ReplacedClass.calls(ReplacedClass.method(model, "run", "()Ljavax/management/MBeanServer;"));
        assertEquals(List.of("java/lang/management/ManagementFactory.getPlatformMBeanServer"), calls);
    }

    @Test
    void xniosProviderBeanIsOnThePlatformServerOnceOpen() throws Exception {
        Xnio.getInstance(Xnio.class.getClassLoader());
        LateMBeans.openNow();
        ObjectName provider = new ObjectName("org.xnio:type=Xnio,provider=" + ObjectName.quote("nio"));
        assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(provider),
                ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("org.xnio:*"), null).toString());
    }
}
