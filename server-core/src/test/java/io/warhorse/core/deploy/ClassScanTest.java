package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.servlet.Servlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.RuntimeInvisibleAnnotationsAttribute;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.metadata.web.spec.DispatcherType;
import org.jboss.metadata.web.spec.FilterMappingMetaData;
import org.jboss.metadata.web.spec.ServletMetaData;
import org.jboss.metadata.web.spec.ServletsMetaData;
import org.jboss.metadata.web.spec.WebCommonMetaData;
import org.jboss.metadata.web.spec.WebMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The class-file scan behind annotations and {@code @HandlesTypes}: values of every kind, the hierarchy across
 * entries and the Servlet API jar, which copy of a class counts, and what forged or broken input does. Classes
 * come from javac (through {@link WarBuilder}) where the compiler's output matters, and from the ClassFile API where
 * the shape must be exact or javac would refuse it (a cycle, a copy of a class, a class in the wrong folder).
 */
@Timeout(60)
class ClassScanTest {

    private static final String APP = "app /test (test.war)";

    @TempDir
    Path work;

    /** Roots of the hierarchy the scanned classes name: only their names and kinds matter, they are not scanned. */
    public interface Plugin {}

    public static class Root {}

    @Retention(RetentionPolicy.RUNTIME)
    public @interface Mark {}

    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InheritedMark {}

    // ---- values, from javac's output

    @Test
    void annotationValuesOfEveryKindAreRead() throws Exception {
        ClassScan scan = scanWar(new WarBuilder(work)
                .source("com/acme/Kinds.java", """
                        package com.acme;
                        import java.lang.annotation.*;
                        @Retention(RetentionPolicy.RUNTIME)
                        public @interface Kinds {
                            byte b(); short s(); char c(); int i(); long l(); float f(); double d(); boolean z();
                            String text(); Class<?> type(); Thread.State state();
                            jakarta.servlet.annotation.WebInitParam nested();
                            int[] ints(); String[] texts(); Class<?>[] types(); Thread.State[] states();
                            String unset() default "x";
                        }
                        """)
                .source("com/acme/Everything.java", """
                        package com.acme;
                        import jakarta.servlet.annotation.WebInitParam;
                        @Kinds(b = 1, s = 2, c = 'x', i = 3, l = 4L, f = 1.5f, d = 2.5, z = true, text = "t",
                               type = String.class, state = Thread.State.NEW,
                               nested = @WebInitParam(name = "k", value = "v"), ints = {1, 2}, texts = "one",
                               types = {int.class, String[].class}, states = {})
                        public class Everything {}
                        """));
        ScannedAnnotation kinds = scan.find("com.acme.Everything").annotations().get("com.acme.Kinds");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", (byte) 1);
        expected.put("s", (short) 2);
        expected.put("c", 'x');
        expected.put("i", 3);
        expected.put("l", 4L);
        expected.put("f", 1.5f);
        expected.put("d", 2.5);
        expected.put("z", true);
        expected.put("text", "t");
        expected.put("type", new ScannedAnnotation.ClassLiteral("Ljava/lang/String;"));
        expected.put("state", new ScannedAnnotation.EnumConstant("java.lang.Thread$State", "NEW"));
        expected.put("nested", new ScannedAnnotation("jakarta.servlet.annotation.WebInitParam",
                Map.of("name", "k", "value", "v")));
        expected.put("ints", List.of(1, 2));
        expected.put("texts", List.of("one"));
        expected.put("types", List.of(new ScannedAnnotation.ClassLiteral("I"),
                new ScannedAnnotation.ClassLiteral("[Ljava/lang/String;")));
        expected.put("states", List.of());
        assertEquals(new ScannedAnnotation("com.acme.Kinds", expected), kinds, "no 'unset': defaults are not written");
        assertEquals("t", kinds.text("text", "?"));
        assertEquals("?", kinds.text("unset", "?"));
        assertEquals("?", kinds.text("i", "?"), "a value of another kind reads as absent");
        assertEquals(3, kinds.integer("i", 0));
        assertEquals(4L, kinds.longValue("l", 0));
        assertTrue(kinds.flag("z", false));
        assertEquals(List.of("one"), kinds.strings("texts"));
        assertEquals(List.of("t"), kinds.strings("text"), "a single value reads as an array of one");
    }

