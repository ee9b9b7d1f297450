package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.security.Credentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container login over real HTTP, users from a realm file: the spec demo WAR's FORM login end to end, a BASIC app
 * (challenge, good and bad passwords), the {@code HttpServletRequest} login API, role refs, {@code @DeclareRoles}
 * and a CONFIDENTIAL constraint over plain HTTP.
 */
@Timeout(120)
class ContainerLoginTest {

    @TempDir
    static Path work;
    static TestServer server;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void deploy() throws Exception {
        Path realm = Files.writeString(work.resolve("realm.properties"), """
                # the spec demo's administrator, hashed; a plain-text clerk
                admin: %s, admin, server-administrator, user
                clerk: counter, clerk
                """.formatted(Credentials.hash("s3cret".toCharArray())));
        server = new TestServer(work.resolve("tmp"), "warhorse.security.realm-file", realm.toString(),
                "warhorse.security.failed-login-delay", "0s");
        server.deploy(TestServer.testWar("jetty-ee10-demo-spec-webapp"), "/spec");
        server.deploy(basicApp(new WarBuilder(work)).build(work.resolve("shop.war")), "/shop");
    }

    @AfterAll
    static void stop() {
        server.close();
        CLIENT.close();
    }

    static WarBuilder basicApp(WarBuilder war) {
        return war.webXml("""
                <servlet><servlet-name>who</servlet-name><servlet-class>com.shop.Who</servlet-class>
                  <security-role-ref><role-name>boss</role-name><role-link>clerk</role-link></security-role-ref>
                </servlet>
                <servlet-mapping><servlet-name>who</servlet-name><url-pattern>/private/who</url-pattern>
                  <url-pattern>/who</url-pattern><url-pattern>/tls/who</url-pattern></servlet-mapping>
                <servlet><servlet-name>auth</servlet-name><servlet-class>com.shop.Auth</servlet-class></servlet>
                <servlet-mapping><servlet-name>auth</servlet-name><url-pattern>/auth</url-pattern></servlet-mapping>
                <servlet><servlet-name>runner</servlet-name><servlet-class>com.shop.RunAsReport</servlet-class>
                  <run-as><role-name>clerk</role-name></run-as></servlet>
                <servlet-mapping><servlet-name>runner</servlet-name><url-pattern>/run-as/xml</url-pattern></servlet-mapping>
                <security-constraint>
                  <web-resource-collection><url-pattern>/private/*</url-pattern></web-resource-collection>
                  <auth-constraint><role-name>clerk</role-name></auth-constraint>
                </security-constraint>
                <security-constraint>
                  <web-resource-collection><url-pattern>/tls/*</url-pattern></web-resource-collection>
                  <user-data-constraint><transport-guarantee>CONFIDENTIAL</transport-guarantee></user-data-constraint>
                </security-constraint>
                <security-role><role-name>clerk</role-name></security-role>
                <login-config><auth-method>BASIC</auth-method><realm-name>Shop</realm-name></login-config>
                """).source("com/shop/Who.java", """
                package com.shop;
                import jakarta.servlet.http.*;
                import java.io.IOException;
                public class Who extends HttpServlet {
                    @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                            throws IOException, jakarta.servlet.ServletException {
                        if (req.getParameter("user") != null) {
                            req.login(req.getParameter("user"), req.getParameter("password"));
                        }
                        String who = req.getUserPrincipal() == null ? "nobody" : req.getUserPrincipal().getName();
                        resp.getWriter().print(who + " clerk=" + req.isUserInRole("clerk")
                                + " boss=" + req.isUserInRole("boss") + " type=" + req.getAuthType());
                        if (req.getParameter("user") != null) {
                            req.logout();
                            resp.getWriter().print(" after-logout=" + req.getUserPrincipal());
                        }
                    }
                }
                """).source("com/shop/Auth.java", """
                package com.shop;
                import jakarta.servlet.http.*;
                import java.io.IOException;
                public class Auth extends HttpServlet {
                    @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                            throws IOException, jakarta.servlet.ServletException {
                        if (req.authenticate(resp)) {
                            resp.getWriter().print("authenticated " + req.getUserPrincipal().getName() + " clerk="
                                    + req.isUserInRole("clerk") + " type=" + req.getAuthType());
                        }
                    }
                }
                """).source("com/shop/RunAsReport.java", """
                package com.shop;
                import jakarta.servlet.http.*;
                import java.io.IOException;
                public class RunAsReport extends HttpServlet {
                    @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print("run-as " + getServletContext().getServletRegistration(getServletName())
                                .getRunAsRole());
                    }
                }
                """).source("com/shop/Audited.java", """
                package com.shop;
                @jakarta.servlet.annotation.WebServlet(name = "audited", urlPatterns = "/run-as/annotated")
                @jakarta.annotation.security.RunAs("auditor")
                public class Audited extends RunAsReport {}
                """);
    }

