package dev.lockstep.emulator.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The routes of the emulator's HTTP listener; the first route registered for a path and method wins. */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    /**
     * Registers a route. {@code pattern} is a path such as {@code /services/data/{version}/sobjects/{sobject}};
     * API routes under {@code /services/data/{version}} have their version checked by the pipeline.
     */
    public Router add(String method, String pattern, String kind, Route.Access access, Handler handler) {
        routes.add(new Route(method, Arrays.stream(pattern.split("/")).filter(s -> !s.isEmpty()).toList(), kind,
                access, handler));
        return this;
    }

    /** A match: the route and its path parameters. */
    record Match(Route route, Map<String, String> params) {}

    /** The route for a request, or null; {@code allowed} collects the methods of routes matching the path. */
    Match find(String method, List<String> segments, Set<String> allowed) {
        Match found = null;
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method());
            boolean methodMatches = route.method().equals(method)
                    || (method.equals("HEAD") && route.method().equals("GET"));
            if (found == null && methodMatches) {
                found = new Match(route, params);
            }
        }
        return found;
    }

    Set<String> newAllowedSet() {
        return new LinkedHashSet<>();
    }
}