    @Test
    void servletAnnotationsBecomeTheMetadataWebXmlWouldGive() throws Exception {
        ClassScan scan = scanWar(new WarBuilder(work)
                .source("com/acme/Hello.java", """
                        package com.acme;
                        import jakarta.servlet.annotation.*;
                        @WebServlet(name = "hello", urlPatterns = {"/a", "/b"}, loadOnStartup = 3, asyncSupported = true,
                                    initParams = {@WebInitParam(name = "who", value = "world"),
                                                  @WebInitParam(name = "n", value = "2")})
                        @MultipartConfig(location = "/uploads", maxFileSize = 1024L, maxRequestSize = 4096L,
                                         fileSizeThreshold = 7)
                        @jakarta.annotation.security.RunAs("admin")
                        @jakarta.annotation.security.DeclareRoles({"admin", "user"})
                        public class Hello extends jakarta.servlet.http.HttpServlet {}
                        """)
                .source("com/acme/Plain.java", """
                        package com.acme;
                        @jakarta.servlet.annotation.WebServlet("/plain")
                        public class Plain extends jakarta.servlet.http.HttpServlet {}
                        """)
                .source("com/acme/Mark.java", """
                        package com.acme;
                        import jakarta.servlet.*;
                        import jakarta.servlet.annotation.WebFilter;
                        @WebFilter(filterName = "mark", value = "/*", servletNames = "hello",
                                   dispatcherTypes = {DispatcherType.FORWARD, DispatcherType.INCLUDE})
                        public class Mark implements Filter {
                            @Override public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) {}
                        }
                        """)
                .source("com/acme/Lonely.java", """
                        package com.acme;
                        @jakarta.servlet.annotation.WebFilter("/lonely")
                        public class Lonely implements jakarta.servlet.Filter {
                            @Override public void doFilter(jakarta.servlet.ServletRequest req,
                                    jakarta.servlet.ServletResponse resp, jakarta.servlet.FilterChain chain) {}
                        }
                        """));
        assertEquals(Set.of("value"), scan.find("com.acme.Plain").annotation(WebServlet.class).values().keySet(),
                "attributes left at their defaults are not in the class file");

        WebCommonMetaData web = AnnotationScanner.read(scan);
        ServletMetaData hello = web.getServlets().get("hello");
        assertEquals("com.acme.Hello", hello.getServletClass());
        assertEquals(List.of("who=world", "n=2"), hello.getInitParam().stream()
                .map(param -> param.getParamName() + "=" + param.getParamValue()).toList());
        assertEquals(3, hello.getLoadOnStartupInt());
        assertTrue(hello.isAsyncSupported());
        assertEquals("/uploads", hello.getMultipartConfig().getLocation());
        assertEquals(1024L, hello.getMultipartConfig().getMaxFileSize());
        assertEquals(4096L, hello.getMultipartConfig().getMaxRequestSize());
        assertEquals(7, hello.getMultipartConfig().getFileSizeThreshold());
        ServletMetaData plain = web.getServlets().get("com.acme.Plain");
        assertEquals(-1, plain.getLoadOnStartupInt());
        assertEquals(List.of(List.of("/a", "/b"), List.of("/plain")),
                web.getServletMappings().stream().map(mapping -> mapping.getUrlPatterns()).toList());

        FilterMappingMetaData mark = web.getFilterMappings().get(1);
        assertEquals("mark", mark.getFilterName());
        assertEquals(List.of("/*"), mark.getUrlPatterns());
        assertEquals(List.of("hello"), mark.getServletNames());
        assertEquals(List.of(DispatcherType.FORWARD, DispatcherType.INCLUDE), mark.getDispatchers());
        FilterMappingMetaData lonely = web.getFilterMappings().get(0);
        assertEquals("com.acme.Lonely", lonely.getFilterName(), "by class name: Lonely before Mark");
        assertEquals(List.of(DispatcherType.REQUEST), lonely.getDispatchers());

        assertEquals(List.of("admin", "user"), AnnotationScanner.declaredRoles(scan));
        WebMetaData declared = new WebMetaData();
        declared.setServlets(new ServletsMetaData());
        ServletMetaData fromXml = new ServletMetaData();
        fromXml.setServletName("from-xml");
        fromXml.setServletClass("com.acme.Hello");
        declared.getServlets().add(fromXml);
        AnnotationScanner.applyClassAnnotations(declared, scan);
        assertEquals("admin", fromXml.getRunAs().getRoleName());
        assertEquals(1024L, fromXml.getMultipartConfig().getMaxFileSize());
    }

    // ---- the Servlet API jar

