package io.warhorse.core.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jsp.precompile}: every page compiled while the app deploys; a broken page stops the deployment. */
@Timeout(120)
class JspPrecompileTest {

    @TempDir
    Path work;

    @Test
    void everyPageIsCompiledBeforeTheFirstRequest() throws Exception {
        Path war = new WarBuilder(work).webXml("")
                .file("index.jsp", "<%= 6 * 7 %>")
                .file("WEB-INF/views/hidden.jsp", "${1 + 1}")
                .build(work.resolve("good.war"));
        try (TestServer server = new TestServer(work.resolve("tmp"), "warhorse.jsp.precompile", "true")) {
            server.deploy(war, "/good");
            assertEquals(List.of("WEB_002dINF.views.hidden_jsp.class", "index_jsp.class"), compiledPages());
            Path index = classFile("index_jsp.class");
            var compiledAt = Files.getLastModifiedTime(index);
            assertTrue(server.get("/good/").body().contains("42"));
            assertEquals(compiledAt, Files.getLastModifiedTime(index), "the request used the precompiled class");
        }
    }

    @Test
    void aPageThatDoesNotCompileStopsTheDeployment() throws Exception {
        Path war = new WarBuilder(work).webXml("")
                .file("ok.jsp", "fine")
                .file("broken.jsp", "<% int x = ; %>")
                .build(work.resolve("bad.war"));
        try (TestServer server = new TestServer(work.resolve("tmp"), "warhorse.jsp.precompile", "true")) {
            DeploymentException error = assertThrows(DeploymentException.class, () -> server.deploy(war, "/bad"));
            assertTrue(error.getMessage().startsWith("app /bad ("), error.getMessage());
            assertTrue(error.getMessage().contains("JSP /broken.jsp does not compile"), error.getMessage());
        }
    }

    private Path classFile(String name) throws Exception {
        try (Stream<Path> files = Files.walk(work.resolve("tmp"))) {
            return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    private List<String> compiledPages() throws Exception {
        Path tmp = work.resolve("tmp");
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(f -> f.toString().endsWith("_jsp.class"))
                    .map(f -> f.toString().substring(f.toString().indexOf("org/apache/jsp/") + 15).replace('/', '.'))
                    .sorted().toList();
        }
    }
}
