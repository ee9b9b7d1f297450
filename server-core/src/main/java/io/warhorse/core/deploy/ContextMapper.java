package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.MimeMapping;
import io.undertow.servlet.api.ServletSessionConfig;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jboss.metadata.javaee.spec.DescriptionGroupMetaData;
import org.jboss.metadata.javaee.spec.ParamValueMetaData;
import org.jboss.metadata.web.spec.CookieConfigMetaData;
import org.jboss.metadata.web.spec.ErrorPageMetaData;
import org.jboss.metadata.web.spec.MimeMappingMetaData;
import org.jboss.metadata.web.spec.SessionConfigMetaData;
import org.jboss.metadata.web.spec.SessionTrackingModeType;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * Maps the app-wide parts of web.xml onto Undertow: context params, welcome files, error pages, MIME types, session
 * and cookie settings, default encodings. Without {@code <welcome-file-list>} the usual index files are tried, as
 * every servlet container does, so a plain WAR's {@code /} still shows its index.html.
 */
final class ContextMapper {

    private static final List<String> DEFAULT_WELCOME_FILES = List.of("index.html", "index.htm", "index.jsp");

    private ContextMapper() {}

    static void map(WebMetaData web, ClassLoader loader, DeploymentInfo deployment) throws DeploymentException {
        DescriptionGroupMetaData description = web.getDescriptionGroup();
        if (description != null && description.getDisplayName() != null) {
            deployment.setDisplayName(description.getDisplayName().trim());
        }
        for (ParamValueMetaData param : orEmpty(web.getContextParams())) {
            deployment.addInitParameter(param.getParamName(), param.getParamValue());
        }
        boolean welcomeListed = web.getWelcomeFileList() != null && web.getWelcomeFileList().getWelcomeFiles() != null;
        deployment.addWelcomePages(welcomeListed ? web.getWelcomeFileList().getWelcomeFiles() : DEFAULT_WELCOME_FILES);
        for (ErrorPageMetaData page : orEmpty(web.getErrorPages())) {
            deployment.addErrorPage(errorPage(page, loader));
        }
        for (MimeMappingMetaData mime : orEmpty(web.getMimeMappings())) {
            deployment.addMimeMapping(new MimeMapping(mime.getExtension().trim(), mime.getMimeType().trim()));
        }
        if (web.getSessionConfig() != null) {
            mapSession(web.getSessionConfig(), deployment);
        }
        deployment.setDefaultRequestEncoding(web.getRequestCharacterEncoding());
        deployment.setDefaultResponseEncoding(web.getResponseCharacterEncoding());
    }

    private static ErrorPage errorPage(ErrorPageMetaData page, ClassLoader loader) throws DeploymentException {
        String location = page.getLocation().trim();
        if (page.getErrorCode() != null && !page.getErrorCode().isBlank()) {
            return new ErrorPage(location, Integer.parseInt(page.getErrorCode().trim()));
        }
        if (page.getExceptionType() != null && !page.getExceptionType().isBlank()) {
            String type = page.getExceptionType().trim();
            try {
                return new ErrorPage(location, Class.forName(type, false, loader).asSubclass(Throwable.class));
            } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
                throw new DeploymentException("error-page for " + type + ": not a Throwable class in the WAR", e);
            }
        }
        return new ErrorPage(location);
    }

    private static void mapSession(SessionConfigMetaData session, DeploymentInfo deployment) {
        if (session.getSessionTimeoutSet()) {
            deployment.setDefaultSessionTimeout(session.getSessionTimeout() * 60);
        }
        ServletSessionConfig config = new ServletSessionConfig();
        CookieConfigMetaData cookie = session.getCookieConfig();
        if (cookie != null) {
            mapCookie(cookie, config);
        }
        if (session.getSessionTrackingModes() != null && !session.getSessionTrackingModes().isEmpty()) {
            config.setSessionTrackingModes(trackingModes(session.getSessionTrackingModes()));
        }
        deployment.setServletSessionConfig(config);
    }

    private static void mapCookie(CookieConfigMetaData cookie, ServletSessionConfig config) {
        if (cookie.getName() != null) {
            config.setName(cookie.getName());
        }
        config.setDomain(cookie.getDomain());
        config.setPath(cookie.getPath());
        if (cookie.getHttpOnlySet()) {
            config.setHttpOnly(cookie.getHttpOnly());
        }
        if (cookie.getSecureSet()) {
            config.setSecure(cookie.getSecure());
        }
        if (cookie.getMaxAgeSet()) {
            config.setMaxAge(cookie.getMaxAge());
        }
    }

    private static Set<SessionTrackingMode> trackingModes(List<SessionTrackingModeType> types) {
        Set<SessionTrackingMode> modes = EnumSet.noneOf(SessionTrackingMode.class);
        types.forEach(type -> modes.add(SessionTrackingMode.valueOf(type.name())));
        return modes;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
