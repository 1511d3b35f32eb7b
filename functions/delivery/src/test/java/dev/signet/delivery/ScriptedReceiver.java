package dev.signet.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WebhookSender} that answers from a script instead of the network: each request gets the
 * next scripted result (204 when the script is empty), and every request is kept for assertions.
 */
final class ScriptedReceiver implements WebhookSender {
    record Request(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
    }

    private final Deque<Result> script = new ArrayDeque<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private RuntimeException thrown;
    private volatile WebhookSender delegate;

    synchronized ScriptedReceiver answers(int... statuses) {
        for (int s : statuses) {
            script.add(new Response(s, Map.of(), ("status " + s).getBytes(), 12));
        }
        return this;
    }

    synchronized ScriptedReceiver answers(Result result) {
        script.add(result);
        return this;
    }

    /** Every request goes to {@code other} until it is set back to null. */
    void delegate(WebhookSender other) {
        delegate = other;
    }

    /** The next request throws {@code e} (the JDK client refusing a header, say). */
    synchronized ScriptedReceiver throwing(RuntimeException e) {
        thrown = e;
        return this;
    }

    @Override
    public Result send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
        WebhookSender other = delegate;
        if (other != null) {
            return other.send(method, url, headers, body, timeout);
        }
        return scripted(method, url, headers, body, timeout);
    }

    private synchronized Result scripted(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
        requests.add(new Request(method, url, Map.copyOf(headers), body, timeout));
        if (thrown != null) {
            RuntimeException e = thrown;
            thrown = null;
            throw e;
        }
        Result next = script.poll();
        return next != null ? next : new Response(204, Map.of(), new byte[0], 3);
    }
}
