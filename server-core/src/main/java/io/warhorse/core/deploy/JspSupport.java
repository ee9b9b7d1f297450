package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ServletInfo;
import io.warhorse.core.config.Settings;
import java.util.Map;
import org.apache.jasper.servlet.JasperInitializer;
import org.apache.jasper.servlet.JspServlet;
import org.apache.tomcat.JarScanner;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * JSP 3.1 for an app, through Apache Jasper: the servlet {@code jsp} mapped to {@code *.jsp}, {@code *.jspx} and
 * the {@code <jsp-property-group>} url-patterns, the {@code <jsp-config>} descriptor, and a TLD scan limited to the
 * app ({@link AppJarScanner}). Jasper's own {@code JasperInitializer} is found with the other initializers and reads
 * the TLDs (and registers their listeners) when the app deploys. Pages compile into the deployment's temp dir, one
 * per app; an app with no JSP content gets none of this ({@link JspContent}). Runs on the deploying thread.
 */
final class JspSupport {

    private JspSupport() {}

    static void map(WebMetaData web, DeploymentInfo deployment, JspPaths paths, Settings.Jsp settings) {
        deployment.setJspConfigDescriptor(JspDescriptor.of(web.getJspConfig()));
        deployment.addServletContextAttribute(JarScanner.class.getName(), new AppJarScanner());
        if (!deployment.getServlets().containsKey("jsp")) {
            ServletInfo jsp = new ServletInfo("jsp", JspFileServlet.class);
            paths.patterns().forEach(jsp::addMapping);
            deployment.addServlet(jsp);
        }
        for (ServletInfo servlet : deployment.getServlets().values()) {
            if (JspServlet.class.isAssignableFrom(servlet.getServletClass())) {
                options(settings).forEach((name, value) -> {
                    if (!servlet.getInitParams().containsKey(name)) {
                        servlet.addInitParam(name, value);
                    }
                });
            }
        }
    }

    /** True for the initializer that starts Jasper for an app (left out for an app with no JSP content). */
    static boolean isEngine(Class<?> initializer) {
        return initializer == JasperInitializer.class;
    }

    /** Jasper's init parameters for warhorse's settings (Jasper's own default is development mode). */
    static Map<String, String> options(Settings.Jsp settings) {
        return Map.of("development", Boolean.toString(settings.development()));
    }
}
