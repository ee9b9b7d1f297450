import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens COUNT WebSockets to URL with the JDK's client, prints "open COUNT" once they are all open, holds them until a
 * line (or end of input) arrives on standard input, then closes them. Used by bench/container.sh to measure a
 * worker's memory with many WebSockets open; run as a single-file program: java bench/lib/WsHold.java URL COUNT.
 * Every wait is bounded: 20 s per socket to open, 10 s to send each close.
 */
public final class WsHold {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        List<WebSocket> sockets = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < count; i++) {
                sockets.add(client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {})
                        .get(20, TimeUnit.SECONDS));
            }
            System.out.println("open " + sockets.size());
            System.out.flush();
            System.in.read();
            for (WebSocket socket : sockets) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            }
            sockets.forEach(WebSocket::abort);
        }
    }
}