    @Test
    void basicChallengesThenLetsAGoodUserIn() throws Exception {
        HttpResponse<String> challenge = get("/shop/private/who", null);
        assertEquals(401, challenge.statusCode());
        assertEquals("Basic realm=\"Shop\"", challenge.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> in = get("/shop/private/who", basic("clerk", "counter"));
        assertEquals(200, in.statusCode(), in.body());
        assertEquals("clerk clerk=true boss=true type=BASIC", in.body());
        assertEquals(401, get("/shop/private/who", basic("clerk", "wrong")).statusCode());
        assertEquals(401, get("/shop/private/who", basic("ghost", "counter")).statusCode());
        assertEquals(403, get("/shop/private/who", basic("admin", "s3cret")).statusCode(), "admin is no clerk");
    }

    @Test
    void theRequestLoginApiChecksTheRealm() throws Exception {
        assertEquals("nobody clerk=false boss=false type=null", get("/shop/who", null).body());
        HttpResponse<String> login = get("/shop/who?user=clerk&password=counter", null);
        assertEquals("clerk clerk=true boss=true type=BASIC after-logout=null", login.body());
        assertTrue(get("/shop/who?user=clerk&password=nope", null).statusCode() >= 400);
    }

    @Test
    void requestAuthenticateChallengesOnAnOpenPathAndChecksTheRealm() throws Exception {
        HttpResponse<String> challenge = get("/shop/auth", null);
        assertEquals(401, challenge.statusCode(), challenge.body());
        assertEquals("Basic realm=\"Shop\"", challenge.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> in = get("/shop/auth", basic("clerk", "counter"));
        assertEquals(200, in.statusCode(), in.body());
        assertEquals("authenticated clerk clerk=true type=BASIC", in.body());
        HttpResponse<String> wrong = get("/shop/auth", basic("clerk", "wrong"));
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("Basic realm=\"Shop\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    /**
     * {@code <run-as>} and {@code @RunAs} become the servlet's run-as role, as the Servlet API reports it. Undertow
     * keeps the role and nothing more: with no EJB container in a worker there is no call to give that identity to.
     */
    @Test
    void runAsFromWebXmlAndFromTheAnnotation() throws Exception {
        assertEquals("run-as clerk", get("/shop/run-as/xml", null).body());
        assertEquals("run-as auditor", get("/shop/run-as/annotated", null).body());
    }

    @Test
    void confidentialPathsNeedTls() throws Exception {
        assertEquals(403, get("/shop/tls/who", null).statusCode());
    }

    @Test
    void specDemoFormLoginEndToEnd() throws Exception {
        HttpResponse<String> page = get("/spec/role/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("j_security_check"), "the login page: " + page.body());
        String session = cookie(page);

        HttpResponse<String> wrong = post("/spec/j_security_check", session, "j_username=admin&j_password=guess");
        assertTrue(wrong.body().contains("Authentication Failure"), wrong.body());

        HttpResponse<String> good = post("/spec/j_security_check", session, "j_username=admin&j_password=s3cret");
        assertEquals(302, good.statusCode(), good.body());
        assertTrue(good.headers().firstValue("Location").orElse("").endsWith("/spec/role/"), good.headers().map().toString());
        String loggedIn = cookie(good).isEmpty() ? session : cookie(good);

        HttpResponse<String> role = get("/spec/role/", loggedIn);
        assertEquals(200, role.statusCode(), role.body());
        assertTrue(role.body().contains("DeclareRoles Annotation Results"), role.body());
        assertFalse(role.body().contains("class=\"fail\""), "role checks: " + role.body());
        HttpResponse<String> secured = post("/spec/sec/foo", loggedIn, "");
        assertTrue(secured.body().contains("PASS"), "@ServletSecurity servlet: " + secured.statusCode() + secured.body());

        assertTrue(get("/spec/logout.jsp", loggedIn).body().contains("You are now logged out"));
        assertTrue(get("/spec/role/", loggedIn).body().contains("j_security_check"), "logged out again");
    }

    @Test
    void aFormProtectedPostGetsTheLoginPageNot403() throws Exception {
        HttpResponse<String> response = post("/spec/sec/foo", "", "");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("j_security_check"), response.body());
    }

    @Test
    void failedLoginsAreCountedAndTheirAddressIsSlowed() throws Exception {
        Path realm = work.resolve("realm.properties");
        try (TestServer guarded = new TestServer(work.resolve("guarded"), "warhorse.security.realm-file",
                realm.toString(), "warhorse.security.failed-login-delay", "1h")) {
            guarded.deploy(basicApp(new WarBuilder(work)).build(work.resolve("guarded.war")), "/g");
            String uri = "http://127.0.0.1:" + guarded.port() + "/g/private/who";
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization",
                    basic("clerk", "counter")).build()).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization",
                    basic("clerk", "guess")).build()).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization",
                    basic("clerk", "counter")).build()).statusCode(), "refused unchecked while the address waits");
            assertEquals(1, guarded.metrics.counter("security.login.failed").getCount());
            assertEquals(1, guarded.metrics.counter("security.login.refused").getCount());
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(String path, String authorizationOrCookie) throws Exception {
        return send(request(path, authorizationOrCookie).GET().build());
    }

    static HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        return send(request(path, cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static HttpRequest.Builder request(String path, String authorizationOrCookie) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (authorizationOrCookie != null && authorizationOrCookie.startsWith("Basic ")) {
            builder.header("Authorization", authorizationOrCookie);
        } else if (authorizationOrCookie != null && !authorizationOrCookie.isEmpty()) {
            builder.header("Cookie", authorizationOrCookie);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The JSESSIONID=... pair a response sets, or "". */
    static String cookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst().orElse("");
    }
}
