package io.warhorse.core.deploy;

import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.AttributedElement;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a {@link ScannedClass} holds from one class file's bytes, with the JDK's ClassFile API
 * ({@code java.lang.classfile}); the class is never loaded. The bytes may be forged: whatever the API refuses, and
 * annotation values nested deeper than {@link #MAX_NESTING}, make an {@link UnreadableClassException} saying why.
 * Holds no state; runs on the deploying thread.
 */
final class ClassFileReader {

    /**
     * Deeper than any annotation a compiler writes ({@code @WebServlet(initParams = @WebInitParam(...))} is 2); a
     * forged class file nests thousands deep to exhaust the stack.
     */
    static final int MAX_NESTING = 32;

    private static final ClassFile CLASS_FILE = ClassFile.of();

    private ClassFileReader() {}

    /** The bytes are not a class file this JDK reads: the reason is one line for a log. */
    static final class UnreadableClassException extends Exception {
        UnreadableClassException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Reads the class file {@code bytes}, found in the class path entry {@code source}. */
    static ScannedClass read(byte[] bytes, Path source) throws UnreadableClassException {
        try {
            return scanned(CLASS_FILE.parse(bytes), source);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnreadableClassException(message.replaceAll("\\s+", " ").trim(), e);
        } catch (StackOverflowError e) {
            // The API reads nested annotation values recursively, before MAX_NESTING can be checked.
            throw new UnreadableClassException("annotation values nested too deeply", null);
        }
    }

    private static ScannedClass scanned(ClassModel model, Path source) {
        int flags = model.flags().flagsMask();
        ScannedClass.Kind kind = (flags & ClassFile.ACC_ANNOTATION) != 0 ? ScannedClass.Kind.ANNOTATION
                : (flags & ClassFile.ACC_INTERFACE) != 0 ? ScannedClass.Kind.INTERFACE : ScannedClass.Kind.CLASS;
        String superName = model.superclass().map(ClassFileReader::name).orElse(null);
        List<String> interfaces = new ArrayList<>();
        for (ClassEntry entry : model.interfaces()) {
            interfaces.add(name(entry));
        }
        Map<String, ScannedAnnotation> annotations = new HashMap<>();
        for (Annotation annotation : annotations(model)) {
            ScannedAnnotation read = annotation(annotation, 0);
            annotations.putIfAbsent(read.type(), read);
        }
        Set<String> memberAnnotations = new HashSet<>();
        Set<String> inheritedMemberAnnotations = new HashSet<>();
        for (MethodModel method : model.methods()) {
            memberAnnotations(method, method.flags().flagsMask(), memberAnnotations, inheritedMemberAnnotations);
        }
        for (FieldModel field : model.fields()) {
            memberAnnotations(field, field.flags().flagsMask(), memberAnnotations, inheritedMemberAnnotations);
        }
        return new ScannedClass(name(model.thisClass()), kind, superName, interfaces, annotations, memberAnnotations,
                inheritedMemberAnnotations, source);
    }

    private static void memberAnnotations(AttributedElement member, int flags, Set<String> all, Set<String> inherited) {
        for (Annotation annotation : annotations(member)) {
            String type = typeName(annotation.className().stringValue());
            all.add(type);
            if ((flags & ClassFile.ACC_PRIVATE) == 0) {
                inherited.add(type);
            }
        }
    }

    /** Runtime-visible then class-retention annotations (a servlet annotation is the former). */
    private static List<Annotation> annotations(AttributedElement element) {
        var visible = element.findAttribute(Attributes.runtimeVisibleAnnotations());
        var invisible = element.findAttribute(Attributes.runtimeInvisibleAnnotations());
        if (visible.isEmpty() && invisible.isEmpty()) {
            return List.of();
        }
        List<Annotation> all = new ArrayList<>();
        visible.ifPresent(attribute -> all.addAll(attribute.annotations()));
        invisible.ifPresent(attribute -> all.addAll(attribute.annotations()));
        return all;
    }

    private static ScannedAnnotation annotation(Annotation annotation, int depth) {
        if (depth > MAX_NESTING) {
            throw new IllegalArgumentException("annotation values nested more than " + MAX_NESTING + " deep");
        }
        Map<String, Object> values = new HashMap<>();
        for (var element : annotation.elements()) {
            values.putIfAbsent(element.name().stringValue(), value(element.value(), depth + 1));
        }
        return new ScannedAnnotation(typeName(annotation.className().stringValue()), values);
    }

    private static Object value(AnnotationValue value, int depth) {
        return switch (value) {
            case AnnotationValue.OfConstant constant -> constant.resolvedValue();
            case AnnotationValue.OfEnum constant -> new ScannedAnnotation.EnumConstant(
                    typeName(constant.className().stringValue()), constant.constantName().stringValue());
            case AnnotationValue.OfClass literal ->
                    new ScannedAnnotation.ClassLiteral(literal.className().stringValue());
            case AnnotationValue.OfAnnotation nested -> annotation(nested.annotation(), depth);
            case AnnotationValue.OfArray array -> {
                if (depth > MAX_NESTING) {
                    throw new IllegalArgumentException("annotation values nested more than " + MAX_NESTING + " deep");
                }
                List<Object> elements = new ArrayList<>(array.values().size());
                for (var element : array.values()) {
                    elements.add(value(element, depth + 1));
                }
                yield Collections.unmodifiableList(elements);
            }
        };
    }

    /** {@code com.acme.Outer$Inner} for the class file's {@code com/acme/Outer$Inner}. */
    private static String name(ClassEntry entry) {
        return entry.asInternalName().replace('/', '.');
    }

    /** {@code com.acme.Mark} for the descriptor {@code Lcom/acme/Mark;}; any other descriptor as it is. */
    static String typeName(String descriptor) {
        int length = descriptor.length();
        if (length > 2 && descriptor.charAt(0) == 'L' && descriptor.charAt(length - 1) == ';') {
            return descriptor.substring(1, length - 1).replace('/', '.');
        }
        return descriptor;
    }
}
