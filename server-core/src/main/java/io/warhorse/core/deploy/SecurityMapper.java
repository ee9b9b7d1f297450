package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.SecurityConstraint;
import io.undertow.servlet.api.SecurityInfo.EmptyRoleSemantic;
import io.undertow.servlet.api.WebResourceCollection;
import java.util.ArrayList;
import java.util.List;
import org.jboss.metadata.web.spec.AuthConstraintMetaData;
import org.jboss.metadata.web.spec.SecurityConstraintMetaData;
import org.jboss.metadata.web.spec.TransportGuaranteeType;
import org.jboss.metadata.web.spec.WebResourceCollectionMetaData;
import org.jboss.metadata.web.spec.WebMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps web.xml's {@code <security-constraint>}s in force. warhorse has no user store or login configuration yet, so
 * a path that needs a role can never be reached: Undertow answers 403. Refusing is the safe failure; serving a
 * path the app believes protected would not be. {@code <login-config>} and {@code CONFIDENTIAL} transport
 * guarantees are not applied, and the operator is told so once per app.
 */
final class SecurityMapper {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityMapper.class);

    private SecurityMapper() {}

    static void map(WebMetaData web, DeploymentInfo deployment, String app) {
        if (web.getSecurityRoles() != null) {
            web.getSecurityRoles().forEach(role -> deployment.addSecurityRole(role.getRoleName()));
        }
        if (Boolean.TRUE.equals(web.getDenyUncoveredHttpMethods())) {
            deployment.setDenyUncoveredHttpMethods(true);
        }
        List<String> refused = new ArrayList<>();
        for (SecurityConstraintMetaData constraint : orEmpty(web.getSecurityConstraints())) {
            SecurityConstraint mapped = constraint(constraint);
            deployment.addSecurityConstraint(mapped);
            if (constraint.getAuthConstraint() != null) {
                mapped.getWebResourceCollections().forEach(c -> refused.addAll(c.getUrlPatterns()));
            }
            warnIfConfidential(constraint, app);
        }
        if (!refused.isEmpty()) {
            LOG.warn("{}: web.xml restricts {} to roles, and warhorse has no user store yet: those requests get 403",
                    app, refused);
        }
    }

    private static void warnIfConfidential(SecurityConstraintMetaData constraint, String app) {
        TransportGuaranteeType guarantee = constraint.getTransportGuarantee();
        if (guarantee != null && guarantee != TransportGuaranteeType.NONE) {
            LOG.warn("{}: transport guarantee {} in web.xml is not enforced; terminate TLS in front of warhorse",
                    app, guarantee);
        }
    }

    private static SecurityConstraint constraint(SecurityConstraintMetaData meta) {
        SecurityConstraint constraint = new SecurityConstraint();
        AuthConstraintMetaData auth = meta.getAuthConstraint();
        if (auth != null) {
            List<String> roles = orEmpty(auth.getRoleNames()).stream().map(String::trim).toList();
            constraint.setEmptyRoleSemantic(roles.isEmpty() ? EmptyRoleSemantic.DENY : EmptyRoleSemantic.AUTHENTICATE);
            constraint.addRolesAllowed(roles);
        }
        if (meta.getResourceCollections() != null) {
            for (WebResourceCollectionMetaData collection : meta.getResourceCollections()) {
                constraint.addWebResourceCollection(new WebResourceCollection()
                        .addUrlPatterns(orEmpty(collection.getUrlPatterns()).stream().map(String::trim).toList())
                        .addHttpMethods(orEmpty(collection.getHttpMethods()))
                        .addHttpMethodOmissions(orEmpty(collection.getHttpMethodOmissions())));
            }
        }
        return constraint;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
