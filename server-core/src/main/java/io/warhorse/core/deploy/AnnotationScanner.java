package io.warhorse.core.deploy;

import io.github.classgraph.AnnotationEnumValue;
import io.github.classgraph.AnnotationInfo;
import io.github.classgraph.ClassInfo;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RunAs;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.metadata.javaee.spec.ParamValueMetaData;
import org.jboss.metadata.javaee.spec.RunAsMetaData;
import org.jboss.metadata.web.spec.DispatcherType;
import org.jboss.metadata.web.spec.FilterMappingMetaData;
import org.jboss.metadata.web.spec.FilterMetaData;
import org.jboss.metadata.web.spec.FiltersMetaData;
import org.jboss.metadata.web.spec.ListenerMetaData;
import org.jboss.metadata.web.spec.MultipartConfigMetaData;
import org.jboss.metadata.web.spec.ServletMappingMetaData;
import org.jboss.metadata.web.spec.ServletMetaData;
import org.jboss.metadata.web.spec.ServletsMetaData;
import org.jboss.metadata.web.spec.WebCommonMetaData;

/**
 * Turns {@code @WebServlet}, {@code @WebFilter}, {@code @WebListener}, {@code @MultipartConfig} and {@code @RunAs}
 * into the same metadata web.xml produces, so that web.xml can override them by the ordinary merge rules (a web.xml
 * mapping for a servlet replaces the annotation's; a listener named in both is registered once). Values come from
 * the class files (see {@link ClassScan}); attributes left at their defaults are absent there, hence the fallbacks
 * below.
 */
final class AnnotationScanner {

    private AnnotationScanner() {}

    static WebCommonMetaData read(ClassScan scan) {
        WebCommonMetaData web = new WebCommonMetaData();
        web.setServlets(new ServletsMetaData());
        web.setServletMappings(new ArrayList<>());
        web.setFilters(new FiltersMetaData());
        web.setFilterMappings(new ArrayList<>());
        web.setListeners(new ArrayList<>());
        scan.annotatedWith(WebServlet.class).forEach(info -> addServlet(web, info));
        scan.annotatedWith(WebFilter.class).forEach(info -> addFilter(web, info));
        scan.annotatedWith(WebListener.class).forEach(info -> addListener(web, info));
        return web;
    }

    /** The roles named by {@code @DeclareRoles} on the app's classes. */
    static List<String> declaredRoles(ClassScan scan) {
        List<String> roles = new ArrayList<>();
        for (ClassInfo info : scan.annotatedWith(DeclareRoles.class)) {
            roles.addAll(strings(info.getAnnotationInfo(DeclareRoles.class), "value"));
        }
        return roles;
    }

    /**
     * Gives servlets declared without a multipart config or a run-as role (in web.xml or by {@code @WebServlet}) the
     * ones their class's {@code @MultipartConfig} and {@code @RunAs} say: web.xml wins where it says something.
     */
    static void applyClassAnnotations(WebCommonMetaData web, ClassScan scan) {
        if (web.getServlets() == null) {
            return;
        }
        for (ServletMetaData servlet : web.getServlets()) {
            ClassInfo info = servlet.getServletClass() == null ? null : scan.find(servlet.getServletClass());
            if (servlet.getMultipartConfig() == null && info != null && info.hasAnnotation(MultipartConfig.class)) {
                servlet.setMultipartConfig(multipart(info.getAnnotationInfo(MultipartConfig.class)));
            }
            if (servlet.getRunAs() == null && info != null && info.hasAnnotation(RunAs.class)) {
                RunAsMetaData runAs = new RunAsMetaData();
                runAs.setRoleName(text(info.getAnnotationInfo(RunAs.class), "value", ""));
                servlet.setRunAs(runAs);
            }
        }
    }