    /**
     * The API jar's classes count for the hierarchy and are named by handledBy, as ClassGraph's scan named them; they
     * are never classes of the app for annotatedWith.
     */
    @Test
    void theServletApiJarsClassesAreInTheHierarchyButNeverTheAppsAnnotatedClasses() throws Exception {
        ClassScan scan = scanWar(new WarBuilder(work)
                .source("com/acme/Hello.java", """
                        package com.acme;
                        @jakarta.servlet.annotation.WebServlet("/hello")
                        public class Hello extends jakarta.servlet.http.HttpServlet {}
                        """)
                .source("com/acme/Kind.java", """
                        package com.acme;
                        @java.lang.annotation.Documented
                        public @interface Kind {}
                        """));
        assertEquals(Set.of("com.acme.Hello", "jakarta.servlet.GenericServlet", "jakarta.servlet.http.HttpServlet"),
                scan.handledBy(Servlet.class));
        assertEquals(Set.of("com.acme.Hello"), scan.handledBy(HttpServlet.class));
        assertEquals(List.of("com.acme.Kind"), names(scan.annotatedWith(Documented.class)),
                "the API's annotation types carry @Documented too, but are not the app's");
        assertTrue(scan.handledBy(Documented.class).containsAll(Set.of("com.acme.Kind",
                "jakarta.servlet.annotation.WebServlet")), "handledBy names the API's classes");
        assertEquals("jakarta.servlet.GenericServlet", scan.find("jakarta.servlet.http.HttpServlet").superName());
    }

    // ---- the hierarchy, from exact class files

    @Test
    void anInterfaceIsHandledByEverythingBelowItAcrossEntries() throws Exception {
        Path a = jar("WEB-INF/lib/a.jar", Map.of(
                "x/Base.class", type("x.Base", ClassFile.ACC_PUBLIC | ClassFile.ACC_ABSTRACT, "java.lang.Object",
                        List.of(Plugin.class.getName()), builder -> {}),
                "x/SubPlugin.class", iface("x.SubPlugin", Plugin.class.getName()),
                "x/Deep.class", iface("x.Deep", "x.SubPlugin")));
        Path b = jar("WEB-INF/lib/b.jar", Map.of(
                "y/FromB.class", type("y.FromB", "x.Base"),
                "y/ViaSub.class", type("y.ViaSub", "java.lang.Object", "x.Deep"),
                "y/Unrelated.class", type("y.Unrelated", "java.lang.Object", "java.io.Serializable")));
        Path classes = folder("WEB-INF/classes", Map.of(
                "z/Direct.class", type("z.Direct", "java.lang.Object", Plugin.class.getName()),
                "z/Leaf.class", type("z.Leaf", "y.FromB"),
                "z/Kind.class", type("z.Kind", ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_ENUM,
                        "java.lang.Enum", List.of(Plugin.class.getName()), builder -> {})));
        ClassScan scan = ClassScan.of(APP, List.of(classes, a, b), List.of(classes, a, b));
        assertEquals(Set.of("x.Base", "x.SubPlugin", "x.Deep", "y.FromB", "y.ViaSub", "z.Direct", "z.Leaf", "z.Kind"),
                scan.handledBy(Plugin.class), "abstract classes, sub-interfaces and enums too, as ClassGraph gave");
    }

    @Test
    void aClassIsHandledByItsSubclassesTransitively() throws Exception {
        Path a = jar("WEB-INF/lib/a.jar", Map.of(
                "x/Mid.class", type("x.Mid", Root.class.getName()),
                "x/NotAClass.class", iface("x.NotAClass")));
        Path classes = folder("WEB-INF/classes", Map.of(
                "y/Low.class", type("y.Low", "x.Mid"),
                "y/Lower.class", type("y.Lower", "y.Low"),
                "y/Unrelated.class", type("y.Unrelated", "java.lang.Object")));
        ClassScan scan = ClassScan.of(APP, List.of(classes, a), List.of(classes, a));
        assertEquals(Set.of("x.Mid", "y.Low", "y.Lower"), scan.handledBy(Root.class));
        assertTrue(scan.handledBy(Object.class).containsAll(Set.of("x.Mid", "y.Low", "y.Lower", "y.Unrelated")));
        assertTrue(!scan.handledBy(Object.class).contains("x.NotAClass"), "an interface is no subclass of Object");
    }

