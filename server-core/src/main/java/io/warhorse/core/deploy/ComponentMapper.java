package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.InstanceFactory;
import io.undertow.servlet.api.ListenerInfo;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import java.util.EventListener;
import java.util.List;
import org.jboss.metadata.javaee.spec.ParamValueMetaData;
import org.jboss.metadata.web.spec.FilterMappingMetaData;
import org.jboss.metadata.web.spec.FilterMetaData;
import org.jboss.metadata.web.spec.ListenerMetaData;
import org.jboss.metadata.web.spec.MultipartConfigMetaData;
import org.jboss.metadata.web.spec.ServletMappingMetaData;
import org.jboss.metadata.web.spec.ServletMetaData;
import org.jboss.metadata.web.spec.WebCommonMetaData;

/**
 * Declares the app's servlets, filters and listeners to Undertow, from the merged web.xml/annotation metadata.
 * Each class is loaded here, through the app's loader, so a missing class stops the deployment with its name
 * instead of surfacing on the first request.
 */
final class ComponentMapper {

    private final ClassLoader loader;
    private final DeploymentInfo deployment;

    private ComponentMapper(ClassLoader loader, DeploymentInfo deployment) {
        this.loader = loader;
        this.deployment = deployment;
    }

    static void map(WebCommonMetaData web, ClassLoader loader, DeploymentInfo deployment) throws DeploymentException {
        ComponentMapper mapper = new ComponentMapper(loader, deployment);
        for (ListenerMetaData listener : orEmpty(web.getListeners())) {
            mapper.addListener(listener);
        }
        for (ServletMetaData servlet : web.getServlets() == null ? List.<ServletMetaData>of() : web.getServlets()) {
            mapper.addServlet(servlet, orEmpty(web.getServletMappings()));
        }
        for (FilterMetaData filter : web.getFilters() == null ? List.<FilterMetaData>of() : web.getFilters()) {
            mapper.addFilter(filter);
        }
        for (FilterMappingMetaData mapping : orEmpty(web.getFilterMappings())) {
            mapper.addFilterMapping(mapping);
        }
    }

    private void addListener(ListenerMetaData listener) throws DeploymentException {
        Class<? extends EventListener> type = load("listener", listener.getListenerClass(), EventListener.class);
        deployment.addListener(new ListenerInfo(type, factory(type)));
    }

    private void addServlet(ServletMetaData meta, List<ServletMappingMetaData> mappings) throws DeploymentException {
        if (!meta.isEnabled()) {
            return;
        }
        Class<? extends Servlet> type = servletClass(meta);
        ServletInfo servlet = meta.getServletClass() == null ? new ServletInfo(meta.getServletName(), type)
                : new ServletInfo(meta.getServletName(), type, factory(type));
        for (ParamValueMetaData param : orEmpty(meta.getInitParam())) {
            servlet.addInitParam(param.getParamName(), param.getParamValue());
        }
        if (meta.getServletClass() == null && meta.getJspFile() != null) {
            servlet.addInitParam("jspFile", meta.getJspFile().trim());
        }
        if (meta.getLoadOnStartupSet() && meta.getLoadOnStartupInt() >= 0) {
            servlet.setLoadOnStartup(meta.getLoadOnStartupInt());
        }
        servlet.setAsyncSupported(meta.isAsyncSupported());
        if (meta.getMultipartConfig() != null) {
            servlet.setMultipartConfig(multipart(meta.getMultipartConfig()));
        }
        if (meta.getRunAs() != null) {
            servlet.setRunAs(meta.getRunAs().getRoleName().trim());
        }
        if (meta.getSecurityRoleRefs() != null) {
            meta.getSecurityRoleRefs().forEach(ref -> servlet.addSecurityRoleRef(ref.getRoleName().trim(),
                    ref.getRoleLink() == null ? ref.getRoleName().trim() : ref.getRoleLink().trim()));
        }
        for (ServletMappingMetaData mapping : mappings) {
            if (mapping.getServletName().equals(meta.getServletName())) {
                orEmpty(mapping.getUrlPatterns()).forEach(pattern -> servlet.addMapping(pattern.trim()));
            }
        }
        deployment.addServlet(servlet);
    }

    /** A {@code <jsp-file>} servlet is Jasper's, told its page by the init parameter Jasper reads. */
    private Class<? extends Servlet> servletClass(ServletMetaData meta) throws DeploymentException {
        if (meta.getServletClass() != null) {
            return load("servlet " + meta.getServletName(), meta.getServletClass(), Servlet.class);
        }
        if (meta.getJspFile() != null) {
            return JspFileServlet.class;
        }
        throw new DeploymentException("servlet " + meta.getServletName() + " has no servlet-class");
    }

    private void addFilter(FilterMetaData meta) throws DeploymentException {
        Class<? extends Filter> type = load("filter " + meta.getFilterName(), meta.getFilterClass(), Filter.class);
        FilterInfo filter = new FilterInfo(meta.getFilterName(), type, factory(type));
        for (ParamValueMetaData param : orEmpty(meta.getInitParam())) {
            filter.addInitParam(param.getParamName(), param.getParamValue());
        }
        filter.setAsyncSupported(meta.isAsyncSupported());
        deployment.addFilter(filter);
    }

    private void addFilterMapping(FilterMappingMetaData mapping) {
        List<DispatcherType> dispatchers = orEmpty(mapping.getDispatchers()).stream()
                .map(type -> DispatcherType.valueOf(type.name())).toList();
        for (DispatcherType dispatcher : dispatchers.isEmpty() ? List.of(DispatcherType.REQUEST) : dispatchers) {
            for (String pattern : orEmpty(mapping.getUrlPatterns())) {
                deployment.addFilterUrlMapping(mapping.getFilterName(), pattern.trim(), dispatcher);
            }
            for (String servlet : orEmpty(mapping.getServletNames())) {
                deployment.addFilterServletNameMapping(mapping.getFilterName(), servlet.trim(), dispatcher);
            }
        }
    }

    /** Instances made by the deployment's introspecter: resources injected, lifecycle methods run. */
    private <T> InstanceFactory<T> factory(Class<T> type) throws DeploymentException {
        try {
            return deployment.getClassIntrospecter().createInstanceFactory(type);
        } catch (NoSuchMethodException e) {
            throw new DeploymentException(type.getName() + " has no public constructor without arguments", e);
        }
    }

    private static MultipartConfigElement multipart(MultipartConfigMetaData meta) {
        return new MultipartConfigElement(meta.getLocation() == null ? "" : meta.getLocation(),
                meta.getMaxFileSize(), meta.getMaxRequestSize(), meta.getFileSizeThreshold());
    }

    private <T> Class<? extends T> load(String what, String className, Class<T> type) throws DeploymentException {
        if (className == null) {
            throw new DeploymentException(what + " has no class");
        }
        try {
            Class<?> loaded = Class.forName(className.trim(), false, loader);
            if (!type.isAssignableFrom(loaded)) {
                throw new DeploymentException(what + ": " + className + " is not a " + type.getName());
            }
            return loaded.asSubclass(type);
        } catch (ClassNotFoundException e) {
            throw new DeploymentException(what + ": class " + className + " is not in the WAR", e);
        } catch (LinkageError e) {
            throw new DeploymentException(what + ": class " + className + " cannot be loaded: " + e, e);
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
