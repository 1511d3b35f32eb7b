package dev.signet.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matches method and path templates such as {@code /v1/workspaces/{ws}/endpoints/{ep}} to handlers. */
public final class Router {
    /** What a route does with a request and the path parameters it matched. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request, Map<String, String> params);
    }

    /** A route as declared: what the OpenAPI check compares against. */
    public record Route(String method, String template, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router route(String method, String template, Handler handler) {
        routes.add(new Route(method, template, handler));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public ApiResponse dispatch(ApiRequest request) {
        String[] path = split(request.path());
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(split(r.template()), path);
            if (params == null) {
                continue;
            }
            if (r.method().equals(request.method())) {
                return r.handler().handle(request, params);
            }
            allowed.add(r.method());
        }
        if (!allowed.isEmpty()) {
            throw ApiException.methodNotAllowed(request.method(), request.path(), allowed);
        }
        throw ApiException.notFound("no such route: " + request.method() + " " + request.path());
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }
}
