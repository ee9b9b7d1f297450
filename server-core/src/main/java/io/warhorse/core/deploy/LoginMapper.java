package io.warhorse.core.deploy;

import io.undertow.security.idm.IdentityManager;
import io.undertow.servlet.api.AuthorizationManager;
import io.undertow.servlet.api.Deployment;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.LoginConfig;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.api.SingleConstraintMatch;
import io.undertow.servlet.api.TransportGuaranteeType;
import io.undertow.servlet.core.DefaultAuthorizationManager;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.jboss.metadata.web.spec.FormLoginConfigMetaData;
import org.jboss.metadata.web.spec.LoginConfigMetaData;
import org.jboss.metadata.web.spec.WebMetaData;

/**
 * Container login for an app: web.xml's {@code <login-config>} (BASIC, FORM with its login and error pages, DIGEST,
 * CLIENT-CERT) on Undertow's mechanisms, checked against the worker's realm file. A {@code CONFIDENTIAL} or
 * {@code INTEGRAL} transport guarantee is enforced: a request that did not come over TLS is answered 403 (Undertow's
 * own handling would try a redirect to an HTTPS port warhorse does not know, and answer 500). Runs on the deploying
 * thread; the authorization manager on request threads.
 */
final class LoginMapper implements AuthorizationManager {

    private static final LoginMapper TLS_REQUIRED = new LoginMapper();

    private LoginMapper() {}

    static void map(WebMetaData web, DeploymentInfo deployment, IdentityManager identities) {
        deployment.setIdentityManager(identities);
        deployment.setAuthorizationManager(TLS_REQUIRED);
        LoginConfigMetaData login = web.getLoginConfig();
        if (login == null || login.getAuthMethod() == null || login.getAuthMethod().isBlank()) {
            return;
        }
        String method = login.getAuthMethod().trim().toUpperCase(Locale.ROOT).replace("CLIENT-CERT", "CLIENT_CERT");
        String realm = login.getRealmName() == null ? deployment.getContextPath() : login.getRealmName().trim();
        FormLoginConfigMetaData form = login.getFormLoginConfig();
        deployment.setLoginConfig(form == null ? new LoginConfig(method, realm)
                : new LoginConfig(method, realm, trim(form.getLoginPage()), trim(form.getErrorPage())));
    }

    @Override
    public boolean isUserInRole(String role, io.undertow.security.idm.Account account, ServletInfo servlet,
                                HttpServletRequest request, Deployment deployment) {
        return DefaultAuthorizationManager.INSTANCE.isUserInRole(role, account, servlet, request, deployment);
    }

    @Override
    public boolean canAccessResource(List<SingleConstraintMatch> constraints, io.undertow.security.idm.Account account,
                                     ServletInfo servlet, HttpServletRequest request, Deployment deployment) {
        return DefaultAuthorizationManager.INSTANCE.canAccessResource(constraints, account, servlet, request,
                deployment);
    }

    @Override
    public TransportGuaranteeType transportGuarantee(TransportGuaranteeType current, TransportGuaranteeType required,
                                                     HttpServletRequest request) {
        boolean needsTls = required == TransportGuaranteeType.CONFIDENTIAL
                || required == TransportGuaranteeType.INTEGRAL;
        if (needsTls && !request.isSecure()) {
            return TransportGuaranteeType.REJECTED;
        }
        return DefaultAuthorizationManager.INSTANCE.transportGuarantee(current, required, request);
    }

    private static String trim(String text) {
        return text == null ? null : text.trim();
    }
}
