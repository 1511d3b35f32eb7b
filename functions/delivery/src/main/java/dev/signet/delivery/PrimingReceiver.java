package dev.signet.delivery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where SnapStart priming's deliveries go: a receiver inside the function, on the loopback address and
 * a port the system picks, that reads each HTTP/1.1 request and answers 204 on the same connection. The
 * primed deliveries thus run the whole sending path (the URL guard, pinning, the JDK HTTP client, the
 * response) without a byte leaving the machine. Closed, with every connection, before the snapshot.
 */
final class PrimingReceiver implements AutoCloseable {
    private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Longer request heads are not priming's own requests: the connection is dropped. */
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    PrimingReceiver() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("priming-receiver").start(this::accept);
    }

    /** The URL priming's endpoint points at: http, the loopback address, this receiver's port. */
    String url() {
        return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/priming";
    }

    /** Requests answered so far. */
    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connections.add(connection);
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            int length;
            while ((length = contentLength(in)) >= 0) {
                in.skipNBytes(length);
                requests.incrementAndGet();
                out.write(NO_CONTENT);
                out.flush();
            }
        } catch (IOException | IllegalArgumentException e) {
            // the client closed the connection, or sent something that is not one of priming's requests
        } finally {
            connections.remove(connection);
        }
    }

    /** Reads one request head: its content-length (0 without one), or -1 when the connection ended first. */
    private static int contentLength(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int length = 0;
        int read = 0;
        boolean started = false;
        for (int c; (c = in.read()) >= 0; ) {
            if (++read > MAX_HEAD) {
                throw new IllegalArgumentException("request head too long");
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String header = line.toString().strip();
            line.setLength(0);
            if (header.isEmpty()) {
                if (started) {
                    return length;
                }
                continue;
            }
            started = true;
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).strip());
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
