package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.util.Collections;
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
        List<URL> copies = Collections.list(XnioMBeanHolderTest.class.getClassLoader().getResources(HOLDER));
        assertEquals(2, copies.size(), "warhorse's and XNIO's: " + copies);
        assertFalse(copies.get(0).toString().contains("xnio-api"), "XNIO's own holder comes first: " + copies);
        assertTrue(copies.get(1).toString().contains("xnio-api-3.8."), "not XNIO 3.8's: " + copies);
        Class<?> loaded = Class.forName("org.xnio.Xnio$MBeanHolder$1");
        assertFalse(loaded.getProtectionDomain().getCodeSource().getLocation().toString().contains("xnio-api"));

        byte[] original;
        try (var in = copies.get(1).openStream()) {
            original = in.readAllBytes();
        }
        ClassModel model = ClassFile.of().parse(original);
        assertEquals(List.of("java/security/PrivilegedAction"),
                model.interfaces().stream().map(type -> type.asInternalName()).toList());
        MethodModel run = model.methods().stream()
                .filter(method -> method.methodName().equalsString("run")
                        && method.methodType().equalsString("()Ljavax/management/MBeanServer;"))
                .findFirst().orElseThrow(() -> new AssertionError("XNIO's holder has no run() returning an MBeanServer"));
        List<String> calls = run.code().orElseThrow().elementStream()
                .filter(InvokeInstruction.class::isInstance).map(InvokeInstruction.class::cast)
                .map(call -> call.owner().asInternalName() + "." + call.name().stringValue()).toList();
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