    /**
     * On the class, a method, a constructor or a field, of any visibility (ClassGraph, as warhorse configured it, saw
     * public members only; Tomcat and the spec count them all); the subclasses of a class whose annotated member is
     * inherited (not private); through a meta-annotation; class-retention annotations too.
     */
    @Test
    void anAnnotationIsHandledByTheClassesCarryingIt() throws Exception {
        String mark = Mark.class.getName();
        Path classes = folder("WEB-INF/classes", Map.ofEntries(
                Map.entry("a/OnClass.class", type("a.OnClass", "java.lang.Object", List.of(), annotated(mark))),
                Map.entry("a/BelowClass.class", type("a.BelowClass", "a.OnClass")),
                Map.entry("a/OnPrivateMethod.class", type("a.OnPrivateMethod", "java.lang.Object", List.of(),
                        method(ClassFile.ACC_PRIVATE, mark))),
                Map.entry("a/BelowPrivateMethod.class", type("a.BelowPrivateMethod", "a.OnPrivateMethod")),
                Map.entry("a/OnPublicMethod.class", type("a.OnPublicMethod", "java.lang.Object", List.of(),
                        method(ClassFile.ACC_PUBLIC, mark))),
                Map.entry("a/BelowPublicMethod.class", type("a.BelowPublicMethod", "a.OnPublicMethod")),
                Map.entry("a/OnConstructor.class", type("a.OnConstructor", "java.lang.Object", List.of(),
                        constructor(mark))),
                Map.entry("a/OnPrivateField.class", type("a.OnPrivateField", "java.lang.Object", List.of(),
                        field(ClassFile.ACC_PRIVATE, mark))),
                Map.entry("a/BelowPrivateField.class", type("a.BelowPrivateField", "a.OnPrivateField")),
                Map.entry("a/Invisible.class", type("a.Invisible", "java.lang.Object", List.of(),
                        builder -> builder.with(RuntimeInvisibleAnnotationsAttribute.of(annotation(mark))))),
                Map.entry("a/Meta.class", annotationType("a.Meta", annotated(mark))),
                Map.entry("a/OnMeta.class", type("a.OnMeta", "java.lang.Object", List.of(), annotated("a.Meta"))),
                Map.entry("a/MetaOnField.class", type("a.MetaOnField", "java.lang.Object", List.of(),
                        field(ClassFile.ACC_PRIVATE, "a.Meta"))),
                Map.entry("a/Plain.class", type("a.Plain", "java.lang.Object"))));
        ClassScan scan = ClassScan.of(APP, List.of(classes), List.of(classes));
        assertEquals(Set.of("a.OnClass", "a.OnPrivateMethod", "a.OnPublicMethod", "a.BelowPublicMethod",
                "a.OnConstructor", "a.OnPrivateField", "a.Invisible", "a.Meta", "a.OnMeta", "a.MetaOnField"),
                scan.handledBy(Mark.class));
        assertEquals(List.of("a.Invisible", "a.Meta", "a.OnClass"), names(scan.annotatedWith(Mark.class)),
                "annotatedWith: on the class itself, not through a meta-annotation (a.OnMeta)");
    }

    @Test
    void anInheritedAnnotationIsHandledByTheSubclassesToo() throws Exception {
        Path classes = folder("WEB-INF/classes", Map.of(
                "a/Top.class", type("a.Top", "java.lang.Object", List.of(), annotated(InheritedMark.class.getName())),
                "a/Child.class", type("a.Child", "a.Top"),
                "a/GrandChild.class", type("a.GrandChild", "a.Child"),
                "a/Other.class", type("a.Other", "java.lang.Object")));
        ClassScan scan = ClassScan.of(APP, List.of(classes), List.of(classes));
        assertEquals(Set.of("a.Top", "a.Child", "a.GrandChild"), scan.handledBy(InheritedMark.class));
    }

    // ---- which copy counts

    @Test
    void theFirstEntryWinsForAClassFoundTwice() throws Exception {
        String servlet = WebServlet.class.getName();
        Path classes = folder("WEB-INF/classes", Map.of(
                "d/Dup.class", type("d.Dup", "java.lang.Object", Plugin.class.getName())));
        Path a = jar("WEB-INF/lib/a.jar", Map.of(
                "d/Dup.class", type("d.Dup", "java.lang.Object", List.of(), annotated(servlet)),
                "d/JarDup.class", type("d.JarDup", "java.lang.Object", List.of(), annotated(servlet))));
        Path b = jar("WEB-INF/lib/b.jar", Map.of(
                "d/JarDup.class", type("d.JarDup", "java.lang.Object", Plugin.class.getName())));
        ClassScan scan = ClassScan.of(APP, List.of(classes, a, b), List.of(classes, a, b));
        assertEquals(classes, scan.find("d.Dup").source());
        assertEquals(a, scan.find("d.JarDup").source());
        assertEquals(Set.of("d.Dup"), scan.handledBy(Plugin.class));
        assertEquals(List.of("d.JarDup"), names(scan.annotatedWith(WebServlet.class)));
    }

