package io.warhorse.core.deploy;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.HttpMethodSecurityInfo;
import io.undertow.servlet.api.SecurityInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.api.ServletSecurityInfo;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.HttpMethodConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.List;

/**
 * Applies {@code @ServletSecurity} of the app's servlet classes. Undertow reads it only for servlets added at run
 * time; declared ones would otherwise be served unprotected. Read by reflection on the servlet class, which is
 * loaded by then anyway. As with web.xml constraints, a role-protected servlet answers 403 while warhorse has no
 * user store: see {@link SecurityMapper}.
 */
final class ServletSecurityReader {

    private ServletSecurityReader() {}

    static void apply(DeploymentInfo deployment) {
        for (ServletInfo servlet : deployment.getServlets().values()) {
            ServletSecurity security = servlet.getServletClass().getAnnotation(ServletSecurity.class);
            if (security != null && servlet.getServletSecurityInfo() == null) {
                servlet.setServletSecurityInfo(info(security));
            }
        }
    }

    private static ServletSecurityInfo info(ServletSecurity security) {
        ServletSecurityInfo info = new ServletSecurityInfo();
        constrain(info, security.value());
        for (HttpMethodConstraint method : security.httpMethodConstraints()) {
            HttpMethodSecurityInfo methodInfo = new HttpMethodSecurityInfo().setMethod(method.value());
            methodInfo.setEmptyRoleSemantic(semantic(method.emptyRoleSemantic(), method.rolesAllowed()))
                    .setTransportGuaranteeType(guarantee(method.transportGuarantee()))
                    .addRolesAllowed(method.rolesAllowed());
            info.addHttpMethodSecurityInfo(methodInfo);
        }
        return info;
    }

    private static void constrain(ServletSecurityInfo info, HttpConstraint constraint) {
        info.setEmptyRoleSemantic(semantic(constraint.value(), constraint.rolesAllowed()))
                .setTransportGuaranteeType(guarantee(constraint.transportGuarantee()))
                .addRolesAllowed(List.of(constraint.rolesAllowed()));
    }

    private static SecurityInfo.EmptyRoleSemantic semantic(ServletSecurity.EmptyRoleSemantic value, String[] roles) {
        if (roles.length > 0) {
            return SecurityInfo.EmptyRoleSemantic.AUTHENTICATE;
        }
        return value == ServletSecurity.EmptyRoleSemantic.DENY
                ? SecurityInfo.EmptyRoleSemantic.DENY : SecurityInfo.EmptyRoleSemantic.PERMIT;
    }

    private static io.undertow.servlet.api.TransportGuaranteeType guarantee(ServletSecurity.TransportGuarantee value) {
        return value == ServletSecurity.TransportGuarantee.CONFIDENTIAL
                ? io.undertow.servlet.api.TransportGuaranteeType.CONFIDENTIAL
                : io.undertow.servlet.api.TransportGuaranteeType.NONE;
    }
}
