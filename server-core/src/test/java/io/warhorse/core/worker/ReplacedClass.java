package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.net.URL;
import java.util.Collections;
import java.util.List;

/**
 * A library class warhorse replaces with a copy of its own in its jar (XNIO's MBean holder, Undertow's Host header
 * wrapper): finds both copies on the test class path, checks that warhorse's comes first and the other is the
 * library's, and parses the library's original with java.lang.classfile so a test can check that it still is what
 * warhorse replaces. Test code; the calling test's thread.
 */
record ReplacedClass(URL ours, URL original) {

    /** {@code resource} as a class file path, {@code libraryJar} the start of the library jar's file name. */
    static ReplacedClass of(String resource, String libraryJar) throws IOException {
        List<URL> copies = Collections.list(ReplacedClass.class.getClassLoader().getResources(resource));
        assertEquals(2, copies.size(), "warhorse's and the library's " + resource + ": " + copies);
        assertFalse(copies.get(0).toString().contains(libraryJar), "the library's own copy comes first: " + copies);
        assertTrue(copies.get(1).toString().contains(libraryJar), "not from " + libraryJar + ": " + copies);
        return new ReplacedClass(copies.get(0), copies.get(1));
    }

    /** The library's original, parsed. */
    ClassModel originalModel() throws IOException {
        return parse(original);
    }

    static ClassModel parse(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    /** The method {@code name} of {@code model}, with the descriptor {@code type} unless that is null; fails if none. */
    static MethodModel method(ClassModel model, String name, String type) {
        return model.methods().stream()
                .filter(method -> method.methodName().equalsString(name) && (type == null || method.methodType().equalsString(type)))
                .findFirst().orElseThrow(() -> new AssertionError(model.thisClass().asInternalName() + " has no " + name + " " + type));
    }

    /** The methods {@code method} calls, in order, as "owner/internal/Name.method". */
    static List<String> calls(MethodModel method) {
        return method.code().orElseThrow().elementStream().filter(InvokeInstruction.class::isInstance)
                .map(InvokeInstruction.class::cast)
                .map(call -> call.owner().asInternalName() + "." + call.name().stringValue()).toList();
    }
}