    /** By class name, as ClassGraph listed them: the order servlets and filters are declared in. */
    @Test
    void annotatedClassesComeByNameAndOnlyFromTheEntriesWhoseAnnotationsCount() throws Exception {
        String servlet = WebServlet.class.getName();
        Path classes = folder("WEB-INF/classes", Map.of(
                "m/Zed.class", type("m.Zed", "java.lang.Object", List.of(), annotated(servlet))));
        Path a = jar("WEB-INF/lib/a.jar", Map.of(
                "m/Alpha.class", type("m.Alpha", "java.lang.Object", List.of(), annotated(servlet))));
        Path complete = jar("WEB-INF/lib/complete.jar", Map.of(
                "m/Beta.class", type("m.Beta", "java.lang.Object", List.of(), annotated(servlet))));
        ClassScan scan = ClassScan.of(APP, List.of(classes, a, complete), List.of(classes, a));
        assertEquals(List.of("m.Alpha", "m.Zed"), names(scan.annotatedWith(WebServlet.class)));
        assertNotNull(scan.find("m.Beta"), "a metadata-complete jar's classes are still read");
        assertEquals(Set.of("m.Alpha", "m.Beta", "m.Zed"), scan.handledBy(WebServlet.class),
                "and still count for @HandlesTypes");
    }

    @Test
    void aMultiReleaseJarGivesTheHighestVersionUpToTheRunningJdk() throws Exception {
        Path multi = jar("WEB-INF/lib/multi.jar", versioned("v", "Multi-Release: true\r\n"));
        Path plain = jar("WEB-INF/lib/plain.jar", versioned("p", ""));
        ClassScan scan = ClassScan.of(APP, List.of(multi, plain), List.of(multi, plain));
        assertEquals(List.of("v.Current"), scan.find("v.Mr").interfaces());
        assertEquals(List.of("v.Nine"), scan.find("v.Old").interfaces());
        assertNull(scan.find("v.OnlyFuture"), "a version above the running JDK's is never read");
        assertEquals(List.of("p.Base"), scan.find("p.Mr").interfaces(), "without Multi-Release: true, the base entry");
        assertNull(scan.find("p.OnlyFuture"));
    }

    /** Classes of {@code pkg} in the base, for Java 9, for the running feature release and for the next one. */
    private static Map<String, byte[]> versioned(String pkg, String manifestLine) {
        int feature = Runtime.version().feature();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", bytes("Manifest-Version: 1.0\r\n" + manifestLine + "\r\n"));
        entries.put(pkg + "/Mr.class", type(pkg + ".Mr", "java.lang.Object", pkg + ".Base"));
        entries.put("META-INF/versions/9/" + pkg + "/Mr.class", type(pkg + ".Mr", "java.lang.Object", pkg + ".Nine"));
        entries.put("META-INF/versions/" + feature + "/" + pkg + "/Mr.class",
                type(pkg + ".Mr", "java.lang.Object", pkg + ".Current"));
        entries.put("META-INF/versions/" + (feature + 1) + "/" + pkg + "/Mr.class",
                type(pkg + ".Mr", "java.lang.Object", pkg + ".Future"));
        entries.put(pkg + "/Old.class", type(pkg + ".Old", "java.lang.Object", pkg + ".Base"));
        entries.put("META-INF/versions/9/" + pkg + "/Old.class", type(pkg + ".Old", "java.lang.Object", pkg + ".Nine"));
        entries.put("META-INF/versions/" + (feature + 1) + "/" + pkg + "/OnlyFuture.class",
                type(pkg + ".OnlyFuture", "java.lang.Object"));
        return entries;
    }

