package io.warhorse.core.deploy;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RunAs;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import java.util.ArrayList;
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
        for (ScannedClass type : scan.annotatedWith(DeclareRoles.class)) {
            roles.addAll(type.annotation(DeclareRoles.class).strings("value"));
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
            ScannedClass type = servlet.getServletClass() == null ? null : scan.find(servlet.getServletClass());
            if (servlet.getMultipartConfig() == null && type != null && type.has(MultipartConfig.class)) {
                servlet.setMultipartConfig(multipart(type.annotation(MultipartConfig.class)));
            }
            if (servlet.getRunAs() == null && type != null && type.has(RunAs.class)) {
                RunAsMetaData runAs = new RunAsMetaData();
                runAs.setRoleName(type.annotation(RunAs.class).text("value", ""));
                servlet.setRunAs(runAs);
            }
        }
    }

    private static void addServlet(WebCommonMetaData web, ScannedClass type) {
        ScannedAnnotation annotation = type.annotation(WebServlet.class);
        ServletMetaData servlet = new ServletMetaData();
        servlet.setServletName(annotation.text("name", type.name()));
        servlet.setServletClass(type.name());
        servlet.setInitParam(initParams(annotation));
        servlet.setLoadOnStartupInt(annotation.integer("loadOnStartup", -1));
        servlet.setAsyncSupported(annotation.flag("asyncSupported", false));
        if (type.has(MultipartConfig.class)) {
            servlet.setMultipartConfig(multipart(type.annotation(MultipartConfig.class)));
        }
        web.getServlets().add(servlet);
        ServletMappingMetaData mapping = new ServletMappingMetaData();
        mapping.setServletName(servlet.getServletName());
        mapping.setUrlPatterns(patterns(annotation));
        web.getServletMappings().add(mapping);
    }

    private static void addFilter(WebCommonMetaData web, ScannedClass type) {
        ScannedAnnotation annotation = type.annotation(WebFilter.class);
        FilterMetaData filter = new FilterMetaData();
        filter.setFilterName(annotation.text("filterName", type.name()));
        filter.setFilterClass(type.name());
        filter.setInitParam(initParams(annotation));
        filter.setAsyncSupported(annotation.flag("asyncSupported", false));
        web.getFilters().add(filter);
        FilterMappingMetaData mapping = new FilterMappingMetaData();
        mapping.setFilterName(filter.getFilterName());
        mapping.setUrlPatterns(patterns(annotation));
        mapping.setServletNames(annotation.strings("servletNames"));
        List<DispatcherType> dispatchers = new ArrayList<>();
        for (String name : annotation.enumNames("dispatcherTypes")) {
            dispatchers.add(DispatcherType.valueOf(name));
        }
        mapping.setDispatchers(dispatchers.isEmpty() ? List.of(DispatcherType.REQUEST) : dispatchers);
        web.getFilterMappings().add(mapping);
    }

    private static void addListener(WebCommonMetaData web, ScannedClass type) {
        ListenerMetaData listener = new ListenerMetaData();
        listener.setListenerClass(type.name());
        web.getListeners().add(listener);
    }

    private static MultipartConfigMetaData multipart(ScannedAnnotation annotation) {
        MultipartConfigMetaData config = new MultipartConfigMetaData();
        config.setLocation(annotation.text("location", ""));
        config.setMaxFileSize(annotation.longValue("maxFileSize", -1L));
        config.setMaxRequestSize(annotation.longValue("maxRequestSize", -1L));
        config.setFileSizeThreshold(annotation.integer("fileSizeThreshold", 0));
        return config;
    }

    private static List<ParamValueMetaData> initParams(ScannedAnnotation annotation) {
        List<ParamValueMetaData> params = new ArrayList<>();
        for (ScannedAnnotation param : annotation.annotations("initParams")) {
            ParamValueMetaData meta = new ParamValueMetaData();
            meta.setParamName(param.text("name", ""));
            meta.setParamValue(param.text("value", ""));
            params.add(meta);
        }
        return params;
    }

    /** {@code urlPatterns}, or {@code value}: the spec lets either hold them. */
    private static List<String> patterns(ScannedAnnotation annotation) {
        List<String> patterns = annotation.strings("urlPatterns");
        return patterns.isEmpty() ? annotation.strings("value") : patterns;
    }
}
