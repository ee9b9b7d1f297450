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
 * web.xml's {@code <security-role>}s and {@code <security-constraint>}s (roles, HTTP methods, transport guarantees) on
 * Undertow's security model; {@link LoginMapper} sets how users log in. A path that needs a role in an app with
 * no {@code <login-config>} can never be reached: Undertow answers 403, and the operator is told once per app.
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
            if (constraint.getAuthConstraint() != null && !mapped.getRolesAllowed().isEmpty()) {
                mapped.getWebResourceCollections().forEach(c -> refused.addAll(c.getUrlPatterns()));
            }
        }
        if (!refused.isEmpty() && web.getLoginConfig() == null) {
            LOG.warn("{}: web.xml restricts {} to roles but has no <login-config>: those requests get 403 unless the "
                    + "app calls HttpServletRequest.login", app, refused);
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
        TransportGuaranteeType guarantee = meta.getTransportGuarantee();
        if (guarantee != null && guarantee != TransportGuaranteeType.NONE) {
            constraint.setTransportGuaranteeType(guarantee == TransportGuaranteeType.CONFIDENTIAL
                    ? io.undertow.servlet.api.TransportGuaranteeType.CONFIDENTIAL
                    : io.undertow.servlet.api.TransportGuaranteeType.INTEGRAL);
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