    @Test
    void moduleInfoPackageInfoAndMisplacedClassesAreLeftOut() throws Exception {
        List<ILoggingEvent> logged = new ArrayList<>();
        Path classes = folder("WEB-INF/classes", Map.of(
                "module-info.class", bytes("not read"),
                "x/package-info.class", bytes("not read"),
                "x/Wrong.class", type("x.Right", "java.lang.Object"),
                "META-INF/x/Hidden.class", bytes("not read")));
        ClassScan scan = logging(logged, () -> ClassScan.of(APP, List.of(classes), List.of(classes)));
        assertNull(scan.find("x.Wrong"));
        assertNull(scan.find("x.Right"), "no class loader finds it at x/Wrong.class");
        assertNull(scan.find("x.package-info"));
        assertEquals(List.of(), warnings(logged));
    }

    // ---- broken and forged input

    /** The class loader fails on such a file only if something loads it; ClassGraph skipped it without a word. */
    @Test
    void aClassFileThisJdkCannotReadIsSkippedWithAWarningNamingIt() throws Exception {
        byte[] future = type("x.Future", "java.lang.Object");
        future[6] = 0;
        future[7] = (byte) (ClassFile.latestMajorVersion() + 1);
        Path classes = folder("WEB-INF/classes", Map.of(
                "x/Junk.class", bytes("this is not a class file"),
                "x/Truncated.class", java.util.Arrays.copyOf(type("x.Truncated", "java.lang.Object"), 20),
                "x/Future.class", future,
                "x/Good.class", type("x.Good", "java.lang.Object", Plugin.class.getName())));
        List<ILoggingEvent> logged = new ArrayList<>();
        ClassScan scan = logging(logged, () -> ClassScan.of(APP, List.of(classes), List.of(classes)));
        assertEquals(Set.of("x.Good"), scan.handledBy(Plugin.class));
        assertNull(scan.find("x.Junk"));
        assertNull(scan.find("x.Future"));
        List<String> warnings = warnings(logged);
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.contains(APP + ": WEB-INF/classes/x/Junk.class is not a class file this JDK reads (Bad magic"
                + " number); its types and annotations are not scanned"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(line -> line.startsWith(APP + ": WEB-INF/classes/x/Future.class is not a"
                + " class file this JDK reads (Unsupported class file version")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(line -> line.startsWith(APP + ": WEB-INF/classes/x/Truncated.class")),
                warnings.toString());
    }

    @Test
    void aJarThatIsNotAZipFailsTheScanNamingIt() throws Exception {
        Path broken = Files.createDirectories(work.resolve("webapp/WEB-INF/lib")).resolve("broken.jar");
        Files.writeString(broken, "this is not a zip file");
        DeploymentException error = assertThrows(DeploymentException.class,
                () -> ClassScan.of(APP, List.of(broken), List.of(broken)));
        assertTrue(error.getMessage().startsWith("WEB-INF/lib/broken.jar is not a valid jar: "), error.getMessage());
    }

    @Test
    void aJarEntryThatCannotBeInflatedFailsTheScanNamingIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("x/A.class"));
            zip.write(type("x.A", "java.lang.Object"));
            zip.closeEntry();
        }
        byte[] damaged = bytes.toByteArray();
        int data = 30 + "x/A.class".length();
        damaged[data] = (byte) 0xFF; // a final block of the reserved type 3
        Path jar = Files.createDirectories(work.resolve("webapp/WEB-INF/lib")).resolve("damaged.jar");
        Files.write(jar, damaged);
        DeploymentException error = assertThrows(DeploymentException.class,
                () -> ClassScan.of(APP, List.of(jar), List.of(jar)));
        assertEquals("WEB-INF/lib/damaged.jar!/x/A.class cannot be read: invalid block type", error.getMessage());
    }

    @Test
    void aClassFileOver64MiBIsRefusedWithoutReadingIt() throws Exception {
        Path classes = folder("WEB-INF/classes", Map.of());
        Path huge = Files.createDirectories(classes.resolve("x")).resolve("Huge.class");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(ClassPathReader.MAX_CLASS_FILE + 1L);
        }
        DeploymentException error = assertThrows(DeploymentException.class,
                () -> ClassScan.of(APP, List.of(classes), List.of(classes)));
        assertEquals("WEB-INF/classes/x/Huge.class is larger than 64 MiB, more than any class file needs; refusing it",
                error.getMessage());

        Path jar = Files.createDirectories(work.resolve("webapp/WEB-INF/lib")).resolve("bomb.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("x/Bomb.class"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i <= ClassPathReader.MAX_CLASS_FILE >> 20; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        error = assertThrows(DeploymentException.class, () -> ClassScan.of(APP, List.of(jar), List.of(jar)));
        assertEquals("WEB-INF/lib/bomb.jar!/x/Bomb.class is larger than 64 MiB, more than any class file needs;"
                + " refusing it", error.getMessage());
    }

    @Test
    @Timeout(10)
    void aForgedHierarchyWithCyclesEnds() throws Exception {
        Path classes = folder("WEB-INF/classes", Map.of(
                // Root (a forged copy of the name) and x.A extend each other; so do x.I and x.J
                Root.class.getName().replace('.', '/') + ".class", type(Root.class.getName(), "x.A"),
                "x/A.class", type("x.A", Root.class.getName()),
                "x/I.class", iface("x.I", "x.J", Plugin.class.getName()),
                "x/J.class", iface("x.J", "x.I"),
                "x/C.class", type("x.C", "java.lang.Object", "x.I"),
                // annotation types carrying each other
                "x/M1.class", annotationType("x.M1", annotated("x.M2")),
                "x/M2.class", annotationType("x.M2", annotated("x.M1", Mark.class.getName())),
                "x/Marked.class", type("x.Marked", "java.lang.Object", List.of(), annotated("x.M1"))));
        ClassScan scan = ClassScan.of(APP, List.of(classes), List.of(classes));
        assertEquals(Set.of("x.A"), scan.handledBy(Root.class));
        assertEquals(Set.of("x.I", "x.J", "x.C"), scan.handledBy(Plugin.class));
        assertEquals(Set.of("x.M1", "x.M2", "x.Marked"), scan.handledBy(Mark.class));
    }

    @Test
    void annotationValuesNestedTooDeeplyAreSkippedNotFollowed() throws Exception {
        AnnotationValue nested = AnnotationValue.ofInt(1);
        for (int i = 0; i < ClassFileReader.MAX_NESTING + 5; i++) {
            nested = AnnotationValue.ofArray(nested);
        }
        AnnotationValue deep = nested;
        Path classes = folder("WEB-INF/classes", Map.of(
                "x/Deep.class", type("x.Deep", "java.lang.Object", List.of(), builder -> builder.with(
                        RuntimeVisibleAnnotationsAttribute.of(Annotation.of(ClassDesc.of("x.Mark"),
                                AnnotationElement.of("value", deep))))),
                "x/Bottomless.class", bottomless(100_000),
                "x/Good.class", type("x.Good", "java.lang.Object")));
        List<ILoggingEvent> logged = new ArrayList<>();
        ClassScan scan = logging(logged, () -> ClassScan.of(APP, List.of(classes), List.of(classes)));
        assertNotNull(scan.find("x.Good"));
        assertNull(scan.find("x.Deep"));
        assertNull(scan.find("x.Bottomless"));
        List<String> warnings = warnings(logged);
        assertTrue(warnings.contains(APP + ": WEB-INF/classes/x/Deep.class is not a class file this JDK reads"
                + " (annotation values nested more than 32 deep); its types and annotations are not scanned"), warnings.toString());
        assertTrue(warnings.contains(APP + ": WEB-INF/classes/x/Bottomless.class is not a class file this JDK reads"
                + " (annotation values nested too deeply); its types and annotations are not scanned"), warnings.toString());
    }

    // ---- helpers

    /** Builds {@code war}, unpacks it as a deployment would, and scans WEB-INF/classes and WEB-INF/lib. */
    private ClassScan scanWar(WarBuilder war) throws Exception {
        Path root = work.resolve("webapp");
        WarUnpacker.unpack(war.build(work.resolve("test.war")), root);
        List<Path> entries = new ArrayList<>(List.of(root.resolve("WEB-INF/classes")));
        entries.addAll(WebAppClassLoader.libraryJars(root));
        return ClassScan.of(APP, entries, entries);
    }

    private Path folder(String path, Map<String, byte[]> files) throws IOException {
        Path folder = Files.createDirectories(work.resolve("webapp").resolve(path));
        for (var file : files.entrySet()) {
            Path target = folder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return folder;
    }

    private Path jar(String path, Map<String, byte[]> entries) throws IOException {
        Path jar = work.resolve("webapp").resolve(path);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar)) {
            out.write(WarBuilder.zipBytes(entries));
        }
        return jar;
    }

    private static byte[] type(String name, String superName, String... interfaces) {
        return type(name, ClassFile.ACC_PUBLIC, superName, List.of(interfaces), builder -> {});
    }

    private static byte[] type(String name, String superName, List<String> interfaces, Consumer<ClassBuilder> more) {
        return type(name, ClassFile.ACC_PUBLIC, superName, interfaces, more);
    }

    private static byte[] type(String name, int flags, String superName, List<String> interfaces,
            Consumer<ClassBuilder> more) {
        return ClassFile.of().build(ClassDesc.of(name), builder -> {
            builder.withFlags(flags).withSuperclass(ClassDesc.of(superName))
                    .withInterfaceSymbols(interfaces.stream().map(ClassDesc::of).toList());
            more.accept(builder);
        });
    }

    private static byte[] iface(String name, String... superInterfaces) {
        return type(name, ClassFile.ACC_PUBLIC | ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT, "java.lang.Object",
                List.of(superInterfaces), builder -> {});
    }

    private static byte[] annotationType(String name, Consumer<ClassBuilder> more) {
        return type(name, ClassFile.ACC_PUBLIC | ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT
                | ClassFile.ACC_ANNOTATION, "java.lang.Object", List.of("java.lang.annotation.Annotation"), more);
    }

    private static Annotation[] annotation(String... types) {
        return java.util.Arrays.stream(types).map(type -> Annotation.of(ClassDesc.of(type))).toArray(Annotation[]::new);
    }

    private static Consumer<ClassBuilder> annotated(String... types) {
        return builder -> builder.with(RuntimeVisibleAnnotationsAttribute.of(annotation(types)));
    }

    private static Consumer<ClassBuilder> method(int flags, String annotation) {
        return builder -> builder.withMethod("run", MethodTypeDesc.of(ConstantDescs.CD_void), flags,
                method -> method.with(RuntimeVisibleAnnotationsAttribute.of(annotation(annotation)))
                        .withCode(code -> code.return_()));
    }

    private static Consumer<ClassBuilder> constructor(String annotation) {
        return builder -> builder.withMethod(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC,
                method -> method.with(RuntimeVisibleAnnotationsAttribute.of(annotation(annotation)))
                        .withCode(code -> code.return_()));
    }

    private static Consumer<ClassBuilder> field(int flags, String annotation) {
        return builder -> builder.withField("value", ConstantDescs.CD_int,
                field -> field.withFlags(flags).with(RuntimeVisibleAnnotationsAttribute.of(annotation(annotation))));
    }

    /**
     * A class whose one annotation nests {@code depth} annotations in one another, written byte by byte: the
     * ClassFile API would recurse as deep to write it. Reading it recursively exhausts any thread's stack.
     */
    private static byte[] bottomless(int depth) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(ClassFile.JAVA_17_VERSION);
        out.writeShort(8); // constant pool: 7 entries, from 1
        out.writeByte(1);
        out.writeUTF("x/Bottomless");
        out.writeByte(7);
        out.writeShort(1);
        out.writeByte(1);
        out.writeUTF("java/lang/Object");
        out.writeByte(7);
        out.writeShort(3);
        out.writeByte(1);
        out.writeUTF("Lx/Mark;");
        out.writeByte(1);
        out.writeUTF("value");
        out.writeByte(1);
        out.writeUTF("RuntimeVisibleAnnotations");
        out.writeShort(ClassFile.ACC_PUBLIC | ClassFile.ACC_SUPER);
        out.writeShort(2); // this class
        out.writeShort(4); // superclass
        out.writeShort(0); // interfaces
        out.writeShort(0); // fields
        out.writeShort(0); // methods
        out.writeShort(1); // attributes
        ByteArrayOutputStream annotations = new ByteArrayOutputStream();
        DataOutputStream nested = new DataOutputStream(annotations);
        nested.writeShort(1);
        for (int i = 0; i < depth; i++) {
            nested.writeShort(5); // @x.Mark(value = @x.Mark(value = ...
            nested.writeShort(1);
            nested.writeShort(6);
            nested.writeByte('@');
        }
        nested.writeShort(5);
        nested.writeShort(0);
        out.writeShort(7);
        out.writeInt(annotations.size());
        out.write(annotations.toByteArray());
        return bytes.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(List<ScannedClass> classes) {
        return classes.stream().map(ScannedClass::name).toList();
    }

    private interface Scan {
        ClassScan run() throws Exception;
    }

    private static ClassScan logging(List<ILoggingEvent> into, Scan scan) throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ClassPathReader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            return scan.run();
        } finally {
            log.detachAppender(appender);
            into.addAll(appender.list);
        }
    }

    private static List<String> warnings(List<ILoggingEvent> logged) {
        return logged.stream().filter(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
