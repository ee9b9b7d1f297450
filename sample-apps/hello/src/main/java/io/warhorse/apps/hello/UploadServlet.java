package io.warhorse.apps.hello;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /upload}: reads the whole body with a plain blocking {@code InputStream}, the way legacy upload code
 * does, and answers how many bytes arrived. A slowly sent body makes the request thread wait inside the read.
 */
@WebServlet("/upload")
public class UploadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long total = 0;
        byte[] buffer = new byte[8192];
        try (InputStream body = request.getInputStream()) {
            for (int read = body.read(buffer); read != -1; read = body.read(buffer)) {
                total += read;
            }
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("read " + total + " bytes\n");
    }
}
