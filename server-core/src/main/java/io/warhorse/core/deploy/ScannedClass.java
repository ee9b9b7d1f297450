package io.warhorse.core.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One class as its class file describes it, read without loading it: where it sits in the type hierarchy and which
 * annotations it carries. Made by {@link ClassFileReader} on the deploying thread; immutable.
 *
 * @param name              binary name ({@code com.acme.Outer$Inner})
 * @param kind              class (enums and records too), interface or annotation type
 * @param superName         binary name of the superclass; null only for {@code java.lang.Object}
 * @param interfaces        binary names of the interfaces it names itself (an interface's are those it extends)
 * @param annotations       its class-level annotations, runtime-visible and class-retention alike, by type name
 * @param memberAnnotations binary names of the annotation types on any of its methods (constructors too) or fields
 * @param inheritedMemberAnnotations those of {@code memberAnnotations} on a method or field that is not private,
 *                          which its subclasses inherit
 * @param source            the class path entry it came from (a folder or a jar), absolute and normalized
 */
record ScannedClass(String name, Kind kind, String superName, List<String> interfaces,
        Map<String, ScannedAnnotation> annotations, Set<String> memberAnnotations,
        Set<String> inheritedMemberAnnotations, Path source) {

    enum Kind { CLASS, INTERFACE, ANNOTATION }

    ScannedClass {
        interfaces = List.copyOf(interfaces);
        annotations = Map.copyOf(annotations);
        memberAnnotations = Set.copyOf(memberAnnotations);
        inheritedMemberAnnotations = Set.copyOf(inheritedMemberAnnotations);
    }

    /** The class-level annotation of {@code type}, or null if the class does not carry it. */
    ScannedAnnotation annotation(Class<?> type) {
        return annotations.get(type.getName());
    }

    boolean has(Class<?> annotation) {
        return annotations.containsKey(annotation.getName());
    }
}