    private static void addServlet(WebCommonMetaData web, ClassInfo info) {
        AnnotationInfo annotation = info.getAnnotationInfo(WebServlet.class);
        ServletMetaData servlet = new ServletMetaData();
        servlet.setServletName(text(annotation, "name", info.getName()));
        servlet.setServletClass(info.getName());
        servlet.setInitParam(initParams(annotation));
        servlet.setLoadOnStartupInt(number(annotation, "loadOnStartup", -1));
        servlet.setAsyncSupported(flag(annotation, "asyncSupported"));
        if (info.hasAnnotation(MultipartConfig.class)) {
            servlet.setMultipartConfig(multipart(info.getAnnotationInfo(MultipartConfig.class)));
        }
        web.getServlets().add(servlet);
        ServletMappingMetaData mapping = new ServletMappingMetaData();
        mapping.setServletName(servlet.getServletName());
        mapping.setUrlPatterns(patterns(annotation));
        web.getServletMappings().add(mapping);
    }

    private static void addFilter(WebCommonMetaData web, ClassInfo info) {
        AnnotationInfo annotation = info.getAnnotationInfo(WebFilter.class);
        FilterMetaData filter = new FilterMetaData();
        filter.setFilterName(text(annotation, "filterName", info.getName()));
        filter.setFilterClass(info.getName());
        filter.setInitParam(initParams(annotation));
        filter.setAsyncSupported(flag(annotation, "asyncSupported"));
        web.getFilters().add(filter);
        FilterMappingMetaData mapping = new FilterMappingMetaData();
        mapping.setFilterName(filter.getFilterName());
        mapping.setUrlPatterns(patterns(annotation));
        mapping.setServletNames(strings(annotation, "servletNames"));
        List<DispatcherType> dispatchers = new ArrayList<>();
        for (Object value : array(annotation, "dispatcherTypes")) {
            dispatchers.add(DispatcherType.valueOf(((AnnotationEnumValue) value).getValueName()));
        }
        mapping.setDispatchers(dispatchers.isEmpty() ? List.of(DispatcherType.REQUEST) : dispatchers);
        web.getFilterMappings().add(mapping);
    }

    private static void addListener(WebCommonMetaData web, ClassInfo info) {
        ListenerMetaData listener = new ListenerMetaData();
        listener.setListenerClass(info.getName());
        web.getListeners().add(listener);
    }

    private static MultipartConfigMetaData multipart(AnnotationInfo annotation) {
        MultipartConfigMetaData config = new MultipartConfigMetaData();
        config.setLocation(text(annotation, "location", ""));
        config.setMaxFileSize(((Number) value(annotation, "maxFileSize", -1L)).longValue());
        config.setMaxRequestSize(((Number) value(annotation, "maxRequestSize", -1L)).longValue());
        config.setFileSizeThreshold(number(annotation, "fileSizeThreshold", 0));
        return config;
    }

    private static List<ParamValueMetaData> initParams(AnnotationInfo annotation) {
        List<ParamValueMetaData> params = new ArrayList<>();
        for (Object value : array(annotation, "initParams")) {
            AnnotationInfo param = (AnnotationInfo) value;
            ParamValueMetaData meta = new ParamValueMetaData();
            meta.setParamName(text(param, "name", ""));
            meta.setParamValue(text(param, "value", ""));
            params.add(meta);
        }
        return params;
    }

    /** {@code urlPatterns}, or {@code value}: the spec lets either hold them. */
    private static List<String> patterns(AnnotationInfo annotation) {
        List<String> patterns = strings(annotation, "urlPatterns");
        return patterns.isEmpty() ? strings(annotation, "value") : patterns;
    }

    private static List<String> strings(AnnotationInfo annotation, String name) {
        return Arrays.stream(array(annotation, name)).map(String::valueOf).toList();
    }

    private static Object[] array(AnnotationInfo annotation, String name) {
        Object value = value(annotation, name, new Object[0]);
        return value instanceof Object[] values ? values : new Object[] {value};
    }

    private static String text(AnnotationInfo annotation, String name, String fallback) {
        String value = (String) value(annotation, name, "");
        return value.isEmpty() ? fallback : value;
    }

    private static int number(AnnotationInfo annotation, String name, int fallback) {
        return ((Number) value(annotation, name, fallback)).intValue();
    }

    private static boolean flag(AnnotationInfo annotation, String name) {
        return (Boolean) value(annotation, name, false);
    }

    private static Object value(AnnotationInfo annotation, String name, Object fallback) {
        Object value = annotation.getParameterValues().getValue(name);
        return value == null ? fallback : value;
    }
}
