package io.warhorse.bench;

import io.undertow.Undertow;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.ServletException;

/**
 * Baseline "undertow-servlet": the same servlets on plain undertow-servlet 2.3.26.Final with Undertow's default
 * settings (IO threads = cores, worker pool = 8 x IO threads), no warhorse. Usage: {@code PORT}.
 */
public final class UndertowServletServer {
    private UndertowServletServer() {
    }

    public static void main(String[] args) throws ServletException {
        int port = Work.port(args);
        DeploymentInfo deployment = io.undertow.servlet.Servlets.deployment()
                .setClassLoader(UndertowServletServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("bench");
        for (Servlets.Mapping mapping : Servlets.PATHS) {
            ServletInfo servlet = io.undertow.servlet.Servlets.servlet(mapping.type().getSimpleName(), mapping.type())
                    .addMapping(mapping.path())
                    .setAsyncSupported(mapping.async());
            deployment.addServlet(servlet);
        }
        DeploymentManager manager = io.undertow.servlet.Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(manager.start())
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }
}
